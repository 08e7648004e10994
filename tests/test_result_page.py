"""What the business owner sees after the last step, downloads as PDF, and can delete."""

import io
import re

import pytest
from pypdf import PdfReader

from compliance_wizard.assessments import reports
from compliance_wizard.assessments.models import Assessment, ReportFile
from tests.downloads import download
from tests.test_wizard_flow import KRAUSE, PAINTER
from tests.wizard import WizardRun

pytestmark = pytest.mark.django_db

HOSTILE_NAME = "<link rel=attachment href=file:///etc/passwd><script>alert(1)</script>"


@pytest.fixture
def painter(client):
    """Malerbetrieb Muster: private phones, nothing set up; many gaps."""
    run = WizardRun(client, "whatsapp-business")
    run.start("Malerbetrieb Muster", "www.maler-muster.de")
    run.page = run.answer_all(PAINTER)
    return run


def test_the_score_and_band_come_first_and_the_version_last(painter):
    body = painter.page.content.decode()
    score = body.index('class="score-number"')
    assert score < body.index("Ihre nächsten Schritte") < body.index('id="gaps-heading"')
    assert "Dringender Handlungsbedarf" in body
    # The version and rule hash are for the record, not for the first look: at the end, under "About".
    about = body.index("Über diese Auswertung")
    assert body.index("Checkliste in Version 1.2.0") > about > body.index('id="gaps-heading"')
    assert painter.assessment.result["de"]["checklist"]["hash"][:12] in body[about:]


def test_three_next_steps_most_urgent_first_each_linking_to_its_finding(painter):
    body = painter.page.content.decode()
    plan = body[body.index('class="next-steps"') : body.index("</section>", body.index('class="next-steps"'))]
    findings = {f["id"]: f for f in painter.assessment.result["de"]["findings"]}
    linked = re.findall(r'href="#finding-([a-z0-9_-]+)"', plan)
    assert len(linked) == 3
    assert findings[linked[0]]["severity"] == "critical"
    for finding_id in linked:
        assert findings[finding_id]["status"] in ("gap", "to_clarify")
        assert f'id="finding-{finding_id}"' in body
        assert findings[finding_id]["next_step"] in plan  # one sentence: the first concrete step


def test_every_finding_is_one_closed_line_with_its_risk_grouped_with_jump_links(painter):
    body = painter.page.content.decode()
    result = painter.assessment.result["de"]
    gaps = [f for f in result["findings"] if f["status"] == "gap"]
    assert body.count('<details class="finding') == sum(f["status"] != "not_applicable" for f in result["findings"])
    assert '<details class="finding' in body and " open>" not in body  # nothing opened before the reader asks
    for heading in ("gaps-heading", "clarify-heading", "notes-heading", "met-heading"):
        assert f'id="{heading}"' in body
    for group in ("group-gaps", "group-clarify", "group-notes", "group-met"):
        assert f'href="#{group}"' in body and f'id="{group}"' in body
    assert f"Lücken ({len(gaps)})" in body and "Hinweise (" in body


def test_open_findings_are_sorted_by_risk_and_say_what_to_do(painter):
    body = painter.page.content.decode()
    gaps = body[body.index('id="gaps-heading"') : body.index('id="clarify-heading"')]
    headings = [gaps.index(f"Risiko: {label}") for label in ("Kritisch", "Hoch", "Mittel")]
    assert headings == sorted(headings)
    result = painter.assessment.result["de"]
    for finding in result["findings"]:
        if finding["status"] == "gap":
            assert finding["title"] in body
            assert finding["remediation"][0] in body  # what to do
            assert finding["norms"][0] in body  # the legal norm


def test_findings_to_clarify_say_what_to_check(painter):
    body = painter.page.content.decode()
    result = painter.assessment.result["de"]
    to_clarify = [f for f in result["findings"] if f["status"] == "to_clarify"]
    assert to_clarify
    assert "Was Sie prüfen sollten" in body
    for finding in to_clarify:
        assert finding["clarify"] in body


def test_every_ready_made_text_has_a_copy_button_that_works_without_inline_script(painter):
    body = painter.page.content.decode()
    texts = re.findall(r'<pre class="template-text" id="([^"]+)"', body)
    assert texts
    for text_id in texts:
        assert f'data-copy="{text_id}"' in body
    # Hidden until the self-hosted script finds a clipboard; the text itself stays selectable without it.
    assert body.count('<p class="copy" hidden>') == len(texts)
    assert re.search(r'<script src="/static/js/copy(\.[0-9a-f]+)?\.js" defer>', body)
    assert "<script>" not in body


def test_text_templates_are_filled_with_the_business_name_and_website(painter):
    body = painter.page.content.decode()
    assert "Textvorlage: Begrüßungsnachricht" in body
    assert "Malerbetrieb Muster" in body
    assert "https://www.maler-muster.de" in body
    assert "{business_name}" not in body and "{website}" not in body


def test_met_requirements_are_listed_compactly(client):
    run = WizardRun(client, "whatsapp-business")
    run.start()
    body = run.answer_all(KRAUSE.answers).content.decode()
    assert "Keine Lücken gefunden" in body
    assert "Bereits erfüllt" in body
    assert 'class="compact"' in body


