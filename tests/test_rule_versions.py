"""Two versions of the rules in service at once (a deploy under way, or one worker restarted onto changed
files): a draft never goes back to an older version, and no answer is lost.

The "old worker" is this test process, serving the rule files in a temporary folder; the "new worker" is
played by the services a worker with the next version would call. A real pair of servers is in
tests/test_two_servers.py.
"""

from __future__ import annotations

import shutil

import pytest
from django.test import Client

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.assessments.services import DraftMoved, assessment_submit, draft_adopt_checklist, draft_save
from compliance_wizard.catalog import registry
from compliance_wizard.engine import Checklist, check_answers, checklist_update, load_checklist
from compliance_wizard.wizard import storage
from tests.robustness.test_rule_change import NEW_QUESTIONS, RuleFolder
from tests.test_wizard_flow import KRAUSE
from tests.wizard import WizardRun

pytestmark = pytest.mark.django_db

NEW_QUESTION = NEW_QUESTIONS["contracts"]


def add_question(folder: RuleFolder, version: str = "1.3.0") -> None:
    def questionnaire(data):
        data["version"] = version
        contracts = next(step for step in data["steps"] if step["id"] == "contracts")
        contracts["questions"].append(NEW_QUESTION)

    folder.edit("checklist.yaml", questionnaire)


@pytest.fixture
def old_rules(settings, tmp_path):
    """The rule files this process serves: version 1.2.0, as on a server not yet updated."""
    (tmp_path / "old").mkdir()
    folder = RuleFolder(tmp_path / "old")
    settings.CHECKLIST_DIR = tmp_path / "old"
    registry.reset()
    assert registry.get("whatsapp-business").version == "1.2.0"
    yield folder
    registry.reset()


@pytest.fixture
def new_checklist(tmp_path, old_rules) -> Checklist:
    """What a worker of the next release has loaded: 1.3.0, with one more question."""
    (tmp_path / "new").mkdir()
    folder = RuleFolder(tmp_path / "new")
    add_question(folder)
    new = load_checklist(folder.folder)
    registry.reset()  # RuleFolder.edit forgot the old worker's rules: they are read again on first use
    return new


@pytest.fixture
def krause(old_rules):
    run = WizardRun(Client(), "whatsapp-business")
    run.start("Malermeister Krause")
    for step in ("usage", "contracts", "devices"):
        assert run.post(step, KRAUSE.answers).status_code == 302
    return run


def answered_on_new_worker(assessment: Assessment, new: Checklist) -> Assessment:
    """A worker on 1.3.0 moves the draft on and saves the answer to the new question, as its wizard would."""
    update = checklist_update(new, assessment.answers, assessment.outline)
    assert draft_adopt_checklist(assessment, new, update)
    assert draft_save(assessment, {**assessment.answers, "avv_stored": "yes"}, "information", new.content_hash)
    return Assessment.objects.get(pk=assessment.pk)


def test_a_worker_on_older_rules_answers_503_and_leaves_the_newer_draft_alone(krause, new_checklist):
    moved = answered_on_new_worker(krause.assessment, new_checklist)

    step = krause.post("information", KRAUSE.answers)
    resumed = krause.client.get(f"/draft/{krause.token}/")

    for response in (step, resumed):
        assert response.status_code == 503
        assert int(response["Retry-After"]) > 0
        assert "Bitte versuchen Sie es gleich noch einmal" in response.content.decode()
    draft = krause.assessment
    assert (draft.checklist_version, draft.content_hash) == ("1.3.0", new_checklist.content_hash)
    assert draft.answers == moved.answers and draft.answers["avv_stored"] == "yes"


def test_a_worker_whose_files_changed_on_disk_reads_them_again_and_goes_on(krause, new_checklist, old_rules):
    answered_on_new_worker(krause.assessment, new_checklist)
    shutil.copytree(new_checklist_folder(new_checklist, old_rules), old_rules.folder, dirs_exist_ok=True)

    response = krause.post("information", KRAUSE.answers)

    assert response.status_code == 302 and response["Location"].endswith("/contact/")
    assert registry.get("whatsapp-business").content_hash == new_checklist.content_hash
    draft = krause.assessment
    assert (draft.checklist_version, draft.content_hash) == ("1.3.0", new_checklist.content_hash)
    assert draft.answers["avv_stored"] == "yes" and draft.answers["impressum_link"] == "speaking_link"


