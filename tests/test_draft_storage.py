"""A draft keeps its answers and step in its row between requests (the wizard's storage), on SQLite and on
PostgreSQL (CI runs both), and a late save never reopens a finished check."""

import pytest
from django.utils import timezone

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.assessments.services import assessment_submit, draft_save, draft_start
from compliance_wizard.catalog import registry
from compliance_wizard.chambers.models import Chamber
from compliance_wizard.engine import check_answers
from tests.test_wizard_flow import KRAUSE

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklist():
    return registry.get("whatsapp-business")


def test_a_saved_step_reads_back_as_it_was_saved(checklist):
    chamber = Chamber.objects.create(slug="musterstadt", name="Handwerkskammer Musterstadt")
    draft = draft_start(checklist, "de", "Malerei „Krause“ & Söhne", "https://www.krause.de", chamber=chamber)
    before = draft.updated_at

    assert draft_save(draft, {"app_variant": "business_app", "internal_use": "yes"}, "contracts") is True
    stored = Assessment.objects.get(token=draft.token)
    assert stored.answers == {"app_variant": "business_app", "internal_use": "yes"}
    assert stored.current_step == "contracts"
    assert stored.updated_at.tzinfo is not None and stored.updated_at >= before
    assert (stored.chamber_id, stored.business_name) == (chamber.pk, "Malerei „Krause“ & Söhne")


def test_saving_never_reopens_a_finished_check(checklist):
    draft = draft_start(checklist, "de")
    finished = assessment_submit(draft.token, checklist, check_answers(checklist, KRAUSE.answers).answers)

    answers, step, finished_at = dict(finished.answers), finished.current_step, finished.finished_at

    assert draft_save(finished, {}, "usage") is False  # a late save from a second tab
    stored = Assessment.objects.get(pk=finished.pk)
    assert stored.is_finished and stored.answers == answers and stored.current_step == step
    assert stored.finished_at == finished_at and timezone.now() >= stored.updated_at
