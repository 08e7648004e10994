"""The two statements every wizard step runs without the ORM (compliance_wizard/assessments/hotpath.py).

They must read and write exactly what the ORM would, on SQLite and on PostgreSQL (CI runs both).
"""

from datetime import timedelta

import pytest
from django.db.models import Model
from django.utils import timezone

from compliance_wizard.assessments import hotpath
from compliance_wizard.assessments.models import Assessment
from compliance_wizard.assessments.services import assessment_submit, draft_save, draft_start
from compliance_wizard.catalog import registry
from compliance_wizard.chambers.models import Chamber
from compliance_wizard.engine import check_answers
from tests.test_wizard_flow import KRAUSE

pytestmark = pytest.mark.django_db


def fields_of(assessment: Model) -> dict[str, object]:
    return {field.attname: getattr(assessment, field.attname) for field in Assessment._meta.concrete_fields}


@pytest.fixture
def checklist():
    return registry.get("whatsapp-business")


def test_a_draft_reads_as_the_orm_reads_it(checklist):
    chamber = Chamber.objects.create(slug="musterstadt", name="Handwerkskammer Musterstadt")
    draft = draft_start(checklist, "de", "Malerei „Krause“ & Söhne", "https://www.krause.de", chamber=chamber)
    draft_save(draft, {"app_variant": "business_app", "internal_use": "yes"}, "contracts")

    fast = hotpath.draft_by_token(draft.token)
    assert fields_of(fast) == fields_of(Assessment.objects.get(token=draft.token))
    assert fast.answers == {"app_variant": "business_app", "internal_use": "yes"}
    assert fast.updated_at.tzinfo is not None and fast.chamber_id == chamber.pk
    assert fast._state.adding is False and fast._state.db == "default"  # a saved object, as the ORM returns


def test_a_finished_check_reads_with_its_result(checklist):
    draft = draft_start(checklist, "en", "Krause")
    finished = assessment_submit(draft.token, checklist, check_answers(checklist, KRAUSE.answers).answers)

    fast = hotpath.draft_by_token(finished.token)
    assert fields_of(fast) == fields_of(Assessment.objects.get(token=finished.token))
    assert fast.is_finished and fast.score == 100 and fast.result["en"]["score"] == 100


def test_an_unknown_token_reads_as_nothing():
    assert hotpath.draft_by_token("x" * 43) is None


def test_saving_a_step_stores_answers_step_and_time(checklist):
    draft = draft_start(checklist, "de")
    later = timezone.now() + timedelta(minutes=5)

    assert hotpath.update_draft(draft.pk, {"app_variant": "platform"}, "contracts", later) == 1
    stored = Assessment.objects.get(pk=draft.pk)
    assert (stored.answers, stored.current_step, stored.updated_at) == ({"app_variant": "platform"}, "contracts", later)


def test_saving_never_reopens_a_finished_check(checklist):
    draft = draft_start(checklist, "de")
    finished = assessment_submit(draft.token, checklist, check_answers(checklist, KRAUSE.answers).answers)

    assert hotpath.update_draft(finished.pk, {}, "usage", timezone.now()) == 0
    stored = Assessment.objects.get(pk=finished.pk)
    assert stored.is_finished and stored.answers == finished.answers and stored.current_step == finished.current_step
