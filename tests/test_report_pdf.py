"""The PDF report, read back the way its reader (and a screen reader) gets it.

Each persona's PDF is rendered once per module; the tests then read its text and structure with pypdf.
"""

import datetime
import io
import logging
import urllib.request
from io import StringIO
from pathlib import Path

import pypdf
import pytest
import weasyprint
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint.urls import FatalURLFetchingError

from compliance_wizard.catalog import registry
from compliance_wizard.engine import check_answers, load_checklist, read_answers_file, score
from compliance_wizard.report import pdf as report_pdf
from compliance_wizard.report.fetcher import PSEUDO_ORIGIN, FetchRefused, ReportFetcher, static_prefix
from compliance_wizard.report.pdf import TEMPLATE, render_pdf, report_context, report_filename
from tests.cases import CASES
from tests.conftest import ROOT, RULES

EXAMPLE = ROOT / "examples" / "malerbetrieb-muster.yaml"
GENERATED_ON = datetime.date(2026, 11, 23)
HOSTILE_NAME = '<link rel=attachment href=file:///etc/passwd><img src="http://example.com/x.png">'
HOSTILE_WEBSITE = 'https://example.com/"><link rel=stylesheet href="http://example.com/evil.css">'


class Rendered:
    """One rendered report and what a reader gets out of it."""

    def __init__(self, data, result, urls=()):
        self.data = data
        self.filename, self.content_type, self.content = result
        self.reader = pypdf.PdfReader(io.BytesIO(self.content))
        self.pages = [page.extract_text() for page in self.reader.pages]
        self.text = "\n".join(self.pages)
        self.urls = list(urls)

    @property
    def catalog(self):
        return self.reader.trailer["/Root"]

    def has(self, fragment: str) -> bool:
        """Whether the text holds `fragment`, wherever the layout broke its lines."""
        return squash(fragment) in squash(self.text)

    def titles(self, *kinds):
        context = report_context(self.data, GENERATED_ON)
        return [row["title"] for row in context["rows"] if row["kind"] in kinds]


def squash(text: str) -> str:
    return "".join(text.split())


def summary_text(rendered) -> str:
    """Pages 1 and 2, squashed: the summary may take both."""
    return squash("\n".join(rendered.pages[:2]))


def plan_text(rendered) -> str:
    """The action plan, squashed: from its heading to the background that follows it."""
    text = squash(rendered.text)
    start = text.index(squash("Aktionsplan: alle Schritte zum Abhaken"))
    return text[start : text.index(squash("Hintergrund zu den offenen Punkten"), start)]


def struct_elements(node):
    """The tagged structure in reading order: (tag, element) pairs."""
    node = node.get_object()
    if isinstance(node, pypdf.generic.ArrayObject):
        for child in node:
            yield from struct_elements(child)
        return
    if not isinstance(node, pypdf.generic.DictionaryObject):
        return
    if "/S" in node:
        yield str(node["/S"]), node
    if "/K" in node:
        yield from struct_elements(node["/K"])
    if "/StructTreeRoot" in node:
        yield from struct_elements(node["/StructTreeRoot"])


@pytest.fixture(scope="module")
def checklist():
    return load_checklist(RULES / "whatsapp-business")


def painter_data(checklist, lang):
    """Malerbetrieb Muster: WhatsApp Business on one company phone, many gaps (examples/)."""
    document = read_answers_file(EXAMPLE)
    check = check_answers(checklist, document.answers)
    assert check.ok, check.problems
    return score(checklist, check.answers).to_dict(lang, document.business_name, document.website)


def case_data(checklist, name, lang, business_name="", website=""):
    case = next(c for c in CASES if c.name.startswith(name))
    check = check_answers(checklist, case.answers)
    assert check.ok, check.problems
    return score(checklist, check.answers).to_dict(lang, business_name, website)


@pytest.fixture(scope="module")
def painter(checklist):
    data = painter_data(checklist, "de")
    return Rendered(data, render_pdf(data, generated_on=GENERATED_ON))


