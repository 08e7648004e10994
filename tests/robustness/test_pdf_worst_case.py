"""The PDF report under the worst input it can get.

Promised:
- Every text that reaches the report, filled to its limit with markup, CSS and template syntax that point at
  file:///etc/passwd, at a local web server and at a URL of it that redirects, is printed as typed: nothing is
  fetched (the server counts every connection: none), nothing embedded but the consultant's own logo, and
  the report stays on its pages and under REPORT_MAX_PAGES. For an anonymous check, a consultant's branded
  check and a chamber member's check, in German and English, through the downloads and `assess --pdf`.
The URL fetcher itself: test_pdf_fetcher.py; the time and page limits: test_pdf_bounds.py.

The web server runs in a process of its own: with a thread in this process the renderer would take its
in-thread fallback (isolated.py) instead of the child process a production worker uses.
"""

from __future__ import annotations

import datetime
import http.server
import io
import multiprocessing
import urllib.request
import zipfile
from io import StringIO
from pathlib import Path

import pypdf
import pytest
import weasyprint
import yaml
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import translation
from PIL import Image
from weasyprint.formatting_structure import boxes

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.branding.brand import Brand
from compliance_wizard.branding.logo import reencode_logo
from compliance_wizard.catalog import registry
from compliance_wizard.chambers.models import Chamber
from compliance_wizard.engine import check_answers, score
from compliance_wizard.engine.progress import compare_results
from compliance_wizard.report.fetcher import PSEUDO_ORIGIN
from compliance_wizard.report.pdf import TEMPLATE, _fetcher, report_context
from compliance_wizard.report.sections import OPEN, finding_kind
from compliance_wizard.workspace.models import Client, Consultant, FindingNote
from tests.cases import CASES
from tests.downloads import download
from tests.test_report_pdf import squash
from tests.wizard import WizardRun
from tests.workspace import MODEL_BUSINESS, add_client, answers_of, finished_check

# Sanitär Weber answers "don't know" everywhere: every requirement is open, the longest report a check makes.
EVERY_GAP_OPEN = answers_of(next(c for c in CASES if c.name.startswith("Sanitär Weber")).answers)
LEAK_MARKER = "LEAKED-FROM-THE-LOCAL-SERVER"
PASSWD_FIRST_LINE = Path("/etc/passwd").read_text().splitlines()[0]
LOGO_SIZE = (600, 200)
LANGS = ("de", "en")
PREFIX = "/hwk/grenzfall"


# -- a local web server that counts every connection -------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "/landing.css")
            self.end_headers()
            return
        # Whatever was asked for: a stylesheet, an image, a page. Printed, it would show the marker.
        body = f'html::before {{ content: "{LEAK_MARKER}" }} <p>{LEAK_MARKER}</p>'.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_HEAD = do_GET

    def log_message(self, *args: object) -> None:
        pass


