"""Dana Schulz (Datenschutz Schulz) hands her client a report under her own name, read back with pypdf.

Malerbetrieb Muster was checked before with answers like Tischlerei Nowak's; the report says what has
changed since, and carries Dana's notes on who closes which gap by when.
"""

import datetime
import io
import itertools

import pypdf
import pytest
from django.template.loader import render_to_string
from django.utils import translation
from PIL import Image, ImageDraw

from compliance_wizard.branding.brand import Brand
from compliance_wizard.branding.logo import reencode_logo
from compliance_wizard.engine import load_checklist
from compliance_wizard.engine.progress import compare_results
from compliance_wizard.report import pdf as report_pdf
from compliance_wizard.report.fetcher import ReportFetcher, static_prefix
from compliance_wizard.report.pdf import TEMPLATE, render_pdf, report_context
from tests.conftest import RULES
from tests.test_report_pdf import GENERATED_ON, Rendered, case_data, painter_data, squash

LOGO_SIZE = (600, 200)
ADDRESS = "Datenschutz Schulz\nMarktplatz 7\n79098 Freiburg im Breisgau"
INTRO = "Sehr geehrte Frau Muster,\nanbei Ihr Prüfbericht. Wir gehen ihn beim nächsten Termin gemeinsam durch."
DUE = datetime.date(2026, 12, 31)
MARKUP = '<img src="http://example.com/x.png"><link rel=stylesheet href=file:///etc/passwd>'