@pytest.fixture(scope="module")
def painter_en(checklist):
    data = painter_data(checklist, "en")
    return Rendered(data, render_pdf(data, generated_on=GENERATED_ON))


@pytest.fixture(scope="module")
def krause(checklist):
    """Malermeister Krause has set everything up, and left the business name empty."""
    data = case_data(checklist, "Malermeister Krause", "de")
    return Rendered(data, render_pdf(data, generated_on=GENERATED_ON))


@pytest.fixture(scope="module")
def hostile(checklist):
    """Someone types markup into the business name and website, hoping the renderer fetches it."""
    data = case_data(checklist, "No privacy notice in the greeting", "de", HOSTILE_NAME, HOSTILE_WEBSITE)
    urls = []

    class SpyFetcher(ReportFetcher):
        def fetch(self, url, headers=None):
            urls.append(url)
            return super().fetch(url, headers)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(report_pdf, "ReportFetcher", SpyFetcher)
        result = render_pdf(data, generated_on=GENERATED_ON)
    return Rendered(data, result, urls)


class TestPainterWithManyGaps:
    def test_is_a_pdf_with_a_safe_file_name(self, painter):
        assert painter.content.startswith(b"%PDF")
        assert painter.content_type == "application/pdf"
        assert painter.filename == "dsgvo-check-whatsapp-business-malerbetrieb-muster-gmbh-2026-11-23.pdf"

    def test_fits_on_twelve_pages(self, painter):
        assert len(painter.pages) <= 12

    def test_first_page_names_business_date_score_and_band(self, painter):
        cover = painter.pages[0]
        data = painter.data
        for fragment in (
            "Malerbetrieb Muster GmbH",
            "https://www.malerbetrieb-muster.de",
            data["checklist"]["title"],
            "23. November 2026",
            f"{data['score']} / 100",
            data["band"]["label"],
        ):
            assert squash(fragment) in squash(cover), fragment

    def test_first_page_counts_notes_apart_from_gaps(self, painter):
        context = report_context(painter.data, GENERATED_ON)
        counts = context["counts"]
        gaps = [f for f in painter.data["findings"] if f["status"] == "gap"]
        assert counts["gap"] == len(gaps) > 0
        assert counts["note"] == 3
        assert squash(f"Lücken: {counts['gap']}") in squash(painter.pages[0])
        assert squash(f"Hinweise (nicht gezählt): {counts['note']}") in squash(painter.pages[0])

    def test_the_summary_shows_the_chart_figures_as_text(self, painter):
        summary = summary_text(painter)
        levels = {"critical": "Kritisch", "high": "Hoch", "medium": "Mittel", "low": "Niedrig"}
        for level, label in levels.items():
            open_here = [f for f in painter.data["findings"] if f["severity"] == level]
            gaps = sum(f["status"] == "gap" for f in open_here)
            unclear = sum(f["status"] == "to_clarify" for f in open_here)
            assert squash(f"{label} {gaps} {unclear}") in summary, label
        assert squash("Mittel 8 2") in summary  # the painter's figures, counted by hand

    def test_the_chart_is_an_image_that_says_its_figures(self, painter):
        (chart,) = [str(node["/Alt"]) for tag, node in struct_elements(painter.catalog) if tag == "/Figure"]
        assert chart.startswith("Balkendiagramm der offenen Punkte nach Risiko.")
        assert "Kritisch: 1 Lücke, 1 zu klären" in chart and "Mittel: 8 Lücken, 2 zu klären" in chart

    def test_the_summary_names_the_three_next_steps(self, painter):
        summary = summary_text(painter)
        assert squash("Ihre nächsten Schritte") in summary
        context = report_context(painter.data, GENERATED_ON)
        assert len(context["next_steps"]) == 3
        for step in context["next_steps"]:
            assert squash(step["title"]) in summary, step["title"]
            assert squash(step["first_step"]) in summary, step["id"]
            assert squash(f"Punkt {step['number']} im Aktionsplan") in summary

    def test_every_page_has_a_footer_with_the_business_and_page_numbers_but_no_hash(self, painter):
        total = len(painter.pages)
        short_hash = painter.data["checklist"]["hash"][:12]
        for number, text in enumerate(painter.pages, 1):
            assert squash(f"Malerbetrieb Muster GmbH Seite {number} von {total}") in squash(text), number
        assert not any(short_hash in text for text in painter.pages[:-1])

    def test_the_last_page_says_version_and_hash(self, painter):
        last = squash(painter.pages[-1])
        checklist = painter.data["checklist"]
        assert squash("Über diese Auswertung") in last
        assert squash(f"Version {checklist['version']}") in last and checklist["hash"] in last

    def test_every_requirement_is_in_the_report(self, painter):
        for finding in painter.data["findings"]:
            assert painter.has(finding["title"]), finding["title"]
        short = squash(painter.text)[squash(painter.text).index(squash("Bereits erfüllt (4)")) :]
        for finding in painter.data["findings"]:
            if finding["status"] in ("met", "not_applicable"):
                assert squash(finding["title"]) in short, finding["title"]

    def test_every_gap_and_open_question_has_its_background(self, painter):
        background = squash(painter.text)[squash(painter.text).index(squash("Hintergrund zu den offenen Punkten")) :]
        for title in painter.titles("gap", "to_clarify"):
            assert squash(title) in background, title
        assert squash("Warum das wichtig ist") in background
        assert squash("Art. 28 Abs. 3 DSGVO") in background

    def test_the_plan_writes_out_every_step_of_every_open_point_once(self, painter):
        plan = plan_text(painter)
        context = report_context(painter.data, GENERATED_ON)
        steps = [step for row in context["open_rows"] for step in row["remediation"]]
        assert len(steps) > 50
        for step in steps:
            assert squash(step) in plan, step
            # not repeated in the background (the first page may quote a step among the next steps)
            assert squash("\n".join(painter.pages[1:])).count(squash(step)) == 1, step
        assert squash("Schritt 1") not in squash(painter.text)

    def test_the_plan_has_a_line_to_sign_off_per_step_and_per_point_to_check(self, painter):
        context = report_context(painter.data, GENERATED_ON)
        steps = sum(len(row["remediation"]) for row in context["open_rows"])
        checks = sum(row["kind"] == "to_clarify" for row in context["open_rows"])
        assert checks == 3
        assert painter.text.count("erledigt am") == steps + checks

    def test_the_plan_starts_on_a_page_of_its_own_and_ends_before_the_background(self, painter):
        starts = [n for n, text in enumerate(painter.pages) if "Aktionsplan: alle Schritte zum Abhaken" in text]
        assert starts == [1]
        background = next(n for n, text in enumerate(painter.pages) if "Hintergrund zu den offenen Punkten" in text)
        assert "erledigt am" not in painter.pages[background]

    def test_open_questions_say_what_to_check_in_the_plan(self, painter):
        lost = next(f for f in painter.data["findings"] if f["id"] == "lost-device")
        assert lost["status"] == "to_clarify"
        plan = plan_text(painter)
        assert squash(f"Was Sie prüfen sollten: {lost['clarify']}") in plan
        assert squash(lost["unclear_questions"][0]["text"]) in plan

    def test_points_open_by_their_answer_say_why(self, painter):
        avv = next(f for f in painter.data["findings"] if f["id"] == "avv-whatsapp")
        assert (avv["status"], avv["unclear_questions"]) == ("to_clarify", [])  # accepted, no copy filed
        assert painter.has("Warum das noch offen ist") and painter.has(avv["clarify_reason"])

    def test_residual_risks_are_notes_not_gaps(self, painter):
        notes = painter.titles("note")
        assert len(notes) == 3
        start = squash(painter.text).index(squash("Diese Punkte zählen nicht für Ihre Punktzahl"))
        notes_part = squash(painter.text)[start:]
        assert all(squash(note) in notes_part for note in notes)
        assert squash("Was das Risiko senkt") in notes_part

    def test_appendix_keeps_the_line_breaks_of_the_templates(self, painter):
        greeting = next(t for t in painter.data["templates"] if t["id"] == "greeting-message")
        assert painter.has("Anhang: Textvorlagen")
        lines = [line.strip() for line in painter.text.splitlines()]
        first, *_, last = greeting["text"].splitlines()
        assert first == "Guten Tag und danke für Ihre Nachricht an Malerbetrieb Muster GmbH!"
        assert first in lines and last in lines

    def test_sources_are_listed(self, painter):
        assert [s["id"] for s in painter.data["sources"]] == [
            "article-whatsapp-business",
            "article-messenger-handwerk",
            "general-duties",
        ]
        for source in painter.data["sources"]:
            assert painter.has(source["title"]) and painter.has(source["origin"])

    def test_not_legal_advice_on_the_cover_and_the_last_page(self, painter):
        assert squash("keine Rechtsberatung") in squash(painter.pages[0])
        assert squash("Keine Rechtsberatung") in squash(painter.pages[-1])

    def test_document_has_title_language_and_tags(self, painter):
        assert painter.reader.metadata.title == "WhatsApp im Betrieb: DSGVO-Check – Malerbetrieb Muster GmbH"
        assert painter.catalog["/Lang"] == "de"
        assert "/StructTreeRoot" in painter.catalog
        assert painter.catalog["/MarkInfo"]["/Marked"]
        assert painter.catalog["/ViewerPreferences"]["/DisplayDocTitle"]

    def test_uses_only_our_own_fonts(self, painter):
        fonts = {
            str(font["/BaseFont"]).split("+", 1)[-1]
            for page in painter.reader.pages
            for font in page["/Resources"]["/Font"].values()
        }
        assert fonts and all(name.startswith("Report-Sans") for name in fonts), fonts


