from django.db import migrations, models


def versions_of_earlier_rows(apps, schema_editor):
    # Rows before this field: those without a score were judged under 1.0.0 (the score came with 1.1.0).
    statistic = apps.get_model("chambers", "CheckStatistic")
    statistic.objects.filter(checklist_version="", score__isnull=True).update(checklist_version="1.0.0")
    statistic.objects.filter(checklist_version="", score__isnull=False).update(checklist_version="1.1.0")


class Migration(migrations.Migration):
    dependencies = [
        ("chambers", "0002_sectors_and_statistic_score"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkstatistic",
            name="checklist_version",
            field=models.CharField(blank=True, max_length=50),
        ),
        migrations.RunPython(versions_of_earlier_rows, migrations.RunPython.noop),
    ]
