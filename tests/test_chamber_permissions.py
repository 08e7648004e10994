"""Every chamber staff URL for five people: only the chamber's own staff get anything.

Anonymous visitors are sent to the login; the staff of another chamber, a consultant and the
installation's administrator get 404, exactly as for a chamber that does not exist, and nothing they
send changes either chamber. Then the settings form: what the staff may enter, and what not.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from compliance_wizard.branding.logo import PNG_SIGNATURE, reencode_logo
from compliance_wizard.chambers.models import Chamber, ChamberStaff, CheckStatistic

LAST_YEAR = date.today().year - 1
TESTS = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Every test logs in several people; what is tested here is not the hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def png(size=(40, 20), color=(11, 83, 148)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def make_staff(email: str, *chambers: Chamber):
    user = get_user_model().objects.create_user(email, email, "a-long-Passw0rd!")
    for chamber in chambers:
        ChamberStaff.objects.create(chamber=chamber, user=user)
    return user


@pytest.fixture
def musterstadt(db):
    chamber = Chamber.objects.create(
        slug="hwk-musterstadt",
        host="dsgvo-check.hwk-musterstadt.example",
        name="Handwerkskammer Musterstadt",
        brand_color="#0b5394",
        contact_name="Clara Becker",
        logo=reencode_logo(png()),
    )
    CheckStatistic.objects.bulk_create(
        CheckStatistic(chamber=chamber, checklist_id="whatsapp-business", month=date(LAST_YEAR, 3, 1), band="amber")
        for _ in range(12)
    )
    return chamber


@pytest.fixture
def nordstadt(db):
    return Chamber.objects.create(slug="hwk-nordstadt", name="Handwerkskammer Nordstadt", contact_name="Otto Brandt")


@pytest.fixture
def clara(musterstadt):
    """Clara Becker, advisor at the Handwerkskammer Musterstadt."""
    return make_staff("clara@hwk-musterstadt.example", musterstadt)


@pytest.fixture
def otto(nordstadt):
    """Otto Brandt, advisor at the Handwerkskammer Nordstadt: the same role, another chamber."""
    return make_staff("otto@hwk-nordstadt.example", nordstadt)


SETTINGS = {
    "name": "Handwerkskammer Musterstadt-Land",
    "brand_color": "#8a1538",
    "contact_name": "Clara Becker",
    "contact_email": "datenschutz@hwk-musterstadt.example",
    "address": "Kammerplatz 1\n12345 Musterstadt",
    "imprint_url": "https://www.hwk-musterstadt.example/impressum",
    "privacy_url": "https://www.hwk-musterstadt.example/datenschutz",
    "accessibility_url": "https://www.hwk-musterstadt.example/barrierefreiheit",
    "checklists": ["whatsapp-business"],
    "sectors": ["health_care", "personal_services", "construction", "other"],  # every kind: offered as before
}

# (name, method, path, data, what the chamber's own staff get)
ROUTES = [
    ("dashboard", "get", "/chambers/hwk-musterstadt/", None, 200),
    (
        "dashboard of a year",
        "get",
        f"/chambers/hwk-musterstadt/?checklist=whatsapp-business&year={LAST_YEAR}",
        None,
        200,
    ),
    ("csv", "get", f"/chambers/hwk-musterstadt/statistics.csv?year={LAST_YEAR}", None, 200),
    ("settings form", "get", "/chambers/hwk-musterstadt/settings/", None, 200),
    ("settings logo", "get", "/chambers/hwk-musterstadt/settings/logo.png", None, 200),
    ("brand colour", "get", "/chambers/hwk-musterstadt/brand/colour.css", None, 200),
    ("settings save", "post", "/chambers/hwk-musterstadt/settings/", SETTINGS, 302),
]


def _snapshot():
    fields = ("slug", "host", "name", "brand_color", "contact_name", "contact_email", "imprint_url", "logo")
    return [
        tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in Chamber.objects.values_list(*fields)
    ]


@pytest.mark.parametrize(("name", "method", "path", "data", "owner_status"), ROUTES, ids=[r[0] for r in ROUTES])
@pytest.mark.parametrize("persona", ["anonymous", "own staff", "other chamber's staff", "consultant", "superuser"])
def test_only_the_chambers_own_staff_get_anything(
    client, clara, otto, dana, staff_user, persona, name, method, path, data, owner_status
):
    before = _snapshot()
    user = {"own staff": clara, "other chamber's staff": otto, "consultant": dana.user, "superuser": staff_user}
    if persona in user:
        client.force_login(user[persona])

    response = client.post(path, data) if method == "post" else client.get(path)

    if persona == "own staff":
        assert response.status_code == owner_status
        return
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == 404
        assert b"Handwerkskammer Musterstadt" not in response.content
        assert b"Clara Becker" not in response.content
    assert _snapshot() == before


def test_a_chamber_that_exists_and_one_that_does_not_look_the_same_to_another_chambers_staff(client, otto, musterstadt):
    client.force_login(otto)
    existing = client.get("/chambers/hwk-musterstadt/")
    missing = client.get("/chambers/hwk-gibt-es-nicht/")
    assert existing.status_code == missing.status_code == 404

    def comparable(response, path):
        page = response.content.decode().replace(path, "/PATH/")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)

    assert comparable(existing, "/chambers/hwk-musterstadt/") == comparable(missing, "/chambers/hwk-gibt-es-nicht/")


def test_saving_ones_own_settings_leaves_the_other_chamber_alone(client, clara, otto, nordstadt):
    nordstadt_before = Chamber.objects.filter(pk=nordstadt.pk).values().get()
    client.force_login(clara)
    assert client.post("/chambers/hwk-musterstadt/settings/", SETTINGS).status_code == 302
    assert Chamber.objects.get(slug="hwk-musterstadt").name == "Handwerkskammer Musterstadt-Land"
    assert Chamber.objects.filter(pk=nordstadt.pk).values().get() == nordstadt_before


def test_the_chamber_list_leads_single_chamber_staff_straight_to_their_dashboard(client, clara, otto):
    client.force_login(clara)
    response = client.get("/chambers/")
    assert response.status_code == 302
    assert response["Location"] == "/chambers/hwk-musterstadt/"
    client.force_login(otto)
    assert client.get("/chambers/")["Location"] == "/chambers/hwk-nordstadt/"


def test_staff_of_several_chambers_choose_from_a_list_of_exactly_theirs(client, musterstadt, nordstadt):
    Chamber.objects.create(slug="hwk-suedstadt", name="Handwerkskammer Südstadt")
    both = make_staff("mia@kammerverbund.example", musterstadt, nordstadt)
    client.force_login(both)
    page = client.get("/chambers/").content.decode()
    assert "Handwerkskammer Musterstadt" in page and "Handwerkskammer Nordstadt" in page
    assert "Südstadt" not in page
    assert 'href="/chambers/"' in client.get("/chambers/hwk-nordstadt/").content.decode()


@pytest.mark.parametrize("persona", ["consultant", "superuser"])
def test_people_who_are_nobodys_chamber_staff_have_no_chamber_list(client, dana, staff_user, persona):
    client.force_login(dana.user if persona == "consultant" else staff_user)
    assert client.get("/chambers/").status_code == 404


def test_anonymous_visitors_are_asked_to_log_in_for_the_chamber_list(client):
    response = client.get("/chambers/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/chambers/"


def test_no_staff_page_is_cached(client, clara):
    client.force_login(clara)
    for path in ("/chambers/hwk-musterstadt/", f"/chambers/hwk-musterstadt/statistics.csv?year={LAST_YEAR}"):
        assert "no-store" in client.get(path)["Cache-Control"]


def test_the_dashboard_names_only_ones_own_chamber(client, clara, nordstadt):
    client.force_login(clara)
    page = client.get("/chambers/hwk-musterstadt/").content.decode()
    assert "Handwerkskammer Musterstadt" in page
    assert "Nordstadt" not in page
    assert 'href="/chambers/"' not in page  # one chamber: no list to go back to


# -- the settings form ---------------------------------------------------------------------------------


@pytest.fixture
def english(clara):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(clara)
    return client


def post_settings(client, **changes):
    return client.post("/chambers/hwk-musterstadt/settings/", {**SETTINGS, **changes})


def test_the_form_shows_the_current_settings(english):
    page = english.get("/chambers/hwk-musterstadt/settings/").content.decode()
    assert 'value="Handwerkskammer Musterstadt"' in page
    assert 'value="#0b5394"' in page
    assert '<img src="/chambers/hwk-musterstadt/settings/logo.png"' in page
    assert "<legend>Checklists your members can use</legend>" in page
    assert 'value="whatsapp-business"' in page and "checked" in page
    assert "dsgvo-check.hwk-musterstadt.example" not in page  # the host name is the admin's


def test_valid_settings_are_saved_and_a_web_address_without_scheme_gets_https(english, musterstadt):
    response = post_settings(english, imprint_url="www.hwk-musterstadt.example/impressum", brand_color="#8A1538")
    assert response.status_code == 302
    assert response["Location"] == "/chambers/hwk-musterstadt/settings/"
    musterstadt.refresh_from_db()
    assert musterstadt.name == "Handwerkskammer Musterstadt-Land"
    assert musterstadt.imprint_url == "https://www.hwk-musterstadt.example/impressum"
    assert musterstadt.brand_color == "#8a1538"
    assert musterstadt.address == "Kammerplatz 1\n12345 Musterstadt"
    assert "The settings are saved" in english.get(response["Location"]).content.decode()


def test_slug_and_host_name_cannot_be_changed_through_the_form(english, musterstadt):
    post_settings(english, slug="hwk-gekapert", host="evil.example")
    musterstadt.refresh_from_db()
    assert (musterstadt.slug, musterstadt.host) == ("hwk-musterstadt", "dsgvo-check.hwk-musterstadt.example")


def test_a_web_address_without_encryption_is_refused_and_the_error_is_tied_to_its_field(english, musterstadt):
    response = post_settings(english, privacy_url="http://www.hwk-musterstadt.example/datenschutz")
    assert response.status_code == 400
    page = response.content.decode()
    assert "starts with https://" in page
    assert 'aria-describedby="id_privacy_url_error"' in page
    assert 'aria-invalid="true"' in page
    assert 'role="alert"' in page
    musterstadt.refresh_from_db()
    assert musterstadt.name == "Handwerkskammer Musterstadt"  # nothing of the bad post was saved


def test_something_that_is_no_web_address_is_refused(english):
    assert "starts with https://" in post_settings(english, imprint_url="javascript:alert(1)").content.decode()
    page = post_settings(english, imprint_url="Impressum auf unserer Seite").content.decode()
    assert "Please enter a complete web address" in page


@pytest.mark.parametrize(
    ("colour", "message"),
    [("#ffff00", "This colour is too light"), ("red", "Enter the colour as a hex code"), ("#123;}", "hex code")],
)
def test_a_brand_colour_that_is_too_light_or_not_a_hex_code_is_refused(english, musterstadt, colour, message):
    response = post_settings(english, brand_color=colour)
    assert response.status_code == 400
    assert message in response.content.decode()
    musterstadt.refresh_from_db()
    assert musterstadt.brand_color == "#0b5394"


def test_an_svg_logo_is_refused(english, musterstadt):
    before = bytes(musterstadt.logo)
    svg = SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    response = post_settings(english, logo=svg)
    assert response.status_code == 400
    assert "must be a PNG or JPEG image" in response.content.decode()
    musterstadt.refresh_from_db()
    assert bytes(musterstadt.logo) == before


def test_a_logo_is_stored_as_our_own_png_and_can_be_removed(english, musterstadt):
    upload = SimpleUploadedFile("logo.png", png((1600, 400), (138, 21, 56)), content_type="image/png")
    assert post_settings(english, logo=upload).status_code == 302
    musterstadt.refresh_from_db()
    logo = bytes(musterstadt.logo)
    assert logo.startswith(PNG_SIGNATURE)
    assert Image.open(io.BytesIO(logo)).size == (800, 200)
    assert english.get("/chambers/hwk-musterstadt/settings/logo.png").content == logo

    assert post_settings(english, remove_logo="on").status_code == 302
    musterstadt.refresh_from_db()
    assert not musterstadt.logo
    assert english.get("/chambers/hwk-musterstadt/settings/logo.png").status_code == 404


@pytest.fixture
def two_checklists(settings, tmp_path):
    """The installation's WhatsApp check plus the small website check from the test fixtures."""
    from compliance_wizard.catalog import registry

    (tmp_path / "whatsapp-business").symlink_to(TESTS.parent / "checklists" / "whatsapp-business")
    (tmp_path / "website-basics.yaml").symlink_to(TESTS / "fixtures" / "checklists" / "website-basics.yaml")
    settings.CHECKLIST_DIR = tmp_path
    registry.reset()
    yield
    registry.reset()