class CountingServer(http.server.HTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.connections = multiprocessing.get_context("fork").RawValue("i", 0)  # shared with the server process

    def verify_request(self, request: object, client_address: object) -> bool:
        # Per connection, before any HTTP: a TLS handshake or a broken request counts too.
        self.connections.value += 1
        return True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    @property
    def count(self) -> int:
        return self.connections.value


@pytest.fixture(scope="module")
def server():
    server = CountingServer()
    process = multiprocessing.get_context("fork").Process(target=server.serve_forever, daemon=True)
    process.start()
    server.socket.close()  # from here on only the server process accepts
    yield server
    process.kill()
    process.join()


def test_the_counting_server_counts_every_connection_and_redirects(server):
    before = server.count
    with urllib.request.urlopen(f"{server.url}/redirect", timeout=5) as response:
        assert response.url == f"{server.url}/landing.css"
        assert LEAK_MARKER in response.read().decode()
    assert server.count == before + 2  # the redirect and where it led


# -- the payloads ------------------------------------------------------------------------------------------


def payload_parts(server: CountingServer) -> list[str]:
    """Every way a text could make a renderer load something, and template syntax, pointing at three targets."""
    parts = []
    for url in ("file:///etc/passwd", f"{server.url}/direct.css", f"{server.url}/redirect"):
        parts += [
            f'<img src="{url}">',
            f"<link rel=stylesheet href={url}>",
            f"<style>@import url({url});</style>",
            f'<object data="{url}"></object>',
            f'<iframe src="{url}"></iframe>',
            f'<svg><image href="{url}"/></svg>',
            f'<p style="background:url({url})">',
            f"@font-face{{src:url({url})}}",
        ]
    return [*parts, "</style></p>", "{{ request.META }}", "{% debug %}", "{business_name}", "{website}"]


def hostile(server: CountingServer, length: int, shift: int = 0, separator: str = " ") -> str:
    """Exactly `length` characters of payload; `shift` makes each field start with another part."""
    parts = payload_parts(server)
    parts = parts[shift % len(parts) :] + parts[: shift % len(parts)]
    text = separator.join(parts)
    while len(text) < length:
        text += separator + text
    text = text[:length]
    return text[:-1] + "x" if text[-1].isspace() else text  # stored values are stripped


def hostile_url(server: CountingServer, length: int, path: str = "/redirect") -> str:
    """A URL to the local server that still passes as a web address (no spaces), `length` characters long."""
    url = f"{server.url}{path}?q=" + hostile(server, length).replace(" ", "")
    return (url * 2)[:length]


def max_length(model: type, field: str) -> int:
    return model._meta.get_field(field).max_length


def make_logo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", LOGO_SIZE, (26, 95, 180)).save(out, "PNG")
    return reencode_logo(out.getvalue())


# -- who types the payloads ------------------------------------------------------------------------------


def consultant_with_hostile_client(server: CountingServer, dana: Consultant) -> Assessment:
    """Dana's account was taken over: every field of her branding, her client and her notes is hostile."""
    dana.display_name = hostile(server, max_length(Consultant, "display_name"), 1)
    dana.address = hostile(server, max_length(Consultant, "address"), 2, "\n")
    dana.intro = hostile(server, max_length(Consultant, "intro"), 3, "\n")
    dana.accent_color = "#1a5fb4"
    dana.logo = make_logo()
    dana.save()
    client = add_client(
        dana,
        hostile(server, max_length(Client, "name"), 4),
        contact_person=hostile(server, max_length(Client, "contact_person"), 5),
        website=hostile_url(server, max_length(Client, "website"), "/direct.css"),
        notes=hostile(server, max_length(Client, "notes"), 6, "\n"),
    )
    earlier = finished_check(client, answers_of(MODEL_BUSINESS))
    now = finished_check(client, EVERY_GAP_OPEN, repeat_of=earlier)
    for n, finding in enumerate(now.result_for("de")["findings"]):
        FindingNote.objects.create(
            assessment=now,
            requirement_id=finding["id"],
            comment=hostile(server, max_length(FindingNote, "comment"), 7 + n, "\n"),
            responsible=hostile(server, max_length(FindingNote, "responsible"), 8 + n),
            due_date=datetime.date(2026, 12, 31),
        )
    return now


def hostile_chamber(server: CountingServer) -> Chamber:
    """A chamber whose settings were filled in by someone hostile, URLs and logo bytes included."""
    forged_logo = (  # a PNG header claiming 100000 × 100000 pixels, then SVG that loads the server's files
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01\x86\xa0\x00\x01\x86\xa0\x08\x02\x00\x00\x00"
        + f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{server.url}/logo.png"/></svg>'.encode()
    )
    return Chamber.objects.create(
        slug="grenzfall",
        name=hostile(server, max_length(Chamber, "name"), 9),
        address=hostile(server, max_length(Chamber, "address"), 10, "\n"),
        contact_name=hostile(server, max_length(Chamber, "contact_name"), 11),
        contact_email="datenschutz@hwk-grenzfall.example",
        brand_color="#fff;}*",  # seven characters of CSS instead of a colour
        logo=forged_logo,
        imprint_url="file:///etc/passwd",
        privacy_url=hostile_url(server, max_length(Chamber, "privacy_url"), "/direct.css"),
        accessibility_url=hostile_url(server, max_length(Chamber, "accessibility_url")),
    )


# -- reading what came out ------------------------------------------------------------------------------


FOOTER_HEIGHT = 16 / 25.4 * 72  # the bottom page margin (report.css), in points


def page_text(page: pypdf.PageObject) -> tuple[str, str]:
    """All the page's text, and its body top to bottom without the footer, so that a text running on to
    the next page reads as one."""
    runs = []

    def visit(text, cm, tm, font, size) -> None:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]  # where the text starts, in the page's coordinates
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip():
            runs.append((-round(y, 1), x, text))

    text = page.extract_text(visitor_text=visit)
    # In the order a reader sees it, not the order it was drawn in (the letterhead is drawn last).
    return text, "\n".join(run for y, _x, run in sorted(runs) if -y > FOOTER_HEIGHT)


