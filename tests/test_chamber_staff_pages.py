"""The chamber staff's pages look like the chamber's own: its colour and logo from addresses that answer,
a header that leads back to the dashboard, and a link to preview the members' site.

The staff pages live under /chambers/<slug>/, outside the members' /hwk/<slug>/ prefix and host, so the
member site's brand files (relative to that prefix) would answer 404 there.
"""

from __future__ import annotations

import io
import re
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from PIL import Image

from compliance_wizard.chambers.models import Chamber, ChamberStaff, CheckStatistic
from tests.wizard import WizardRun

LAST_YEAR = date.today().year - 1


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 20), (122, 31, 31)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def musterstadt(db):
    chamber = Chamber.objects.create(
        slug="musterstadt",
        host="dsgvo.hwk-musterstadt.example",
        name="Handwerkskammer Musterstadt",
        brand_color="#7a1f1f",
        logo=png(),
    )
    CheckStatistic.objects.bulk_create(
        CheckStatistic(
            chamber=chamber,
            checklist_id="whatsapp-business",
            month=date(LAST_YEAR, 1 + n % 3, 1),
            band=("green", "amber", "red")[n % 3],
            score=40 + n,
            gaps=["avv-whatsapp"] if n % 2 else [],
        )
        for n in range(30)
    )
    return chamber


@pytest.fixture
def clara(client, musterstadt):
    user = get_user_model().objects.create_user("clara@hwk.example", "clara@hwk.example", "a-long-Passw0rd!")
    ChamberStaff.objects.create(chamber=musterstadt, user=user)
    client.force_login(user)
    return client


STAFF_PAGES = ["/chambers/musterstadt/", f"/chambers/musterstadt/?year={LAST_YEAR}", "/chambers/musterstadt/settings/"]


