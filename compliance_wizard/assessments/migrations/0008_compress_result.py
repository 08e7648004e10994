"""The frozen result moves from a JSON column into a compressed one (assessments/fields.py).

A new column, filled row by row, then put in the old one's place: PostgreSQL cannot cast jsonb to bytea.
"""

from django.db import migrations

import compliance_wizard.assessments.fields

BATCH = 500


def pack_results(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    finished = Assessment.objects.filter(result__isnull=False).order_by("pk")
    last = 0
    while True:
        rows = list(finished.filter(pk__gt=last).only("pk", "result")[:BATCH])
        if not rows:
            return
        for row in rows:
            row.packed_result = row.result
        Assessment.objects.bulk_update(rows, ["packed_result"])
        last = rows[-1].pk


def unpack_results(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    for row in Assessment.objects.filter(packed_result__isnull=False).only("pk", "packed_result").iterator():
        row.result = row.packed_result
        row.save(update_fields=["result"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0007_reportfile_last_downloaded_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="packed_result",
            field=compliance_wizard.assessments.fields.CompressedJSONField(blank=True, null=True),
        ),
        migrations.RunPython(pack_results, unpack_results),
        migrations.RemoveField(model_name="assessment", name="result"),
        migrations.RenameField(model_name="assessment", old_name="packed_result", new_name="result"),
    ]