def test_a_chamber_can_offer_a_choice_of_the_checklists(english, musterstadt, two_checklists):
    page = english.get("/chambers/hwk-musterstadt/settings/").content.decode()
    assert page.count('type="checkbox" name="checklists"') == 2
    boxes = re.findall(r'<input type="checkbox" name="checklists"[^>]*>', page)
    assert sum("checked" in box for box in boxes) == 2  # offering "every checklist" so far

    assert post_settings(english, checklists=["website-basics"]).status_code == 302
    musterstadt.refresh_from_db()
    assert musterstadt.checklists == ["website-basics"]
    assert not musterstadt.offers("whatsapp-business")


def test_ticking_every_checklist_also_offers_those_added_later(english, musterstadt, two_checklists):
    musterstadt.checklists = ["website-basics"]
    musterstadt.save()
    assert post_settings(english, checklists=["website-basics", "whatsapp-business"]).status_code == 302
    musterstadt.refresh_from_db()
    assert musterstadt.checklists == []


def test_at_least_one_checklist_must_be_offered(english):
    response = post_settings(english, checklists=[])
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please choose at least one checklist." in page
    assert 'href="#id_checklists"' in page and 'id="id_checklists"' in page


def test_a_checklist_the_installation_does_not_have_cannot_be_offered(english):
    assert post_settings(english, checklists=["no-such-checklist"]).status_code == 400


def test_the_name_is_required(english):
    response = post_settings(english, name="   ")
    assert response.status_code == 400
    assert "Please enter the chamber&#x27;s name." in response.content.decode()