def test_the_result_page_offers_pdf_and_new_check_at_top_and_end_and_delete_at_the_end(painter):
    body = painter.page.content.decode()
    assert body.count(f"/result/{painter.token}/report.pdf") == 2
    assert body.count('href="/check/whatsapp-business/"') == 2
    assert body.count(f"/result/{painter.token}/delete/") == 1
    assert body.index(f"/result/{painter.token}/delete/") > body.index('id="gaps-heading"')


def test_the_result_page_switches_language(painter):
    body = painter.client.get(f"/result/{painter.token}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Urgent action needed" in body and "Your result" in body


def test_the_pdf_download_holds_the_report(painter):
    response = download(painter.client, f"/result/{painter.token}/report.pdf?lang=de")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response.content.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    assert "Malerbetrieb Muster" in flat
    assert "26" in flat
    for finding in painter.assessment.result["de"]["findings"]:
        if finding["status"] == "gap" and finding["severity"] != "info":
            assert " ".join(finding["title"].split()) in flat, finding["title"]


def test_a_second_download_is_served_without_rendering_again(painter, monkeypatch):
    calls = []
    real = reports.render_pdf
    monkeypatch.setattr(reports, "render_pdf", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = download(painter.client, f"/result/{painter.token}/report.pdf?lang=de").content
    second = download(painter.client, f"/result/{painter.token}/report.pdf?lang=de").content
    assert first == second and len(calls) == 1
    download(painter.client, f"/result/{painter.token}/report.pdf?lang=en")
    assert len(calls) == 2  # another language is another report
    assert ReportFile.objects.filter(assessment=painter.assessment).count() == 2


def test_a_draft_has_no_result_yet(client):
    run = WizardRun(client, "whatsapp-business")
    run.start()
    assert client.get(f"/result/{run.token}/")["Location"] == f"/draft/{run.token}/"
    assert client.get(f"/result/{run.token}/report.pdf").status_code == 404


def test_deleting_removes_the_check_and_its_reports_at_once(painter):
    download(painter.client, f"/result/{painter.token}/report.pdf")
    confirm = painter.client.get(f"/result/{painter.token}/delete/", HTTP_ACCEPT_LANGUAGE="de")
    assert "endgültig gelöscht" in confirm.content.decode()
    assert Assessment.objects.count() == 1  # asking is not deleting

    response = painter.client.post(f"/result/{painter.token}/delete/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 302 and response["Location"] == "/"
    assert Assessment.objects.count() == 0 and ReportFile.objects.count() == 0
    assert "wurden gelöscht" in painter.client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert painter.client.get(f"/result/{painter.token}/").status_code == 404


def test_a_draft_can_be_deleted_too(client):
    run = WizardRun(client, "whatsapp-business")
    run.start()
    run.post("usage", KRAUSE.answers)
    client.post(f"/result/{run.token}/delete/")
    assert not Assessment.objects.exists()
    assert client.get(f"/draft/{run.token}/").status_code == 404


def test_hostile_business_name_is_text_in_page_and_pdf(client):
    run = WizardRun(client, "whatsapp-business")
    run.start(HOSTILE_NAME, "https://example.com/<b>")
    body = run.answer_all(PAINTER).content.decode()
    assert "<script>alert(1)</script>" not in body and "<link rel=attachment" not in body
    assert "&lt;link rel=attachment href=file:///etc/passwd&gt;" in body

    pdf = download(client, f"/result/{run.token}/report.pdf").content
    assert pdf.startswith(b"%PDF")
    assert b"/EmbeddedFile" not in pdf and b"root:x:0:0" not in pdf
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "<script>alert(1)</script>" in "".join(text.split("\n"))


def test_a_result_stored_under_checklist_1_0_0_still_reads_as_it_was_scored(painter):
    """Results are frozen: one scored before notes and caps existed keeps its score, and its open "info"
    finding (the US transfer, then) is shown as a note, not as a gap."""
    assessment = painter.assessment
    legacy = {}
    for lang, data in assessment.result.items():
        old = {k: v for k, v in data.items() if k != "cap"}
        old["checklist"] = {**data["checklist"], "version": "1.0.0"}
        old["score"], old["band"] = 86, {**data["band"], "id": "red"}
        old["findings"] = [
            {
                k: v
                for k, v in f.items()
                if k not in ("severity_reason", "reviewed", "clarify_reason", "lowers_risk", "next_step")
            }
            | (
                {"status": "gap", "status_label": "Lücke", "remediation": ["Grundlage notieren."]}
                if f["status"] == "note"
                else {}
            )
            for f in data["findings"]
        ]
        legacy[lang] = old
    Assessment.objects.filter(pk=assessment.pk).update(result=legacy, score=86, band="red", checklist_version="1.0.0")

    body = painter.client.get(f"/result/{painter.token}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<span class="score-number">86</span>' in body and 'class="cap"' not in body
    notes = body[body.index('id="notes-heading"') :]
    assert "Restrisiko: Übermittlung in die USA" in notes
    assert "Grundlage notieren." not in body.split('id="notes-heading"')[0]  # not among the gaps
    # Without a stored next step, the plan falls back to each finding's first step or what to check.
    plan = body[body.index('class="next-steps"') : body.index('id="gaps-heading"')]
    stored = {f["id"]: f for f in legacy["de"]["findings"]}
    for finding_id in re.findall(r'href="#finding-([a-z0-9_-]+)"', plan):
        finding = stored[finding_id]
        assert (finding["remediation"][0] if finding["status"] == "gap" else finding["clarify"]) in plan
    pdf = download(painter.client, f"/result/{painter.token}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