class Report:
    def __init__(self, content: bytes) -> None:
        assert content.startswith(b"%PDF"), content[:200]
        self.content = content
        self.reader = pypdf.PdfReader(io.BytesIO(content))
        pages = [page_text(page) for page in self.reader.pages]
        self.text = "\n".join(text for text, _body in pages)
        self.body = "\n".join(body for _text, body in pages)

    def shows_as_typed(self, value: str) -> bool:
        return squash(value) in squash(self.body)

    def images(self) -> list[tuple[int, int]]:
        """The size of every image in the document, each counted once however many pages share it."""
        found = {}
        for page in self.reader.pages:
            for ref in (page["/Resources"].get("/XObject") or {}).values():
                xobject = ref.get_object()
                if xobject["/Subtype"] == "/Image":
                    found[ref.idnum] = (int(xobject["/Width"]), int(xobject["/Height"]))
                else:  # a form could hold images of its own; ours never do
                    raise AssertionError(f"unexpected {xobject['/Subtype']} on a page")
        return list(found.values())


def assert_nothing_loaded_or_leaked(report: Report, settings) -> None:
    assert LEAK_MARKER not in report.text
    assert squash(PASSWD_FIRST_LINE) not in squash(report.text)
    assert b"/EmbeddedFile" not in report.content and not report.reader.attachments
    for page in report.reader.pages:
        for annotation in page.get("/Annots") or []:
            assert annotation.get_object()["/Subtype"] not in ("/FileAttachment", "/Link")
    assert 1 < len(report.reader.pages) < settings.REPORT_MAX_PAGES


@pytest.fixture
def patient(settings):
    """The worst case takes seconds on a quiet machine, at nice 10 on a busy shared one many times that: here
    the content is under test, so the time limit is only a guard against a hang (its own tests are below)."""
    settings.REPORT_RENDER_TIMEOUT = 180


# -- the worst case, as users download it ---------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_an_anonymous_check_prints_its_hostile_name_and_website_as_typed(client, server, settings, db, patient, lang):
    name = hostile(server, 200)
    website = hostile_url(server, 300)
    before = server.count
    run = WizardRun(client, "whatsapp-business", lang)
    run.start(name, website)
    run.answer_all(EVERY_GAP_OPEN)
    assessment = run.assessment
    assert (assessment.business_name, assessment.website) == (name, website)  # stored at their full length
    # Every finding open, and every note shown; only the two sector variants of one requirement exclude each other.
    findings = [f for f in assessment.result_for(lang)["findings"] if f["id"] != "special-categories"]
    assert all(f["status"] in ("gap", "to_clarify", "note") for f in findings)

    response = download(client, f"/result/{run.token}/report.pdf?lang={lang}")
    assert response.status_code == 200
    report = Report(response.content)
    assert report.shows_as_typed(name) and report.shows_as_typed(website)
    assert report.reader.metadata.title.endswith(name)
    assert_nothing_loaded_or_leaked(report, settings)
    assert report.images() == []
    assert server.count == before


