"""The rule files are updated while Malermeister Krause is halfway through his check.

Promised: before he goes on, he is told plainly what the update means for him (new questions, questions
no longer asked, answers to give again); his draft stays on the old version until he chooses to continue;
then the new questions are asked, the answers to removed questions and removed options are dropped and
nothing else is lost; and his result names the checklist version and content hash that scored it.
The update is real: a copy of the real checklist in a temporary folder, edited between two of his steps.
"""

from __future__ import annotations

import shutil

import pytest
import yaml
from django.test import Client

from compliance_wizard.catalog import registry
from compliance_wizard.engine import checklist_update
from compliance_wizard.engine.conditions import as_option_id
from tests.conftest import RULES
from tests.test_wizard_flow import KRAUSE
from tests.wizard import WizardRun

pytestmark = pytest.mark.django_db

BUSINESS = "Malermeister Krause"
NEW_QUESTIONS = {
    "contracts": {
        "id": "avv_stored",
        "type": "yes_no",
        "text": {
            "de": "Liegt der unterschriebene Vertrag zur Auftragsverarbeitung bei Ihren Unterlagen?",
            "en": "Is the signed processing agreement kept with your records?",
        },
        "help": {"de": "Ausgedruckt oder als PDF.", "en": "On paper or as a PDF."},
    },
    "information": {
        "id": "number_on_website",
        "type": "yes_no",
        "text": {
            "de": "Steht Ihre WhatsApp-Nummer auf Ihrer Website?",
            "en": "Is your WhatsApp number on your website?",
        },
        "help": {"de": "Zum Beispiel im Kontaktbereich.", "en": "For example in the contact section."},
    },
}


class RuleFolder:
    """A copy of the real rule files that the test can edit like a maintainer would."""

    def __init__(self, root) -> None:
        self.folder = root / "whatsapp-business"
        shutil.copytree(RULES / "whatsapp-business", self.folder)

    def edit(self, name: str, change) -> None:
        path = self.folder / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        registry.reset()

    def next_release(self) -> None:
        """Two new questions, `lost_device_plan` gone, and the option `blocked` of `contact_access` withdrawn."""

        def questionnaire(data):
            data["version"] = "1.3.0"
            steps = {step["id"]: step for step in data["steps"]}
            for step_id, question in NEW_QUESTIONS.items():
                steps[step_id]["questions"].append(question)
            devices = steps["devices"]["questions"]
            devices[:] = [q for q in devices if q["id"] != "lost_device_plan"]
            access = next(q for q in devices if q["id"] == "contact_access")
            access["options"] = [o for o in access["options"] if o["id"] != "blocked"]

        def requirements(data):
            data["requirements"] = [r for r in data["requirements"] if r["id"] != "lost-device"]
            sync = next(r for r in data["requirements"] if r["id"] == "contact-sync")
            sync["met_if"] = {"question": "contact_access", "equals": "lawful_only"}

        def changelog(data):
            # A requirement that goes is listed as retired: earlier checks judged it.
            for version in data["changelog"]:
                for change in version["changes"]:
                    if "lost-device" in change.get("touches", []):
                        change["touches"].remove("lost-device")
                        change.setdefault("retired", []).append("lost-device")

        self.edit("checklist.yaml", questionnaire)
        self.edit("requirements-devices.yaml", requirements)
        self.edit("changelog.yaml", changelog)


@pytest.fixture
def rules(settings, tmp_path):
    folder = RuleFolder(tmp_path)
    settings.CHECKLIST_DIR = tmp_path
    registry.reset()
    yield folder
    registry.reset()


@pytest.fixture
def krause(rules):
    """Malermeister Krause has answered three steps under version 1.2.0."""
    run = WizardRun(Client(), "whatsapp-business")
    run.start(BUSINESS)
    for step in ("usage", "contracts", "devices"):
        assert run.post(step, KRAUSE.answers).status_code == 302
    return run


def option(value) -> str:
    return str(as_option_id(value))


