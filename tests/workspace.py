"""Shortcuts for workspace tests: a consultant's client with checks made the way the app makes them."""

from __future__ import annotations

from collections.abc import Mapping

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.assessments.services import assessment_submit
from compliance_wizard.catalog import registry
from compliance_wizard.engine.conditions import as_option_id
from compliance_wizard.workspace.models import Client, Consultant
from compliance_wizard.workspace.services import client_assessment_start, client_save
from tests.cases import CASES

MODEL_BUSINESS = next(c for c in CASES if c.name.startswith("Malermeister Krause")).answers


def answers_of(case_answers: Mapping[str, object]) -> dict[str, str]:
    return {k: str(as_option_id(v)) for k, v in case_answers.items()}


def neglected_answers() -> dict[str, str]:
    """The model business with five things left undone: five gaps to close later."""
    answers = answers_of(MODEL_BUSINESS)
    answers.update(
        avv_whatsapp="no",
        cloud_backup="unencrypted",
        media_autosave_off="no",
        first_contact_notice="no",
        access_rules="no",
    )
    return answers


def add_client(consultant: Consultant, name: str = "Malerbetrieb Krause", **fields: str) -> Client:
    return client_save(Client(consultant=consultant, name=name, **fields))


def finished_check(client: Client, answers: Mapping[str, str], repeat_of: Assessment | None = None) -> Assessment:
    checklist = registry.get("whatsapp-business")
    draft = client_assessment_start(client, checklist, "de", repeat_of=repeat_of)
    return assessment_submit(draft.token, checklist, answers)
