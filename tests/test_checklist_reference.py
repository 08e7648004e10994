"""The legal reference in docs/checklists/ lists every requirement and note with its severity, the reason
for it, the provisions, the sources and the date of its last legal review, and never falls behind the rules."""

import io

import pytest
from django.core.management import call_command

from compliance_wizard.catalog.reference import checklist_reference, describe
from compliance_wizard.engine.conditions import All, Answered, Compare, Not


def test_the_committed_reference_matches_the_rule_files():
    out = io.StringIO()
    call_command("document_checklists", "--check", stdout=out)  # raises CommandError when out of date
    assert "up to date" in out.getvalue()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_requirement_and_note_is_listed_with_reason_provisions_sources_and_date(whatsapp, lang):
    text = checklist_reference(whatsapp, lang)
    for r in whatsapp.requirements:
        assert f'<a id="{r.id}"></a>{r.title.get(lang)}' in text
        assert r.severity_reason.get(lang) in text
        assert all(n.get(lang) in text for n in r.norms)
        assert r.reviewed.isoformat() in text
    for n in whatsapp.notes:
        assert n.note_reason.get(lang) in text


def test_the_reference_states_the_scoring_rule(whatsapp):
    text = checklist_reference(whatsapp, "en")
    assert "caps the score at 59" in text and "at 84" in text and "Notes never count" in text


def test_a_stale_reference_is_reported(tmp_path):
    with pytest.raises(Exception, match="out of date"):
        call_command("document_checklists", "--check", "--out", str(tmp_path))


def test_conditions_read_in_the_rule_files_notation():
    condition = All((Compare("sector", frozenset({"health_care", "unknown"})), Not(Answered("dpia", False))))
    assert describe(condition) == "(`sector` ∈ {health_care, unknown} and not (`dpia` not asked))"