def test_he_is_told_what_changed_and_nothing_moves_until_he_continues(krause, rules):
    before = krause.assessment
    rules.next_release()

    page = krause.client.get(f"/draft/{krause.token}/", HTTP_ACCEPT_LANGUAGE="de")
    body = page.content.decode()
    assert page.status_code == 200
    assert (
        "Die Checkliste wurde aktualisiert, seit Sie begonnen haben: 2 neue Fragen, 1 Frage entfällt, "
        "1 Antwort muss neu gegeben werden." in body
    )
    assert "Version 1.2.0" in body and "Version 1.3.0" in body
    assert NEW_QUESTIONS["contracts"]["text"]["de"] in body and NEW_QUESTIONS["information"]["text"]["de"] in body
    assert "Darf WhatsApp auf das Adressbuch des Geräts zugreifen?" in body  # to be answered again
    assert "Alle anderen Antworten bleiben erhalten." in body

    # A step sent from a tab still showing the old version changes nothing either: first he sees the notice.
    stale = krause.post("information", KRAUSE.answers)
    assert stale.status_code == 302 and stale["Location"] == f"/draft/{krause.token}/"
    unchanged = krause.assessment
    assert (unchanged.checklist_version, unchanged.content_hash) == (before.checklist_version, before.content_hash)
    assert unchanged.answers == before.answers and "impressum_link" not in unchanged.answers


def test_after_continuing_the_new_questions_are_asked_and_only_the_withdrawn_answers_are_gone(krause, rules):
    before = dict(krause.assessment.answers)
    rules.next_release()
    checklist = registry.get("whatsapp-business")
    notice = krause.client.get(f"/draft/{krause.token}/")
    assert notice.status_code == 200

    response = krause.client.post(f"/draft/{krause.token}/", {"adopt_checklist": checklist.content_hash})
    assert response.status_code == 302

    draft = krause.assessment
    assert (draft.checklist_version, draft.content_hash) == ("1.3.0", checklist.content_hash)
    kept = {key: value for key, value in before.items() if key not in ("lost_device_plan", "contact_access")}
    assert draft.answers == kept
    # The new question of a step he had passed comes first.
    assert krause.current_step() == "contracts"
    page = krause.open("contracts").content.decode()
    assert NEW_QUESTIONS["contracts"]["text"]["de"] in page
    assert "Ihre Antworten wurden in die aktualisierte Checkliste übernommen." in page

    answers = {**KRAUSE.answers, "avv_stored": True, "number_on_website": False, "contact_access": "lawful_only"}
    result = krause.answer_all(answers)
    assessment = krause.assessment
    assert assessment.is_finished
    assert assessment.answers["avv_stored"] == "yes" and assessment.answers["contact_access"] == "lawful_only"
    assert "lost_device_plan" not in assessment.answers
    assert all(assessment.answers[key] == value for key, value in kept.items())
    # The result says which rules scored it.
    assert (assessment.checklist_version, assessment.content_hash) == ("1.3.0", checklist.content_hash)
    assert f"Checkliste in Version 1.3.0 (Regelstand {checklist.content_hash[:12]})" in result.content.decode()
    assert assessment.result["de"]["checklist"]["hash"] == checklist.content_hash


def test_an_update_that_leaves_the_questions_alone_just_goes_on(krause, rules):
    rules.edit("checklist.yaml", lambda data: data.update(version="1.2.1"))
    checklist = registry.get("whatsapp-business")

    response = krause.post("information", KRAUSE.answers)
    assert response.status_code == 302 and response["Location"].endswith("/contact/")
    draft = krause.assessment
    assert (draft.checklist_version, draft.content_hash) == ("1.2.1", checklist.content_hash)
    assert draft.answers["impressum_link"] == "speaking_link"
    page = krause.open("contact").content.decode()
    assert "Die Checkliste wurde auf Version 1.2.1 aktualisiert" in page


def test_a_draft_from_before_outlines_were_kept_reports_no_question_as_new(krause, rules):
    answers = {q: option(a) for q, a in KRAUSE.answers.items()}
    rules.next_release()
    checklist = registry.get("whatsapp-business")

    update = checklist_update(checklist, answers, previous=None)

    assert update.new_questions == ()
    assert update.removed_questions == ("lost_device_plan",)
    assert update.withdrawn_answers == ("contact_access",)
    assert "lost_device_plan" not in update.answers and "contact_access" not in update.answers
