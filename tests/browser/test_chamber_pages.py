"""A chamber's branded site passes the same checks: axe finds nothing, the logo and colour come from
the app's own origin, and on a phone the branded header fits."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image

from compliance_wizard.assessments.services import assessment_submit, draft_start
from compliance_wizard.catalog import registry
from compliance_wizard.chambers.models import Chamber, CheckStatistic
from compliance_wizard.chambers.statistics import first_of_month
from tests.workspace import neglected_answers

from .audit import Audit
from .pages import horizontal_overflow, submit, unreachable_controls

PREFIX = "/hwk/musterstadt"


@pytest.fixture
def musterstadt_checks(transactional_db):
    """The Handwerkskammer Musterstadt with a logo and colour, one member's draft and one finished check, and
    twenty earlier checks of construction businesses to compare it with."""
    logo = io.BytesIO()
    Image.new("RGB", (400, 120), (122, 31, 31)).save(logo, "PNG")
    chamber = Chamber.objects.create(
        slug="musterstadt",
        name="Handwerkskammer Musterstadt",
        logo=logo.getvalue(),
        brand_color="#7a1f1f",
        contact_email="datenschutz@hwk-musterstadt.de",
        imprint_url="https://www.hwk-musterstadt.de/impressum",
        privacy_url="https://www.hwk-musterstadt.de/datenschutz",
        greeting="Liebe Betriebe,\nWhatsApp gehört für viele zum Alltag.\n\nIhre Handwerkskammer",
    )
    checklist = registry.get("whatsapp-business")
    draft = draft_start(checklist, "de", "Tischlerei Nord", chamber=chamber)
    finished = draft_start(checklist, "de", "Bäckerei Süd", chamber=chamber)
    assessment_submit(finished.token, checklist, neglected_answers())
    before = first_of_month(first_of_month(date.today()) - timedelta(days=1))
    CheckStatistic.objects.bulk_create(
        CheckStatistic(
            chamber=chamber,
            checklist_id=checklist.id,
            month=before,
            band="amber",
            score=40 + 40 * (n % 3 == 0),
            gaps=["consumer-app", "contact-sync"],
            sector="construction",
        )
        for n in range(20)
    )
    return {"draft": draft.token, "finished": finished.token}


def _pages(checks) -> list[tuple[str, str]]:
    return [
        ("chamber home page", f"{PREFIX}/"),
        ("chamber start page of the check", f"{PREFIX}/check/whatsapp-business/"),
        ("chamber first step", f"{PREFIX}/draft/{checks['draft']}/"),
        ("chamber result", f"{PREFIX}/result/{checks['finished']}/"),
    ]


def test_the_chambers_pages_pass_axe(page, musterstadt_checks):
    audit = Audit()
    for name, path in _pages(musterstadt_checks):
        assert page.goto(path).status == 200, path
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        audit.check(name, page)
    assert page.get_by_role("heading", name="Betriebe wie Ihrer").is_visible()  # the result page, last
    assert page.locator(".chamber-logo").evaluate("img => img.naturalWidth") > 0
    accent = page.evaluate("() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()")
    assert accent == "#7a1f1f"
    assert not audit.problems, audit.report()


def test_on_a_phone_the_branded_header_fits(visits, musterstadt_checks):
    page = visits.page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    found = []
    for name, path in _pages(musterstadt_checks):
        page.goto(path)
        if overflow := horizontal_overflow(page):
            found.append(f"{name}: {overflow}px wider than the screen")
        found += [f"{name}: {problem}" for problem in unreachable_controls(page)]
    assert not found, "\n".join(found)


STAFF_PASSWORD = "a-long-Passw0rd!"


def _too_wide(page) -> list[str]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("body *"))
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 5).map(e => `${e.tagName}.${e.className}`)"""
    )


@pytest.fixture
def clara_at_musterstadt(musterstadt_checks):
    """Clara Becker, staff of the Handwerkskammer Musterstadt, whose members finished 23 checks last year."""
    from datetime import date

    from django.contrib.auth import get_user_model

    from compliance_wizard.chambers.models import ChamberStaff, CheckStatistic

    chamber = Chamber.objects.get(slug="musterstadt")
    last_year = date.today().year - 1
    CheckStatistic.objects.bulk_create(
        CheckStatistic(
            chamber=chamber,
            checklist_id="whatsapp-business",
            month=date(last_year, 2 + n % 4, 1),
            band=("green", "amber", "red")[n % 3],
            score=30 + n,
            gaps=["avv-whatsapp", "cloud-backup"][: n % 3],
        )
        for n in range(23)
    )
    email = "clara@hwk-musterstadt.de"
    user = get_user_model().objects.create_user(username=email, email=email, password=STAFF_PASSWORD)
    ChamberStaff.objects.create(chamber=chamber, user=user)
    return {"user": user, "year": last_year}


def test_the_staff_pages_are_branded_pass_axe_and_ask_for_nothing_missing(page, clara_at_musterstadt):
    failed = []
    page.on("response", lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"))
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(clara_at_musterstadt["user"].username)
    page.locator("input[name=password]").fill(STAFF_PASSWORD)
    submit(page, lambda: page.locator("input[name=password]").press("Enter"))
    assert page.url.endswith("/chambers/musterstadt/")

    audit = Audit()
    pages = [
        ("staff dashboard of the current year", "/chambers/musterstadt/"),
        ("staff dashboard with charts", f"/chambers/musterstadt/?year={clara_at_musterstadt['year']}"),
        ("staff settings", "/chambers/musterstadt/settings/"),
    ]
    for name, path in pages:
        assert page.goto(path).status == 200, path
        audit.check(name, page)
        assert page.locator(".chamber-logo").evaluate("img => img.naturalWidth") > 0, name
        accent = page.evaluate("() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()")
        assert accent == "#7a1f1f", name
        if "charts" in name:
            assert page.locator("svg.chart[role=img]").count() == 3

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(pages[1][1])
    assert not horizontal_overflow(page), f"wider than a phone: {_too_wide(page)}"

    # The preview link opens the members' site.
    submit(page, lambda: page.get_by_role("link", name="Seite Ihrer Mitglieder (Vorschau)").click())
    assert page.url.endswith(f"{PREFIX}/")
    assert not audit.problems, audit.report()
    assert not failed, failed


def test_clara_edits_the_greeting_and_sees_it_first_on_the_members_site(page, clara_at_musterstadt):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(clara_at_musterstadt["user"].username)
    page.locator("input[name=password]").fill(STAFF_PASSWORD)
    submit(page, lambda: page.locator("input[name=password]").press("Enter"))
    page.goto("/chambers/musterstadt/settings/")
    greeting = page.get_by_label("Begrüßung auf der Startseite Ihrer Mitglieder")
    greeting.fill("Willkommen, liebe Mitgliedsbetriebe!\n\nFragen? Rufen Sie uns an.")
    submit(page, lambda: page.get_by_role("button", name="Speichern").click())
    submit(page, lambda: page.get_by_role("link", name="Seite Ihrer Mitglieder (Vorschau)").click())
    main = page.locator("main")
    assert main.inner_text().lstrip().startswith("Willkommen, liebe Mitgliedsbetriebe!")
    assert "Fragen? Rufen Sie uns an." in main.inner_text()