class TestSummaryMarkup:
    """The first page's markup, read without rendering a PDF."""

    @pytest.fixture
    def data(self, checklist):
        return painter_data(checklist, "de")

    def html(self, data):
        with translation.override("de"):
            return render_to_string(TEMPLATE, report_context(data, GENERATED_ON))

    def test_a_next_step_sentence_is_preferred_to_the_first_step(self, data):
        context = report_context(data, GENERATED_ON)
        first = context["next_steps"][0]
        written = {**data, "findings": [dict(f) for f in data["findings"]]}
        finding = next(f for f in written["findings"] if f["id"] == first["id"])
        finding["next_step"] = "Heute noch: den Kontaktzugriff auf dem Firmenhandy sperren."
        before, after = self.html(data), self.html(written)
        summary = after[: after.index('class="plan"')]
        assert finding["next_step"] in summary and first["first_step"] not in summary
        assert first["first_step"] in before[: before.index('class="plan"')]

    def test_the_chart_is_svg_drawn_here_with_a_role_and_a_label(self, data):
        html = self.html(data)
        svg = html[html.index("<svg") : html.index("</svg>")]
        assert 'role="img"' in svg and 'aria-label="Balkendiagramm der offenen Punkte nach Risiko.' in svg
        assert "<title>Balkendiagramm" in svg
        # a track per risk level, a bar for the gaps of each level (all four have some), and one for the points
        # to clarify of the two levels that have any (critical and medium)
        assert svg.count("<rect") == 4 + 4 + 2
        assert "<script" not in html and "http" not in svg.replace('viewBox="', "")

    def test_the_page_number_wording_is_escaped_into_css(self):
        with translation.override("de"):
            footer = report_pdf._page_footer()
        assert footer == '"Seite " counter(page) " von " counter(pages)'

    def test_a_footer_name_cannot_end_its_css_string_and_is_cut_short(self):
        assert report_pdf._footer_name('Müller "&" Söhne\\\n}') == '"Müller \\22 \\26 \\22  Söhne\\5c  \\7d "'
        long = report_pdf._footer_name("Malerwerkstätten " * 20)
        assert long.count("Malerwerkstätten") == 5 and long.endswith('\\2026 "')


