"""The documents on the result page and as .docx: filled from the details the owner gives after the check."""

import io
import re

import pytest
from docx import Document as read_docx

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.assessments.services import assessment_delete, assessment_submit, draft_start
from compliance_wizard.branding.brand import Brand
from compliance_wizard.engine import load_checklist
from compliance_wizard.engine.documents import render_documents
from compliance_wizard.report.docx import documents_docx
from tests.conftest import RULES
from tests.test_engine_documents import EVERY_DETAIL
from tests.test_wizard_flow import PAINTER

pytestmark = pytest.mark.django_db

CHECKLIST = load_checklist(RULES / "whatsapp-business")
# Every detail as the form takes it (the website is given at the start, not here).
FORM = {k: v for k, v in EVERY_DETAIL.items() if k != "website"}
# Connected through a Business Solution Provider: the form asks for the provider.
PLATFORM = {"app_variant": "platform", "uses_bsp": "yes", "platform_phones": "yes", "avv_bsp": "yes"}
PLATFORM |= {"bsp_checked": "yes", "bsp_location": "eu"}
HOSTILE = '<script>alert(1)</script> =HYPERLINK("http://evil.example","x") \u202eevil\x07'


def finished(answers=None, name="Malerbetrieb Muster GmbH", website="https://www.maler-muster.de"):
    draft = draft_start(CHECKLIST, "de", name, website)
    return assessment_submit(draft.token, CHECKLIST, {**PAINTER, **(answers or {})})


def page(client, assessment, lang="de"):
    response = client.get(f"/result/{assessment.token}/?lang={lang}", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response.content.decode()


def section(body):
    start = body.index('id="documents"')
    return body[start : body.index("</section>", start)]


def docx_text(content):
    doc = read_docx(io.BytesIO(content))
    paragraphs = [p.text for p in doc.paragraphs]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return doc, "\n".join(paragraphs + cells)


def test_the_documents_come_after_the_findings_with_a_copy_button_each_and_the_details_link(client):
    assessment = finished({"sends_advertising": "no"})
    body = page(client, assessment)
    documents = section(body)
    assert body.index('id="gaps-heading"') < body.index('id="documents"') < body.rindex('class="result-actions"')
    assert "Ihre Dokumente" in documents
    assert "Angaben für Ihre Texte ergänzen" in documents
    assert f'href="/result/{assessment.token}/details/?lang=de"' in documents
    assert f'href="/result/{assessment.token}/documents.docx?lang=de"' in documents
    ids = re.findall(r'<pre class="template-text" id="(document-text-[a-z-]+)">', documents)
    assert ids and all(f'data-copy="{i}"' in documents for i in ids)
    assert "document-text-privacy-section" in ids and "document-text-stop-optin" not in ids
    assert "Noch auszufüllen:" in documents  # nothing given yet beyond name and website


def test_details_are_saved_redirected_and_leave_no_blank_when_complete(client):
    assessment = finished(PLATFORM)
    form = client.get(f"/result/{assessment.token}/details/?lang=de").content.decode()
    assert "Angaben für Ihre Texte" in form and 'name="bsp_name"' in form and 'name="state"' in form
    response = client.post(f"/result/{assessment.token}/details/?lang=de", FORM)
    assert response.status_code == 302
    assert response["Location"] == f"/result/{assessment.token}/?lang=de#documents"
    assessment.refresh_from_db()
    assert assessment.details["email"] == "info@maler-muster.de" and assessment.details["state"] == "by"
    documents = section(page(client, assessment))
    assert "noch auszufüllen" not in documents.lower() and "{" not in documents
    assert "Bayerisches Landesamt für Datenschutzaufsicht (BayLDA), Promenade 18, 91522 Ansbach" in documents
    assert "Chat-Dienst AG, Berlin" in documents
    again = client.get(f"/result/{assessment.token}/details/").content.decode()
    assert 'value="info@maler-muster.de"' in again  # editable afterwards, with what was given


def test_the_provider_is_asked_only_when_the_answers_name_one(client):
    assessment = finished({"app_variant": "business_app"})
    form = client.get(f"/result/{assessment.token}/details/").content.decode()
    assert 'name="bsp_name"' not in form and 'name="email"' in form


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("controller_name", "x" * 50_000, "höchstens 200 Zeichen"),
        ("email", "info@maler-muster.de<script>", "gültige E-Mail-Adresse"),
        ("privacy_url", "javascript:alert(1)", "gültige Adresse"),
        ("imprint_url", "ftp://maler-muster.de/impressum", "gültige Adresse"),
        ("state", "xx", "gültige Auswahl"),
        ("chat_deletion", "7", "gültige Auswahl"),
    ],
)
def test_invalid_details_are_refused_and_nothing_is_stored(client, field, value, message):
    assessment = finished()
    response = client.post(f"/result/{assessment.token}/details/", {**FORM, field: value}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Assessment.objects.get(pk=assessment.pk).details == {}


def test_hostile_details_come_out_literal_and_bounded_on_the_page_and_in_the_docx(client):
    assessment = finished(name="")
    response = client.post(f"/result/{assessment.token}/details/", {**FORM, "controller_name": HOSTILE[:200]})
    assert response.status_code == 302
    stored = Assessment.objects.get(pk=assessment.pk).details["controller_name"]
    assert "\u202e" not in stored and "\x07" not in stored  # bidi override and control character removed
    body = page(client, assessment)
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; =HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)" in body
    content = client.get(f"/result/{assessment.token}/documents.docx").content
    _doc, text = docx_text(content)
    assert '<script>alert(1)</script> =HYPERLINK("http://evil.example","x") evil' in text
    assert "\u202e" not in text and "\x07" not in text