def new_checklist_folder(new: Checklist, old_rules: RuleFolder):
    folder = old_rules.folder.parent.parent / "new" / "whatsapp-business"
    assert load_checklist(folder).content_hash == new.content_hash
    return folder


def test_files_unchanged_on_disk_are_not_parsed_again_for_every_request(krause, new_checklist, monkeypatch):
    answered_on_new_worker(krause.assessment, new_checklist)
    assert registry.get("whatsapp-business").version == "1.2.0"  # loaded before the count starts
    loads = []
    real = registry.load_checklists
    monkeypatch.setattr(registry, "load_checklists", lambda paths: loads.append(paths) or real(paths))

    for _ in range(3):
        assert krause.post("information", KRAUSE.answers).status_code == 503

    assert loads == []


def test_a_draft_is_never_moved_back_to_an_older_version(krause, new_checklist):
    moved = answered_on_new_worker(krause.assessment, new_checklist)
    old = registry.get("whatsapp-business")

    update = checklist_update(old, moved.answers, moved.outline)
    assert draft_adopt_checklist(moved, old, update) is False

    draft = krause.assessment
    assert (draft.checklist_version, draft.content_hash, draft.answers) == ("1.3.0", moved.content_hash, moved.answers)


def test_a_save_from_older_rules_never_overwrites_a_draft_moved_on_meanwhile(krause, new_checklist):
    old = registry.get("whatsapp-business")
    read_by_old_worker = krause.assessment
    moved = answered_on_new_worker(krause.assessment, new_checklist)

    with pytest.raises(DraftMoved):
        draft_save(read_by_old_worker, {"impressum_link": "speaking_link"}, "contact", old.content_hash)
    with pytest.raises(DraftMoved):
        assessment_submit(krause.token, old, check_answers(old, KRAUSE.answers).answers)

    draft = krause.assessment
    assert draft.answers == moved.answers and draft.current_step == moved.current_step
    assert not draft.is_finished and draft.checklist_version == "1.3.0"


def test_a_step_that_loses_the_race_is_not_saved_and_asked_again(krause, new_checklist, monkeypatch):
    """The draft is moved on between the old worker reading it and saving the step."""
    real_save = storage.draft_save

    def moved_in_between(assessment, answers, step, content_hash):
        answered_on_new_worker(Assessment.objects.get(pk=assessment.pk), new_checklist)
        return real_save(assessment, answers, step, content_hash)

    monkeypatch.setattr(storage, "draft_save", moved_in_between)
    response = krause.post("information", KRAUSE.answers)

    assert response.status_code == 302 and response["Location"] == f"/draft/{krause.token}/"
    draft = krause.assessment
    assert draft.checklist_version == "1.3.0" and draft.answers["avv_stored"] == "yes"
    monkeypatch.undo()
    notice = krause.client.get(response["Location"], follow=True)
    assert notice.status_code == 503  # this worker still has 1.2.0 on disk: the next try goes elsewhere


def test_the_same_version_with_other_content_shows_the_update_notice_and_drops_nothing_unasked(krause, tmp_path):
    """A release that changed the rules but not the version (a mistake the loader cannot see across servers):
    neither content is the older one, so the notice says what would change and the user decides."""
    (tmp_path / "same").mkdir()
    other = RuleFolder(tmp_path / "same")
    add_question(other, version="1.2.0")
    elsewhere = load_checklist(other.folder)
    answered_on_new_worker(krause.assessment, elsewhere)
    before = krause.assessment

    step = krause.post("information", KRAUSE.answers)
    notice = krause.client.get(f"/draft/{krause.token}/")

    assert step.status_code == 302 and step["Location"] == f"/draft/{krause.token}/"
    assert notice.status_code == 200
    assert "1 Frage entfällt" in notice.content.decode()
    draft = krause.assessment
    assert (draft.content_hash, draft.answers) == (before.content_hash, before.answers)