class TestPainterInEnglish:
    def test_speaks_english(self, painter_en):
        assert "Page 1 of" in painter_en.pages[0]
        assert painter_en.has("Why this matters")
        assert painter_en.has(painter_en.data["band"]["label"])
        assert painter_en.has("not legal advice")
        assert painter_en.catalog["/Lang"] == "en"

    def test_every_gap_title_in_english(self, painter_en):
        for title in painter_en.titles("gap"):
            assert painter_en.has(title), title


class TestKrauseWithEverythingSetUp:
    def test_nothing_to_do(self, krause):
        assert krause.data["score"] == 100
        assert krause.has("Gut aufgestellt")
        assert krause.has("100 / 100")
        assert krause.has("Keine Lücken und nichts zu klären")
        assert "erledigt am" not in krause.text and "Aktionsplan" not in krause.text
        assert "Anhang" not in krause.text
        assert not [tag for tag, _ in struct_elements(krause.catalog) if tag == "/Figure"]  # no chart of nothing

    def test_without_a_name_it_says_your_business(self, krause):
        assert "Ihr Betrieb" in krause.pages[0]
        assert krause.reader.metadata.title.endswith("– Ihr Betrieb")
        assert krause.filename == "dsgvo-check-whatsapp-business-2026-11-23.pdf"


