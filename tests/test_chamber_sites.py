"""A Handwerkskammer's members take the check on the chamber's own site: under /hwk/<slug>/ or its own
host name, with its name, logo and colour on every page and on the PDF, and only the checks it offers."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from django.db import IntegrityError
from PIL import Image

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.chambers.models import Chamber, CheckStatistic
from tests.downloads import download
from tests.wizard import WizardRun
from tests.workspace import MODEL_BUSINESS, add_client, answers_of, neglected_answers

PREFIX = "/hwk/musterstadt"


def png(color=(0, 70, 140)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 80), color).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def musterstadt(db):
    """The Handwerkskammer Musterstadt, with its own host name, logo, colour and legal pages."""
    return Chamber.objects.create(
        slug="musterstadt",
        host="dsgvo.hwk-musterstadt.de",
        name="Handwerkskammer Musterstadt",
        logo=png(),
        brand_color="#7a1f1f",
        contact_name="Frau Beispiel",
        contact_email="datenschutz@hwk-musterstadt.de",
        imprint_url="https://www.hwk-musterstadt.de/impressum",
        privacy_url="https://www.hwk-musterstadt.de/datenschutz",
    )


@pytest.fixture
def nordheim(db):
    return Chamber.objects.create(slug="nordheim", name="Handwerkskammer Nordheim")


def test_the_chambers_site_carries_its_name_and_keeps_every_link_inside(client, musterstadt):
    page = client.get(f"{PREFIX}/").content.decode()
    assert "Handwerkskammer Musterstadt" in page
    assert f'href="{PREFIX}/check/whatsapp-business/"' in page
    assert f'href="{PREFIX}/brand/colour.css"' in page and f'src="{PREFIX}/brand/logo.png"' in page
    assert 'href="https://www.hwk-musterstadt.de/impressum"' in page
    assert 'href="https://www.hwk-musterstadt.de/datenschutz"' in page
    assert "datenschutz@hwk-musterstadt.de" in page
    # Static files are shared by all chambers and never go through a chamber's prefix.
    assert 'href="/static/css/site.css"' in page


def test_the_colour_and_logo_come_as_own_files(client, musterstadt):
    css = client.get(f"{PREFIX}/brand/colour.css")
    assert css["Content-Type"].startswith("text/css")
    assert "--accent: #7a1f1f" in css.content.decode()
    logo = client.get(f"{PREFIX}/brand/logo.png")
    assert logo["Content-Type"] == "image/png" and logo.content.startswith(b"\x89PNG")
    assert client.get("/brand/colour.css").status_code == 404  # no chamber, no brand


def test_an_unreadable_colour_stored_earlier_is_not_used(client, musterstadt):
    Chamber.objects.filter(pk=musterstadt.pk).update(brand_color="#ffff00")
    assert "--accent" not in client.get(f"{PREFIX}/brand/colour.css").content.decode()


def test_by_its_own_host_name_the_site_needs_no_prefix(client, musterstadt, settings):
    settings.ALLOWED_HOSTS = ["dsgvo.hwk-musterstadt.de", "testserver"]
    page = client.get("/", HTTP_HOST="dsgvo.hwk-musterstadt.de").content.decode()
    assert "Handwerkskammer Musterstadt" in page
    assert 'href="/check/whatsapp-business/"' in page
    assert "Handwerkskammer Musterstadt" not in client.get("/").content.decode()


def test_an_unknown_chamber_does_not_exist_and_a_missing_slash_is_added(client, musterstadt):
    assert client.get("/hwk/gibt-es-nicht/").status_code == 404
    response = client.get(PREFIX)
    assert response.status_code == 301 and response["Location"] == f"{PREFIX}/"


def test_a_member_takes_the_check_on_the_chambers_site(client, musterstadt):
    run = WizardRun(client, "whatsapp-business", prefix=PREFIX)
    run.start("Tischlerei Nord")
    result = run.answer_all(neglected_answers())
    assert result.status_code == 200
    assert result.request["PATH_INFO"] == f"{PREFIX}/result/{run.token}/"  # the result stays on the chamber's site
    assert "Handwerkskammer Musterstadt" in result.content.decode()
    assessment = Assessment.objects.get(token=run.token)
    assert assessment.chamber == musterstadt

    statistic = CheckStatistic.objects.get()
    assert (statistic.chamber, statistic.band) == (musterstadt, assessment.band)
    assert statistic.month.day == 1
    assert "avv-whatsapp" in statistic.gaps
    assert not hasattr(statistic, "assessment") and "Tischlerei" not in str(statistic.__dict__)

    reader = pypdf.PdfReader(io.BytesIO(download(client, f"{PREFIX}/result/{run.token}/report.pdf").content))
    assert "Handwerkskammer Musterstadt" in reader.pages[0].extract_text()
    assert len(reader.pages[0].images) >= 1


def test_a_members_check_opens_only_on_its_chambers_site(client, musterstadt, nordheim):
    run = WizardRun(client, "whatsapp-business", prefix=PREFIX)
    run.start()
    run.answer_all(answers_of(MODEL_BUSINESS))
    for path in (f"/result/{run.token}/", f"/hwk/nordheim/result/{run.token}/", f"/draft/{run.token}/"):
        assert client.get(path).status_code == 404, path
    assert client.get(f"{PREFIX}/result/{run.token}/").status_code == 200


def test_an_anonymous_check_does_not_open_on_a_chambers_site(client, musterstadt):
    run = WizardRun(client, "whatsapp-business")
    run.start()
    assert client.get(f"{PREFIX}/draft/{run.token}/").status_code == 404
    assert client.get(f"/draft/{run.token}/").status_code == 302


def test_a_chamber_offers_its_members_only_the_kinds_of_business_it_chose(client, musterstadt):
    musterstadt.sectors = ["construction", "other"]
    musterstadt.save()
    run = WizardRun(client, "whatsapp-business", prefix=PREFIX)
    run.start()
    page = run.open("usage").content.decode()
    offered = re.findall(r'name="[^"]*-sector" value="([a-z_]+)"', page)
    assert offered == ["construction", "other", "unknown"]  # "don't know" is always there

    answers = {"sector": "health_care", "app_variant": "business_app", "internal_use": "no"}
    response = run.post("usage", answers)  # a tampered post naming a kind the chamber does not offer
    assert (
        response.status_code == 200 and "Bitte wählen Sie eine der angebotenen Antworten." in response.content.decode()
    )
    assert "sector" not in run.assessment.answers

    assert run.post("usage", {**answers, "sector": "construction"}).status_code == 302
    everyone = WizardRun(client, "whatsapp-business")  # the installation's own site offers every kind
    everyone.start()
    assert 'value="health_care"' in everyone.open("usage").content.decode()


def test_a_chamber_offers_only_its_checklists(client, musterstadt):
    musterstadt.checklists = ["some-other-checklist"]
    musterstadt.save()
    assert "whatsapp-business" not in client.get(f"{PREFIX}/").content.decode()
    assert client.get(f"{PREFIX}/check/whatsapp-business/").status_code == 404
    assert client.get("/check/whatsapp-business/").status_code == 200  # the installation still offers it


def test_a_check_has_at_most_one_owner(musterstadt, dana):
    from compliance_wizard.catalog import registry
    from compliance_wizard.workspace.services import client_assessment_start

    check = client_assessment_start(add_client(dana), registry.get("whatsapp-business"), "de")
    check.chamber = musterstadt
    with pytest.raises(IntegrityError):
        check.save()


def test_the_accessibility_link_leads_to_the_chambers_own_statement_when_it_has_one(client, musterstadt):
    assert re.search(rf'href="{PREFIX}/barrierefreiheit/"', client.get(f"{PREFIX}/").content.decode())
    musterstadt.accessibility_url = "https://www.hwk-musterstadt.de/barrierefreiheit"
    musterstadt.save()
    assert 'href="https://www.hwk-musterstadt.de/barrierefreiheit"' in client.get(f"{PREFIX}/").content.decode()


def test_the_administrator_adds_a_chamber_with_logo_and_colour(client, staff_user):
    client.force_login(staff_user)
    logo = io.BytesIO(png())
    logo.name = "hwk.png"
    response = client.post(
        "/admin/chambers/chamber/add/",
        {
            "slug": "suedstadt",
            "host": " DSGVO.HWK-Suedstadt.de ",
            "name": "Handwerkskammer Südstadt",
            "brand_color": "#1F4E79",
            "logo_upload": logo,
            "checklists": ["whatsapp-business"],
            "sectors": ["health_care", "personal_services"],
            "staff-TOTAL_FORMS": "0",
            "staff-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    chamber = Chamber.objects.get(slug="suedstadt")
    assert (chamber.host, chamber.brand_color, chamber.checklists) == (
        "dsgvo.hwk-suedstadt.de",
        "#1f4e79",
        ["whatsapp-business"],
    )
    assert bytes(chamber.logo).startswith(b"\x89PNG")
    assert chamber.sectors == ["health_care", "personal_services"]


def test_the_administrator_cannot_give_a_chamber_an_unreadable_colour_or_an_svg_logo(client, staff_user):
    client.force_login(staff_user)
    svg = io.BytesIO(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    svg.name = "logo.svg"
    response = client.post(
        "/admin/chambers/chamber/add/",
        {"slug": "gelb", "name": "HWK Gelb", "brand_color": "#ffee00", "logo_upload": svg,
         "staff-TOTAL_FORMS": "0", "staff-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"brand_color", "logo_upload"}
    assert not Chamber.objects.exists()