@pytest.mark.parametrize("lang", LANGS)
def test_a_consultants_report_prints_every_hostile_field_as_typed(client, server, settings, dana, patient, lang):
    before = server.count
    assessment = consultant_with_hostile_client(server, dana)
    dana.refresh_from_db()
    client.force_login(dana.user)

    response = download(client, f"/workspace/checks/{assessment.pk}/report.pdf?lang={lang}")
    assert response.status_code == 200
    report = Report(response.content)
    for value in (dana.display_name, dana.address, dana.intro, assessment.business_name, assessment.website):
        assert report.shows_as_typed(value), value[:60]
    # Notes go with what is to be done; an information point has no action plan to carry them.
    kinds = {f["id"]: finding_kind(f) for f in assessment.result_for(lang)["findings"]}
    for note in assessment.finding_notes.all():
        if kinds[note.requirement_id] in OPEN:
            assert report.shows_as_typed(note.comment) and report.shows_as_typed(note.responsible), note
    assert report.reader.metadata.author == dana.display_name
    assert_nothing_loaded_or_leaked(report, settings)
    assert report.images() == [LOGO_SIZE]  # our re-encoded logo, and nothing else
    assert server.count == before

    if lang == "de":  # the zip of reports holds the very same file
        response = client.post("/workspace/reports.zip", {"client": [assessment.client_id]})
        assert response.status_code == 200
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            (name,) = archive.namelist()
            assert archive.read(name) == report.content
        assert server.count == before


@pytest.mark.parametrize("lang", LANGS)
def test_a_chamber_members_report_prints_the_hostile_chamber_as_typed(client, server, settings, db, patient, lang):
    before = server.count
    chamber = hostile_chamber(server)
    name = hostile(server, 200, 12)
    run = WizardRun(client, "whatsapp-business", lang, prefix=PREFIX)
    run.start(name, hostile_url(server, 300))
    run.answer_all(EVERY_GAP_OPEN)

    response = download(client, f"{PREFIX}/result/{run.token}/report.pdf?lang={lang}")
    assert response.status_code == 200
    report = Report(response.content)
    for value in (chamber.name, chamber.address, name):
        assert report.shows_as_typed(value), value[:60]
    assert_nothing_loaded_or_leaked(report, settings)
    assert report.images() == []  # the forged logo is left out
    assert server.count == before


@pytest.mark.parametrize("lang", LANGS)
def test_assess_writes_the_hostile_answers_file_as_typed(server, settings, tmp_path, patient, lang):
    registry.reset()
    name, website = hostile(server, 200, 13), hostile_url(server, 300)
    answers_file = tmp_path / "grenzfall.yaml"
    answers_file.write_text(
        yaml.safe_dump(
            {
                "checklist": "whatsapp-business",
                "language": lang,
                "business": {"name": name, "website": website},
                "answers": EVERY_GAP_OPEN,
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    target = tmp_path / "grenzfall.pdf"
    before = server.count
    call_command("assess", str(answers_file), "--pdf", str(target), stdout=StringIO(), stderr=StringIO())
    report = Report(target.read_bytes())
    assert report.shows_as_typed(name) and report.shows_as_typed(website)
    assert report.reader.metadata.title.endswith(name)
    assert_nothing_loaded_or_leaked(report, settings)
    assert report.images() == []
    assert server.count == before


def test_words_without_spaces_stay_on_the_page(server, whatsapp):
    """Every field as one long word: lines break anywhere rather than run off the paper."""

    def word(length: int) -> str:
        return (f"<img/src={server.url}/redirect>" * length)[:length]

    data = score(whatsapp, check_answers(whatsapp, EVERY_GAP_OPEN).answers).to_dict("de", word(200), word(300))
    earlier = score(whatsapp, check_answers(whatsapp, answers_of(MODEL_BUSINESS)).answers).to_dict("de")
    brand = Brand(name=word(200), address=word(500), intro=word(2000), logo_png=make_logo(), accent_color="#1a5fb4")
    notes = {
        f["id"]: {"comment": word(2000), "responsible": word(200), "due_date": datetime.date(2026, 12, 31)}
        for f in data["findings"]
    }
    context = report_context(
        data,
        datetime.date(2026, 11, 23),
        brand=brand,
        progress=compare_results(earlier, data, "2026-05-04"),
        notes=notes,
    )
    with translation.override("de"):
        html = render_to_string(TEMPLATE, context)
    document = weasyprint.HTML(string=html, base_url=PSEUDO_ORIGIN, url_fetcher=_fetcher()).render()

    outside = []
    for number, page in enumerate(document.pages, 1):
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TextBox):
                right, bottom = box.position_x + box.width, box.position_y + box.height
                if box.position_x < 0 or right > page.width + 0.5 or bottom > page.height + 0.5:
                    outside.append((number, box.element_tag, box.text[:30]))
    assert outside == []