class TestHostileBusinessName:
    def test_markup_is_shown_as_typed(self, hostile):
        assert hostile.has(HOSTILE_NAME)
        assert hostile.has(HOSTILE_WEBSITE)
        assert HOSTILE_NAME in hostile.reader.metadata.title
        # also inside the filled text template
        assert hostile.has(f"Nachricht an {HOSTILE_NAME}!")

    def test_every_footer_names_it_as_typed(self, hostile):
        total = len(hostile.pages)
        for number, text in enumerate(hostile.pages, 1):
            assert squash(f"{HOSTILE_NAME} Seite {number} von {total}") in squash(text), number

    def test_nothing_it_names_is_fetched(self, hostile):
        assert hostile.urls, "the spy saw no fetch at all: is it wired in?"
        assert all(url.startswith(static_prefix()) for url in hostile.urls), hostile.urls
        assert not any("passwd" in url or "example.com" in url for url in hostile.urls)

    def test_nothing_is_attached_or_embedded(self, hostile):
        assert b"/EmbeddedFile" not in hostile.content
        assert "/Names" not in hostile.catalog or "/EmbeddedFiles" not in hostile.catalog["/Names"]
        assert not hostile.reader.attachments
        for page in hostile.reader.pages:
            assert not page["/Resources"].get("/XObject")  # no image made it in
            for annotation in page.get("/Annots") or []:
                assert annotation.get_object()["/Subtype"] != "/FileAttachment"

    def test_file_name_stays_plain_ascii(self, hostile):
        name = hostile.filename
        assert name.isascii() and all(c.isalnum() or c in "-." for c in name), name
        assert name.startswith("dsgvo-check-whatsapp-business-") and name.endswith("-2026-11-23.pdf")


class TestFileName:
    def data(self, name):
        return {"checklist": {"id": "whatsapp-business"}, "business": {"name": name}}

    def test_german_letters_are_spelt_out(self):
        name = report_filename(self.data("Bäckerei Müller & Söhne – Straße 1"), GENERATED_ON)
        assert name == "dsgvo-check-whatsapp-business-baeckerei-mueller-soehne-strasse-1-2026-11-23.pdf"

    def test_long_names_are_cut(self):
        name = report_filename(self.data("Sehr " * 40), GENERATED_ON)
        assert len(name) < 100 and "--" not in name


