"""The changelog of a checklist: validated like every rule, and read to tell a finished check what changed."""

import copy
import datetime
import json

import pytest
import yaml

from compliance_wizard.engine import ChecklistError, load_checklist
from compliance_wizard.engine.changelog import changes_since, version_key
from tests.conftest import FIXTURES

VALID = yaml.safe_load((FIXTURES / "checklists" / "website-basics.yaml").read_text(encoding="utf-8"))
VALID["version"] = "0.3"
SUMMARY = {"de": "Etwas hat sich geändert.", "en": "Something changed."}
CHANGELOG = [
    {
        "version": "0.2",
        "changes": [
            {"id": "new-law", "effective": "2026-01-15", "kind": "law", "touches": ["imprint"], "summary": SUMMARY}
        ],
    },
    {
        "version": "0.3",
        "changes": [
            {
                "id": "ruling",
                "effective": "2026-03-01",
                "kind": "court_decision",
                "touches": ["consent", "note"],
                "summary": SUMMARY,
            },
            {"id": "words", "effective": "2026-02-01", "kind": "wording", "touches": ["imprint"], "summary": SUMMARY},
            {
                "id": "terms",
                "effective": "2026-02-10",
                "kind": "provider_terms",
                "retired": ["old-imprint"],
                "summary": SUMMARY,
            },
        ],
    },
]


def load(tmp_path, mutate=None):
    data = copy.deepcopy(VALID)
    data["changelog"] = json.loads(json.dumps(CHANGELOG))  # no shared objects: they would be dumped as YAML aliases
    if mutate:
        mutate(data)
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_checklist(path)


def errors(tmp_path, mutate):
    with pytest.raises(ChecklistError) as info:
        load(tmp_path, mutate)
    return [(e.path, e.message) for e in info.value.errors]


def test_the_changelog_is_read_with_every_change(tmp_path):
    checklist = load(tmp_path)
    assert [(c.version, c.kind) for c in checklist.changelog] == [
        ("0.2", "law"),
        ("0.3", "court_decision"),
        ("0.3", "wording"),
        ("0.3", "provider_terms"),
    ]
    assert checklist.changelog[0].effective == datetime.date(2026, 1, 15)


def test_the_changelog_does_not_change_the_content_hash(tmp_path):
    with_log = load(tmp_path)
    without = load(tmp_path, lambda d: d.pop("changelog"))
    assert with_log.content_hash == without.content_hash


@pytest.mark.parametrize(
    ("mutate", "path", "fragment"),
    [
        (lambda d: d["changelog"][0].update(version=2), "changelog[0].version", "is not a version"),
        (lambda d: d["changelog"][1].update(version="0.1"), "changelog[1].version", "must come after"),
        (lambda d: d["changelog"][1].update(version="0.4"), "changelog[1].version", "later than the checklist's"),
        (lambda d: d["changelog"][0]["changes"][0].update(kind="rumour"), "changelog[0].changes[0].kind", "not one of"),
        (
            lambda d: d["changelog"][0]["changes"][0].update(effective="soon"),
            "changelog[0].changes[0].effective",
            "is not a date",
        ),
        (
            lambda d: d["changelog"][0]["changes"][0].update(touches=["imprnt"]),
            "changelog[0].changes[0].touches[0]",
            "unknown requirement or note 'imprnt'",
        ),
        (
            lambda d: d["changelog"][1]["changes"][2].update(retired=["consent"]),
            "changelog[1].changes[2].retired[0]",
            "still exists",
        ),
        (lambda d: d["changelog"][0]["changes"][0].pop("touches"), "changelog[0].changes[0]", "name the requirements"),
        (
            lambda d: d["changelog"][0]["changes"][0]["summary"].pop("en"),
            "changelog[0].changes[0].summary",
            "missing translation",
        ),
        (lambda d: d["changelog"][0].update(changes=[]), "changelog[0].changes", "non-empty list"),
        (lambda d: d.update(changelog={}), "changelog", "non-empty list"),
        (
            lambda d: d["changelog"][1]["changes"][0].update(id="new-law"),
            "changelog[1].changes[0].id",
            "duplicate change id",
        ),
    ],
)
def test_a_bad_changelog_fails_with_file_path_and_reason(tmp_path, mutate, path, fragment):
    found = errors(tmp_path, mutate)
    assert any(p == path and fragment in m for p, m in found), found


def test_a_check_hears_of_later_changes_to_what_it_judged_and_nothing_else(tmp_path):
    changelog = load(tmp_path).changelog
    # Judged under 0.1 with the imprint and the note: the 0.2 law and the 0.3 court decision, not the wording.
    assert [(c.version, c.kind) for c in changes_since(changelog, "0.1", {"imprint", "note"})] == [
        ("0.2", "law"),
        ("0.3", "court_decision"),
    ]
    assert [c.kind for c in changes_since(changelog, "0.2", {"imprint", "note"})] == ["court_decision"]
    assert changes_since(changelog, "0.3", {"imprint", "consent", "note"}) == []
    assert changes_since(changelog, "0.1", {"newsletter"}) == []  # nothing it judged changed
    # A retired requirement still reaches the checks that judged it.
    assert [c.kind for c in changes_since(changelog, "0.2", {"old-imprint"})] == ["provider_terms"]


def test_versions_compare_by_their_numbers():
    assert version_key("1.10.0") > version_key("1.9.2") > version_key("1.9")


def test_the_whatsapp_changelog_tells_a_1_0_0_check_about_the_verdict(whatsapp):
    touched = changes_since(whatsapp.changelog, "1.0.0", {"third-country-transfer"})
    assert [c.kind for c in touched] == ["court_decision"]
    assert "T-553/23" in touched[0].summary.get("de")
    # Every change a finished check hears of came with 1.1.0, the version that changed the verdict.
    assert {c.version for c in whatsapp.changelog if c.matters} == {"1.1.0"}


def test_the_whatsapp_1_2_0_changes_tell_no_finished_check_anything(whatsapp):
    """1.2.0 brought plain words, next steps and documents but judges as 1.1.0 did: all of it is wording."""
    assert whatsapp.version == "1.2.0"
    assert {c.version for c in whatsapp.changelog} == {"1.1.0", "1.2.0"}
    newest = [c for c in whatsapp.changelog if c.version == "1.2.0"]
    assert {c.id for c in newest} >= {"questions-plain-words", "next-steps", "documents-filled-in"}
    assert all(c.kind == "wording" for c in newest)
    everything = {r.id for r in whatsapp.requirements} | {n.id for n in whatsapp.notes}
    assert changes_since(whatsapp.changelog, "1.1.0", everything) == []
