from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("chambers", "0004_chamber_greeting"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkstatistic",
            name="sector",
            field=models.CharField(blank=True, max_length=100),
        ),
    ]
