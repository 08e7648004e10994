import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def since_created(apps, schema_editor):
    # A PDF stored before downloads were tracked counts as downloaded when it was made.
    apps.get_model("assessments", "ReportFile").objects.update(last_downloaded_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0006_assessment_report_started_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportfile",
            name="last_downloaded_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.RunPython(since_created, migrations.RunPython.noop, elidable=True),
    ]