class References(HTMLParser):
    """Every address a page links to or loads: href of links and stylesheets, src of images and scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append(value)


def references(html: str) -> list[str]:
    parser = References()
    parser.feed(html)
    return parser.found


def own_addresses(html: str) -> set[str]:
    """The references that this app answers itself (not mailto:, not a chamber's external pages, not #main)."""
    return {url for url in references(html) if url.startswith("/") and not urlsplit(url).netloc}


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_no_staff_page_refers_to_anything_that_answers_404(clara, path):
    page = clara.get(path)
    assert page.status_code == 200
    missing = []
    for url in sorted(own_addresses(page.content.decode())):
        status = clara.get(url).status_code
        if status >= 400:
            missing.append(f"{url}: {status}")
    assert not missing, missing


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_carry_the_chambers_colour_and_logo(clara, path):
    found = references(clara.get(path).content.decode())
    assert "/chambers/musterstadt/brand/colour.css" in found
    assert "/chambers/musterstadt/settings/logo.png" in found
    assert "/brand/colour.css" not in found and "/brand/logo.png" not in found
    css = clara.get("/chambers/musterstadt/brand/colour.css")
    assert css["Content-Type"].startswith("text/css")
    assert "--accent: #7a1f1f" in css.content.decode()


def test_the_header_leads_to_the_dashboard_and_the_menu_to_the_members_site(clara):
    html = clara.get("/chambers/musterstadt/settings/").content.decode()
    assert '<p class="site-name chamber-name"><a href="/chambers/musterstadt/">' in html
    assert 'href="/hwk/musterstadt/"' in html
    preview = clara.get("/hwk/musterstadt/")
    assert preview.status_code == 200 and "Handwerkskammer Musterstadt" in preview.content.decode()


def test_a_chamber_without_logo_has_no_logo_reference(clara, musterstadt):
    Chamber.objects.filter(pk=musterstadt.pk).update(logo=None)
    found = references(clara.get("/chambers/musterstadt/").content.decode())
    assert not [url for url in found if "logo" in url]


def test_the_members_site_keeps_its_own_brand_files(client, musterstadt):
    found = references(client.get("/hwk/musterstadt/").content.decode())
    assert "/hwk/musterstadt/brand/colour.css" in found and "/hwk/musterstadt/brand/logo.png" in found
    assert "/hwk/musterstadt/" in found  # the header's name leads to the members' home


# -- the greeting on the members' home page -------------------------------------------------------------

SETTINGS = {
    "name": "Handwerkskammer Musterstadt",
    "brand_color": "#7a1f1f",
    "checklists": ["whatsapp-business"],
    "sectors": ["health_care", "personal_services", "construction", "other"],  # every kind: offered as before
}


def test_the_staffs_greeting_comes_first_on_the_members_home_page(clara, client):
    greeting = "Liebe Betriebe,\r\nprüfen Sie Ihren Umgang mit WhatsApp.\r\n\r\n\r\nIhre Kammer"
    assert clara.post("/chambers/musterstadt/settings/", {**SETTINGS, "greeting": greeting}).status_code == 302
    assert Chamber.objects.get(slug="musterstadt").greeting == (
        "Liebe Betriebe,\nprüfen Sie Ihren Umgang mit WhatsApp.\n\nIhre Kammer"
    )
    html = client.get("/hwk/musterstadt/").content.decode()
    main = html[html.index('<main id="main"') :]
    assert main.index("Liebe Betriebe,<br>prüfen Sie") < main.index("<h1>")
    assert "<p>Ihre Kammer</p>" in main  # a blank line starts a paragraph
    assert "Liebe Betriebe" in clara.get("/chambers/musterstadt/settings/").content.decode()  # to edit it again


def test_the_greeting_is_text_not_markup_and_cannot_turn_itself_around(clara, client):
    greeting = '<script>alert(1)</script> <a href="https://evil.example">Preise</a> \u202etxt.exe'
    clara.post("/chambers/musterstadt/settings/", {**SETTINGS, "greeting": greeting})
    stored = Chamber.objects.get(slug="musterstadt").greeting
    assert "\u202e" not in stored
    html = client.get("/hwk/musterstadt/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert 'href="https://evil.example"' not in html


def test_a_greeting_longer_than_1000_characters_is_refused_with_a_message(clara):
    response = clara.post("/chambers/musterstadt/settings/", {**SETTINGS, "greeting": "x" * 1001})
    assert response.status_code == 400
    assert 'id="id_greeting_error"' in response.content.decode()
    assert Chamber.objects.get(slug="musterstadt").greeting == ""


def test_without_a_greeting_the_home_page_starts_with_the_check(client, musterstadt):
    assert "chamber-greeting" not in client.get("/hwk/musterstadt/").content.decode()


# -- the kinds of business the chamber's members are offered -------------------------------------------


def sector_radios(client, prefix="/hwk/musterstadt", answers=None) -> list[tuple[str, bool]]:
    """The kinds of business a member's first step offers, each with whether it is chosen already."""
    run = WizardRun(client, "whatsapp-business", prefix=prefix)
    run.start()
    if answers:
        run.post("usage", answers)
    page = run.open("usage").content.decode()
    return [
        (value, "checked" in tag)
        for tag, value in re.findall(r'(<input[^>]*name="[^"]*-sector"[^>]*value="([a-z_]+)"[^>]*>)', page)
    ]


def test_staff_choose_the_kinds_of_business_their_members_are_offered(clara, client):
    page = clara.get("/chambers/musterstadt/settings/").content.decode()
    assert page.count('type="checkbox" name="sectors"') == 4 and "Bau und Ausbau" in page
    assert (
        clara.post("/chambers/musterstadt/settings/", {**SETTINGS, "sectors": ["other", "construction"]}).status_code
        == 302
    )
    assert Chamber.objects.get(slug="musterstadt").sectors == ["construction", "other"]  # in the checklist's order
    # Offered in the checklist's order, "don't know" always, and nothing chosen for the member when there are two.
    assert sector_radios(client) == [("construction", False), ("other", False), ("unknown", False)]


def test_a_chamber_of_one_trade_has_it_chosen_in_advance_and_the_member_may_still_change_it(clara, client):
    clara.post("/chambers/musterstadt/settings/", {**SETTINGS, "sectors": ["construction"]})
    assert sector_radios(client) == [("construction", True), ("unknown", False)]
    # What the member answered stays theirs.
    answered = {"sector": "unknown", "app_variant": "business_app", "internal_use": "no"}
    assert sector_radios(client, answers=answered) == [("construction", False), ("unknown", True)]


def test_ticking_every_kind_offers_all_of_them_now_and_later(clara, musterstadt, client):
    musterstadt.sectors = ["construction"]
    musterstadt.save()
    assert clara.post("/chambers/musterstadt/settings/", SETTINGS).status_code == 302
    assert Chamber.objects.get(slug="musterstadt").sectors == []
    assert [value for value, _chosen in sector_radios(client)] == [
        "health_care",
        "personal_services",
        "construction",
        "other",
        "unknown",
    ]


def test_no_kind_ticked_is_refused_with_a_message(clara, musterstadt):
    response = clara.post("/chambers/musterstadt/settings/", {**SETTINGS, "sectors": []})
    assert response.status_code == 400
    assert 'id="id_sectors_error"' in response.content.decode()
