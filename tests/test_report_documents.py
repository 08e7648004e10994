"""The documents as the PDF report's appendix: printed filled in once the owner has given details."""

import io

import pypdf
import pytest

from compliance_wizard.assessments import reports
from compliance_wizard.assessments.services import assessment_details_save
from compliance_wizard.engine import check_answers, read_answers_file, score
from compliance_wizard.engine.details import clean_details
from compliance_wizard.engine.documents import render_documents
from compliance_wizard.report.pdf import appendix_documents, render_pdf
from tests.test_documents_page import CHECKLIST, FORM, HOSTILE, finished
from tests.test_engine_documents import EVERY_DETAIL
from tests.test_report_pdf import EXAMPLE, GENERATED_ON, struct_elements

HEADING = "Anhang: Ihre Dokumente"


def squash(text):
    return "".join(text.split())


class Report:
    def __init__(self, details, details_given):
        document = read_answers_file(EXAMPLE)
        check = check_answers(CHECKLIST, document.answers)
        self.data = score(CHECKLIST, check.answers).to_dict("de", document.business_name, document.website)
        details, problems = clean_details(details)  # as every way in stores them
        assert not problems
        self.documents = render_documents(CHECKLIST, check.answers, details, "de")
        _, _, content = render_pdf(
            self.data, generated_on=GENERATED_ON, documents=self.documents, details_given=details_given
        )
        self.reader = pypdf.PdfReader(io.BytesIO(content))
        self.pages = [page.extract_text() for page in self.reader.pages]
        self.text = squash("\n".join(self.pages))

    def appendix(self):
        return self.text[self.text.index(squash(HEADING)) : self.text.index(squash("Über diese Auswertung"))]


@pytest.fixture(scope="module")
def without_details():
    """The example check as it comes from the wizard: only the name and website from the start."""
    document = read_answers_file(EXAMPLE)
    return Report({"controller_name": document.business_name, "website": document.website}, False)


@pytest.fixture(scope="module")
def every_detail():
    return Report(EVERY_DETAIL, True)


@pytest.fixture(scope="module")
def hostile():
    """Some details given, one of them hostile: the rest is still to fill in."""
    return Report({"controller_name": HOSTILE, "controller_address": "x" * 300, "state": "hh"}, True)


def test_without_details_the_example_report_keeps_to_twelve_pages_and_prints_no_blanks(without_details):
    assert len(without_details.pages) <= 12
    assert squash(HEADING) not in without_details.text
    assert without_details.documents  # there were documents to leave out


def test_with_every_detail_each_document_is_printed_after_the_templates_and_filled(every_detail):
    text = every_detail.text
    assert text.index(squash("Anhang: Textvorlagen")) < text.index(squash(HEADING)) < text.rindex(squash("Quellen"))
    appendix = every_detail.appendix()
    for document in every_detail.documents:
        assert squash(document.title) in appendix, document.id
        assert not document.missing, document.id
    assert "nochauszufüllen" not in appendix.lower()
    assert squash("info@maler-muster.de") in appendix and squash("Hauptstraße 1, 80331 München") in appendix
    assert squash("Bayerisches Landesamt für Datenschutzaufsicht (BayLDA), Promenade 18, 91522 Ansbach") in appendix
    assert squash("Widerspruchsrecht (Art. 21 DSGVO)") in appendix


def test_each_document_starts_with_its_title_then_where_to_use_it(every_detail):
    appendix = every_detail.appendix()
    for document in every_detail.documents:
        assert squash(f"{document.title}{document.usage}") in appendix, document.id


def test_the_records_entry_is_a_tagged_table_with_row_headers(every_detail):
    tags = [tag for tag, _ in struct_elements(every_detail.reader.trailer["/Root"])]
    assert "/Table" in tags and "/TH" in tags and "/TD" in tags
    records = next(d for d in every_detail.documents if d.id == "records-entry")
    label, value = next(row for section in records.sections for row in section.rows)
    assert squash(f"{label}{value}") in every_detail.appendix()


def test_missing_details_are_listed_at_the_top_and_hostile_values_come_out_as_typed(hostile):
    appendix = hostile.appendix()
    privacy = next(d for d in hostile.documents if d.id == "privacy-section")
    assert squash(f"{privacy.title}{privacy.usage}{privacy.missing_line}") in appendix
    assert "E-Mail-Adresse" in privacy.missing and "Anschrift des Betriebs" not in privacy.missing
    assert squash('<script>alert(1)</script> =HYPERLINK("http://evil.example","x")') in appendix
    assert "\u202e" not in "".join(hostile.pages) and "\x07" not in "".join(hostile.pages)
    assert "x" * 300 in appendix
    assert squash("Hamburgischer Beauftragter für Datenschutz und Informationsfreiheit (HmbBfDI)") in appendix


@pytest.mark.django_db
def test_an_edited_detail_never_serves_the_pdf_rendered_before(monkeypatch):
    rendered = []
    monkeypatch.setattr(reports, "render_pdf", lambda data, **kw: rendered.append(kw) or ("r.pdf", "x", b"%PDF"))
    assessment = finished()
    extras = {}
    reports.report_pdf(assessment, "de", extras)
    assert reports.cached_report_pdf(assessment, "de", extras) is not None
    assert rendered[-1]["details_given"] is False

    assessment_details_save(assessment, FORM)
    assert reports.cached_report_pdf(assessment, "de", extras) is None
    reports.report_pdf(assessment, "de", extras)
    assert rendered[-1]["details_given"] is True
    assert any("info@maler-muster.de" in d.text for d in rendered[-1]["documents"])

    assessment_details_save(assessment, {**FORM, "email": "büro@maler-muster.de"})
    assert reports.cached_report_pdf(assessment, "de", extras) is None
    reports.report_pdf(assessment, "de", extras)
    assert len(rendered) == 3


def test_the_report_prints_documents_only_once_details_are_given():
    documents = render_documents(CHECKLIST, {}, {}, "de")
    assert documents
    assert appendix_documents(documents, False) == []
    assert appendix_documents(documents, True) == documents