def make_logo() -> bytes:
    image = Image.new("RGBA", LOGO_SIZE, (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((20, 20, 580, 180), fill="#1a5fb4")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return reencode_logo(out.getvalue())


DANA = Brand(name="Datenschutz Schulz", address=ADDRESS, logo_png=make_logo(), accent_color="#1A5FB4", intro=INTRO)


def render_spied(data, **extras):
    """Render with a fetcher that records every URL the renderer asks for."""
    urls = []

    class SpyFetcher(ReportFetcher):
        def fetch(self, url, headers=None):
            urls.append(url)
            return super().fetch(url, headers)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(report_pdf, "ReportFetcher", SpyFetcher)
        result = render_pdf(data, generated_on=GENERATED_ON, **extras)
    return Rendered(data, result, urls)


def finding(data, finding_id):
    return next(f for f in data["findings"] if f["id"] == finding_id)


def plan_item(rendered, finding_id):
    """The squashed text of a finding's part of the action plan, from its heading to the next point's."""
    rows = report_context(rendered.data, GENERATED_ON)["open_rows"]
    row = next(r for r in rows if r["id"] == finding_id)
    text = squash(rendered.text)
    plan = text[text.index(squash("Aktionsplan: alle Schritte zum Abhaken")) :]
    plan = plan[: plan.index(squash("Hintergrund zu den offenen Punkten"))]
    start = plan.index(squash(f"{row['number']}. {row['title']}"))
    following = [r for r in rows if r["number"] == row["number"] + 1]
    end = plan.index(squash(f"{following[0]['number']}. {following[0]['title']}")) if following else len(plan)
    return plan[start:end]


def page_with(rendered, fragment):
    return next(text for text in rendered.pages if squash(fragment) in squash(text))


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


@pytest.fixture(scope="module")
def data():
    checklist = load_checklist(RULES / "whatsapp-business")
    current = painter_data(checklist, "de")
    earlier = case_data(checklist, "Tischlerei Nowak", "de")
    return {"checklist": checklist, "current": current, "earlier": earlier}


@pytest.fixture(scope="module")
def progress(data):
    return compare_results(data["earlier"], data["current"], "2026-05-04")


@pytest.fixture(scope="module")
def notes():
    return {
        "advertising-consent": {
            "comment": "Bitte die Einwilligungen aus dem Kundenordner\nnachtragen, bevor Sie wieder Grüße senden.",
            "due_date": DUE,
            "responsible": "Frau Kaya (Büro)",
        },
        "avv-whatsapp": {"comment": "", "due_date": None, "responsible": "Herr Muster"},
        "consumer-app": {"comment": "Schon erledigt, nur zur Erinnerung.", "due_date": DUE, "responsible": "X"},
    }


@pytest.fixture(scope="module")
def branded(data, progress, notes):
    return render_spied(data["current"], brand=DANA, progress=progress, notes=notes)


@pytest.fixture(scope="module")
def plain(data):
    return render_spied(data["current"])


@pytest.fixture(scope="module")
def krause_after_the_painter(data):
    """Malermeister Krause closed every gap since a check that looked like the painter's."""
    now = case_data(data["checklist"], "Malermeister Krause", "de")
    return render_spied(now, progress=compare_results(data["current"], now, "2026-05-04"))


@pytest.fixture(scope="module")
def hostile(data):
    """Someone who took over a consultant account types markup into every field that reaches the report."""
    brand = Brand(
        name=f"Evil {MARKUP}",
        address=f"<style>@import url(http://example.com/a.css)</style>\n{MARKUP}",
        accent_color="#fff;background:url(http://example.com/bg.png)",
        intro=f"<script>alert(1)</script> {MARKUP}",
    )
    notes = {"advertising-consent": {"comment": f"Note {MARKUP}", "due_date": DUE, "responsible": f"<b>{MARKUP}</b>"}}
    return render_spied(data["current"], brand=brand, notes=notes)


class TestCover:
    def test_shows_dana_s_name_address_and_introduction(self, branded):
        cover = squash(branded.pages[0])
        for fragment in ("Datenschutz Schulz", "Marktplatz 7", "79098 Freiburg im Breisgau", *INTRO.splitlines()):
            assert squash(fragment) in cover, fragment
        # the client's own name and score are still there
        assert squash("Malerbetrieb Muster GmbH") in cover
        assert squash(f"{branded.data['score']} / 100") in cover

    def test_address_and_introduction_keep_their_line_breaks(self, branded):
        lines = [line.strip() for line in branded.pages[0].splitlines()]
        assert "Marktplatz 7" in lines and "79098 Freiburg im Breisgau" in lines
        assert "Sehr geehrte Frau Muster," in lines

    def test_shows_the_logo_at_its_own_size(self, branded):
        (image,) = branded.reader.pages[0].images
        assert image.image.size == LOGO_SIZE
        # WeasyPrint shares one resource dictionary between pages: what counts is where it is painted.
        painted = [page.get_contents().get_data().count(b" Do") for page in branded.reader.pages]
        assert painted[0] == 1 and not any(painted[1:])

    def test_the_logo_is_a_figure_named_after_the_brand(self, branded):
        figures = [node for tag, node in struct_elements(branded.catalog["/StructTreeRoot"]) if tag == "/Figure"]
        logo, chart = (str(f["/Alt"]) for f in figures)  # the chart of open points by risk is the other one
        assert logo == "Datenschutz Schulz"
        assert chart.startswith("Balkendiagramm der offenen Punkte nach Risiko.")

    def test_the_brand_is_the_document_author(self, branded):
        assert branded.reader.metadata.author == "Datenschutz Schulz"


class TestEveryPage:
    def test_footer_names_the_client_and_the_brand_next_to_the_page_number(self, branded):
        total = len(branded.pages)
        for number, text in enumerate(branded.pages, 1):
            footer = squash(f"Malerbetrieb Muster GmbH Datenschutz Schulz · Seite {number} von {total}")
            assert footer in squash(text), number

    def test_headings_stay_in_order(self, branded):
        levels = [int(tag[2]) for tag, _ in struct_elements(branded.catalog["/StructTreeRoot"]) if tag[:2] == "/H"]
        assert levels[0] == 1 and levels.count(1) == 1
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels

    def test_still_a_tagged_pdf_with_our_fonts_only(self, branded):
        assert branded.catalog["/MarkInfo"]["/Marked"]
        fonts = {
            str(font["/BaseFont"]).split("+", 1)[-1]
            for page in branded.reader.pages
            for font in page["/Resources"]["/Font"].values()
        }
        assert all(name.startswith("Report-Sans") for name in fonts), fonts

    def test_loads_nothing_but_our_static_files_and_the_logo(self, branded):
        others = [u for u in branded.urls if not u.startswith(static_prefix())]
        assert len(others) == 1 and others[0].startswith("data:image/png;base64,")


class TestProgress:
    def test_comes_between_the_summary_and_the_action_plan(self, branded):
        def page(fragment):
            return next(n for n, text in enumerate(branded.pages) if squash(fragment) in squash(text))

        summary_end = page("Fragen Sie im Zweifel eine Datenschutzberatung")
        assert page("Fortschritt seit der letzten Prüfung (4. Mai 2026)") == summary_end + 1
        assert page("Aktionsplan: alle Schritte zum Abhaken") == summary_end + 2

    def test_shows_the_score_before_and_now_with_the_change(self, branded, data, progress):
        before, now = data["earlier"]["score"], data["current"]["score"]
        assert progress["score_change"] == now - before > 0
        change = f"+{now - before}"
        assert branded.has(
            f"Punktzahl bei der letzten Prüfung: {before} / 100. Jetzt: {now} / 100 (Veränderung: {change})."
        )

    def test_lists_closed_new_and_still_open_gaps(self, branded, progress):
        page = squash(page_with(branded, "Fortschritt seit der letzten Prüfung"))
        assert progress["closed"] and progress["new"] and progress["still_open"]
        assert squash(f"Geschlossene Lücken ({len(progress['closed'])})") in page
        assert squash(f"Neue Lücken ({len(progress['new'])})") in page
        assert squash(f"Weiterhin offen ({len(progress['still_open'])})") in page
        for item in progress["closed"] + progress["new"] + progress["still_open"]:
            assert squash(item["title"]) in page, item["title"]
        closed = finding(branded.data, progress["closed"][0]["id"])["title"]
        assert squash(f"✓ {closed}") in page

    def test_empty_lists_say_so(self, krause_after_the_painter):
        krause = krause_after_the_painter
        assert krause.has("Seit der letzten Prüfung sind keine neuen Lücken hinzugekommen.")
        assert krause.has("Von den Lücken der letzten Prüfung ist keine mehr offen.")
        assert krause.has("Neue Lücken (0)") and krause.has("Weiterhin offen (0)")
        assert krause.has("(Veränderung: +")

    def test_says_when_the_last_check_used_another_checklist_version(self, data, progress):
        older = {**progress, "previous": {**progress["previous"], "checklist_version": "0.9.0"}}
        with translation.override("de"):
            same = render_to_string(TEMPLATE, report_context(data["current"], GENERATED_ON, progress=progress))
            other = render_to_string(TEMPLATE, report_context(data["current"], GENERATED_ON, progress=older))
        assert "Die letzte Prüfung beruhte auf Version 0.9.0 der Checkliste, diese auf Version 1.2.0" in other
        assert "Die letzte Prüfung beruhte" not in same

    def test_a_drop_gets_a_minus_sign(self, data):
        progress = compare_results(data["current"], data["earlier"], "")
        context = report_context(data["earlier"], GENERATED_ON, progress=progress)
        drop = data["current"]["score"] - data["earlier"]["score"]
        assert context["progress"]["change"] == f"−{drop}"
        assert context["progress"]["previous_date"] == ""


class TestNotes:
    def test_the_action_plan_carries_comment_responsible_and_due_date(self, branded):
        section = plan_item(branded, "advertising-consent")
        meta = "Lücke · Risiko: Hoch · Zuständig: Frau Kaya (Büro) · Erledigen bis: 31. Dezember 2026"
        assert squash(meta) in section
        assert squash("Anmerkung Ihrer Beratung") in section
        assert squash("Bitte die Einwilligungen aus dem Kundenordner") in section
        assert squash("Zuständig: Frau Kaya (Büro)") in section
        assert squash("Erledigen bis: 31. Dezember 2026") in section

    def test_a_note_with_only_a_name_shows_only_the_name(self, branded):
        section = plan_item(branded, "avv-whatsapp")
        assert squash("Zuständig: Herr Muster") in section
        assert squash("Erledigen bis") not in section and squash("Anmerkung Ihrer Beratung") not in section

    def test_who_and_by_when_come_before_the_steps(self, branded, data):
        section = plan_item(branded, "advertising-consent")
        first_step = finding(data["current"], "advertising-consent")["remediation"][0]
        assert section.index(squash("Zuständig: Frau Kaya")) < section.index(squash(first_step))
        assert section.index(squash("Anmerkung Ihrer Beratung")) < section.index(squash(first_step))

    def test_a_note_on_a_met_requirement_is_left_out(self, branded, data):
        assert finding(data["current"], "consumer-app")["status"] == "met"
        assert not branded.has("Schon erledigt, nur zur Erinnerung.")
        assert branded.text.count("Zuständig:") == 2  # two notes, each once in the action plan

    def test_the_due_date_is_written_in_english_in_an_english_report(self, data, notes):
        current = painter_data(data["checklist"], "en")
        with translation.override("en"):
            html = render_to_string(TEMPLATE, report_context(current, GENERATED_ON, notes=notes))
        assert "Due by: Dec. 31, 2026" in html and "Responsible: Frau Kaya (Büro)" in html


class TestHostileBrandAndNotes:
    def test_markup_is_shown_as_typed(self, hostile):
        assert hostile.has(f"Evil {MARKUP}")
        assert hostile.has("<style>@import url(http://example.com/a.css)</style>")
        assert hostile.has(f"<script>alert(1)</script> {MARKUP}")
        assert hostile.has(f"Note {MARKUP}")
        assert hostile.has(f"Zuständig: <b>{MARKUP}</b>")
        total = len(hostile.pages)
        assert squash(f"Evil {MARKUP} · Seite {total} von {total}") in squash(hostile.pages[-1])

    def test_nothing_it_names_is_fetched(self, hostile):
        assert hostile.urls, "the spy saw no fetch at all: is it wired in?"
        assert all(url.startswith(static_prefix()) for url in hostile.urls), hostile.urls

    def test_no_image_made_it_in(self, hostile):
        for page in hostile.reader.pages:
            assert not page["/Resources"].get("/XObject")

    def test_a_colour_that_is_not_a_plain_hex_code_is_never_written_into_the_css(self, data):
        for color in ("#fff;background:url(http://example.com/bg.png)", "red", "#ffff00", ""):
            brand = Brand(name="Schulz", accent_color=color)
            with translation.override("de"):
                html = render_to_string(TEMPLATE, report_context(data["current"], GENERATED_ON, brand=brand))
            assert "example.com" not in html and "border-bottom-color:" not in html, color

    def test_a_valid_colour_is_written_in_its_normal_spelling(self, data):
        with translation.override("de"):
            html = render_to_string(TEMPLATE, report_context(data["current"], GENERATED_ON, brand=DANA))
        assert "color: #1a5fb4;" in html and "#1A5FB4" not in html

    def test_bytes_that_are_not_a_png_never_reach_the_renderer(self, data):
        brand = Brand(name="Schulz", logo_png=b"<svg onload=alert(1)>")
        assert report_context(data["current"], GENERATED_ON, brand=brand)["brand"]["logo_src"] == ""


class TestWithoutBrand:
    def test_the_report_reads_as_before(self, plain, branded):
        cover = plain.pages[0]
        assert "Bericht zur DSGVO-Selbsteinschätzung" in cover and "Malerbetrieb Muster GmbH" in cover
        assert not plain.reader.pages[0].images
        total = len(plain.pages)
        for number, text in enumerate(plain.pages, 1):
            assert f"Seite {number} von {total}" in text
            assert "·Seite" not in squash(text)
        for added in (
            "Datenschutz Schulz",
            "Fortschritt seit",
            "Anmerkung Ihrer Beratung",
            "Zuständig",
            "Erledigen bis",
        ):
            assert added not in plain.text, added
        assert plain.reader.metadata.author is None
        # the branded one is the same report with additions: the same findings in the same order
        assert len(branded.pages) > len(plain.pages)
        assert plain.text.count("erledigt am") == branded.text.count("erledigt am") > 0

    def test_no_author_no_colour_no_letterhead_in_the_markup(self, data):
        with translation.override("de"):
            html = render_to_string(TEMPLATE, report_context(data["current"], GENERATED_ON))
        assert 'name="author"' not in html and "<style>\n    h1" not in html and 'class="brand' not in html