def test_the_docx_has_real_headings_tables_and_the_filled_values(client):
    assessment = finished({"dpo_named": "yes"})
    client.post(f"/result/{assessment.token}/details/", {**FORM, "state": "nw"})
    response = client.get(f"/result/{assessment.token}/documents.docx?lang=de")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert re.match(
        r'attachment; filename="dokumente-malerbetrieb-muster-gmbh-\d{4}-\d\d-\d\d\.docx"',
        response["Content-Disposition"],
    )
    doc, text = docx_text(response.content)
    headings = {p.text: p.style.name for p in doc.paragraphs if p.style.name.startswith("Heading")}
    assert headings["WhatsApp-Abschnitt für Ihre Datenschutzerklärung"] == "Heading 1"
    assert headings["Ihr Widerspruchsrecht (Art. 21 DSGVO)"] == "Heading 2"
    assert len(doc.tables) >= 1 and doc.tables[0].rows[0].cells[0].text == "Verarbeitungstätigkeit"
    for value in ("info@maler-muster.de", "+49 89 123456", "Erika Beispiel", "Hauptstraße 1, 80331 München"):
        assert value in text
    assert "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen (LDI NRW)" in text
    assert "noch auszufüllen" not in text
    english = docx_text(client.get(f"/result/{assessment.token}/documents.docx?lang=en").content)[1]
    assert "Your right to object (Art. 21 GDPR)" in english


def test_a_branded_docx_carries_the_brand_name_in_its_header():
    documents = render_documents(CHECKLIST, PAINTER, EVERY_DETAIL, "de")
    doc, _text = docx_text(documents_docx(documents, "de", "Muster GmbH", Brand(name="Datenschutzberatung Beispiel")))
    assert "Datenschutzberatung Beispiel" in doc.sections[0].header.paragraphs[0].text
    plain, _ = docx_text(documents_docx(documents, "de", "Muster GmbH", None))
    assert plain.sections[0].header.paragraphs[0].text == ""


def test_the_details_go_with_the_check(client):
    assessment = finished()
    client.post(f"/result/{assessment.token}/details/", FORM)
    assessment_delete(Assessment.objects.get(pk=assessment.pk))
    assert not Assessment.objects.filter(details__email="info@maler-muster.de").exists()
    assert client.get(f"/result/{assessment.token}/details/").status_code == 404
    assert client.get(f"/result/{assessment.token}/documents.docx").status_code == 404


def test_a_draft_has_no_documents_yet(client):
    draft = draft_start(CHECKLIST, "de", "Muster", "")
    assert client.get(f"/result/{draft.token}/documents.docx").status_code == 404
    assert client.get(f"/result/{draft.token}/details/").status_code == 404


def test_the_consultant_sees_the_documents_edits_the_details_and_gets_the_branded_docx(client, dana):
    from tests.workspace import add_client, finished_check

    assessment = finished_check(add_client(dana, "Malerbetrieb Krause"), PAINTER)
    client.force_login(dana.user)
    body = client.get(f"/workspace/checks/{assessment.pk}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Ihre Dokumente" in section(body)
    response = client.post(f"/result/{assessment.token}/details/", FORM)
    assert response["Location"] == f"/workspace/checks/{assessment.pk}/?lang=de#documents"
    doc, text = docx_text(client.get(f"/result/{assessment.token}/documents.docx").content)
    assert "info@maler-muster.de" in text
    assert "Datenschutz Schulz" in doc.sections[0].header.paragraphs[0].text