class TestFetcher:
    @pytest.fixture
    def fetcher(self):
        return ReportFetcher()

    def test_serves_our_static_font(self, fetcher):
        response = fetcher.fetch(static_prefix() + "fonts/DejaVuSans.ttf")
        try:
            assert response.read(4) == b"\x00\x01\x00\x00"  # TrueType
            assert response.content_type == "font/ttf"
        finally:
            response.close()

    def test_serves_our_stylesheet_as_css(self, fetcher):
        response = fetcher.fetch(PSEUDO_ORIGIN + "static/report/report.css")
        try:
            assert response.content_type == "text/css"
            assert b"@page" in response.read()
        finally:
            response.close()

    def test_decodes_data_uris(self, fetcher):
        response = fetcher.fetch("data:text/plain;base64,SGVsbG8=")
        try:
            assert response.read() == b"Hello"
        finally:
            response.close()

    @pytest.mark.parametrize(
        "url",
        [
            "file:///etc/passwd",
            "http://example.com/",
            "https://example.com/static/fonts/DejaVuSans.ttf",  # our path, someone else's host
            "http://report.invalid/static/fonts/DejaVuSans.ttf",  # our host, other scheme
            "https://report.invalid.example.com/static/fonts/DejaVuSans.ttf",
            "https://user@report.invalid/static/fonts/DejaVuSans.ttf",
            "ftp://example.com/x",
            PSEUDO_ORIGIN + "static/../../etc/passwd",
            PSEUDO_ORIGIN + "static/fonts/../../../etc/passwd",
            PSEUDO_ORIGIN + "static/%2e%2e/%2e%2e/etc/passwd",
            PSEUDO_ORIGIN + "static/fonts%2f..%2f..%2fsettings.py",
            PSEUDO_ORIGIN + "static//etc/passwd",
            PSEUDO_ORIGIN + "static/",
            PSEUDO_ORIGIN + "static/fonts/missing.ttf",
            PSEUDO_ORIGIN + "etc/passwd",
            PSEUDO_ORIGIN + "compliance_wizard/settings.py",
            "fonts/DejaVuSans.ttf",
            "../../etc/passwd",
            "javascript:alert(1)",
        ],
    )
    def test_refuses_everything_else(self, fetcher, url):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)

    def test_logs_a_refusal_with_the_scheme_only(self, fetcher, caplog):
        with caplog.at_level(logging.WARNING, logger="compliance_wizard.report.fetcher"):
            with pytest.raises(FetchRefused):
                fetcher.fetch("https://example.com/secret-customer-name")
        assert "https" in caplog.text
        assert "example.com" not in caplog.text and "secret" not in caplog.text

    def test_follows_no_redirects(self, fetcher):
        assert not any(isinstance(h, urllib.request.HTTPRedirectHandler) for h in fetcher.handlers)

    def test_a_refused_resource_stops_the_rendering(self):
        # Our template refers only to our own files: anything else is a bug, not a reason to fall back.
        html = weasyprint.HTML(
            string='<img src="file:///etc/passwd">', base_url=PSEUDO_ORIGIN, url_fetcher=ReportFetcher()
        )
        with pytest.raises(FatalURLFetchingError):
            html.write_pdf()


class TestAssessCommand:
    @pytest.fixture(autouse=True)
    def fresh_registry(self):
        registry.reset()
        yield
        registry.reset()

    def test_writes_the_report_and_prints_its_path(self, tmp_path):
        target = tmp_path / "bericht.pdf"
        out, err = StringIO(), StringIO()
        call_command("assess", str(EXAMPLE), "--pdf", str(target), stdout=out, stderr=err)
        assert out.getvalue().rstrip().endswith(f"PDF: {target}")
        assert "Lücken (nach Risiko)" in out.getvalue()  # the summary is still printed
        content = Path(target).read_bytes()
        assert content.startswith(b"%PDF")
        text = pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()
        assert "Malerbetrieb Muster GmbH" in text and "Seite 1 von" in text
