"""Every persona's verdict reads the same wherever an owner, a consultant or a chamber meets it: the result
page, the PDF, `assess --json` and the chamber's statistics row show one capped score, one band, the notes
apart from the gaps, and why the score is held down.
"""

import datetime
import io
import json

import pypdf
import pytest
import yaml
from django.core.management import call_command
from hypothesis import given, settings

from compliance_wizard.assessments.services import assessment_submit, draft_start
from compliance_wizard.catalog import registry
from compliance_wizard.chambers.models import Chamber, CheckStatistic
from compliance_wizard.engine import evaluate, load_checklist
from compliance_wizard.engine.texts import BAND_LABELS
from compliance_wizard.report.pdf import render_pdf
from tests.cases import CASES
from tests.conftest import RULES
from tests.verdict import answer_sets, assert_verdict_holds

WHATSAPP = load_checklist(RULES / "whatsapp-business")
CASE = {case.name: case for case in CASES}
CAP_SENTENCE = {
    59: "Die Punktzahl bleibt unter 60, weil ein kritischer Punkt offen ist",
    84: "Die Punktzahl bleibt unter 85, weil ein Punkt mit hohem oder kritischem Risiko noch offen ist",
}

# One persona per principle of the verdict, for the surfaces that are slow to produce (the PDF).
PDF_PERSONAS = [
    "Friseurin Yilmaz answers customers from her private WhatsApp",  # 1: a knock-out shows 59, not 89
    "Whole address book shared and chats backed up to iCloud unencrypted",  # 2: critical per source 002
    "US transfer not in the records: a small duty of its own, the note stays",  # 3: notes apart
    "Existing customers on the § 7 (3) UWG exception, every condition checked: still to clarify",  # 4
    "Writes first to numbers from quotes, no consent, no notice",  # 5
    "Pflegedienst Sonnenschein: nurses send wound photos over WhatsApp",  # 6 and 7
]

pytestmark = pytest.mark.django_db


@pytest.fixture
def chamber(db):
    return Chamber.objects.create(slug="hwk-musterstadt", name="Handwerkskammer Musterstadt")


def submit(chamber, answers):
    checklist = registry.get(WHATSAPP.id)
    draft = draft_start(checklist, "de", "Betrieb Muster", chamber=chamber)
    return assessment_submit(draft.token, checklist, answers)


def squash(text: str) -> str:
    return "".join(text.split())


def result_page(client, assessment) -> str:
    response = client.get(f"/hwk/hwk-musterstadt/result/{assessment.token}/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_page_and_the_statistics_row_show_the_engines_verdict(client, chamber, case):
    result = evaluate(WHATSAPP, case.answers)
    assessment = submit(chamber, case.answers)
    assert (assessment.score, assessment.band) == (result.score, result.band)

    row = CheckStatistic.objects.get(chamber=chamber)
    assert (row.score, row.band) == (result.score, result.band)
    assert row.gaps == [f.requirement.id for f in result.open_findings]  # gaps and points to clarify, no notes

    page = result_page(client, assessment)
    assert f'<span class="score-number">{result.score}</span>' in page
    assert f'class="score band-{result.band}"' in page
    assert BAND_LABELS[result.band]["de"] in page
    if result.cap:
        assert CAP_SENTENCE[result.cap.limit] in page
    else:
        assert 'class="cap"' not in page
    notes_section = page[page.index('id="notes-heading"') :] if result.notes else ""
    for note in result.notes:
        assert note.title.get("de") in notes_section
    assert 'class="tag status">Lücke' not in notes_section.split("</section>")[0]  # a note is never a gap


@settings(max_examples=25)
@given(answers=answer_sets(WHATSAPP))
def test_any_answers_give_one_verdict_on_page_and_in_statistics(client, chamber, answers):
    result = evaluate(WHATSAPP, answers)
    assert_verdict_holds(result)
    assessment = submit(chamber, answers)
    row = CheckStatistic.objects.filter(chamber=chamber).latest("pk")
    assert (assessment.score, assessment.band, row.score, row.band) == (result.score, result.band) * 2
    assert f'<span class="score-number">{result.score}</span>' in result_page(client, assessment)


@pytest.mark.parametrize("name", PDF_PERSONAS)
def test_the_pdf_shows_the_same_verdict(name):
    result = evaluate(WHATSAPP, CASE[name].answers)
    data = result.to_dict("de", "Betrieb Muster")
    _filename, _type, content = render_pdf(data, generated_on=datetime.date(2026, 12, 2))
    text = squash("\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages))
    assert squash(f"{result.score} / 100") in text
    assert squash(BAND_LABELS[result.band]["de"]) in text
    if result.cap:
        assert squash(CAP_SENTENCE[result.cap.limit]) in text
    assert squash("Hinweise: Risiken, die bleiben") in text
    for note in result.notes:
        assert squash(note.title.get("de")) in text
    assert squash("Vorschriften") in text  # norms are provisions: not all of them are legal bases


@pytest.mark.parametrize("name", PDF_PERSONAS)
def test_assess_json_gives_the_same_verdict(tmp_path, name):
    case = CASE[name]
    answers_file = tmp_path / "answers.yaml"
    answers_file.write_text(yaml.safe_dump({"checklist": WHATSAPP.id, "answers": case.answers}), encoding="utf-8")
    out = io.StringIO()
    call_command("assess", str(answers_file), "--json", "-", stdout=out)
    data = json.loads(out.getvalue())
    result = evaluate(WHATSAPP, case.answers)
    assert (data["score"], data["band"]["id"], data["capped_by"]) == (result.score, result.band, list(result.capped_by))
    assert [f["id"] for f in data["findings"] if f["status"] == "note"] == [n.id for n in result.notes]

    summary = io.StringIO()
    call_command("assess", str(answers_file), stdout=summary)
    assert f"Ergebnis: {result.score}/100 · {BAND_LABELS[result.band]['de']}" in summary.getvalue()
