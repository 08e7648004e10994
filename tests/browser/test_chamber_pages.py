"""A chamber's branded site passes the same checks: axe finds nothing, the logo and colour come from
the app's own origin, and on a phone the branded header fits."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from compliance_wizard.assessments.services import assessment_submit, draft_start
from compliance_wizard.catalog import registry
from compliance_wizard.chambers.models import Chamber
from tests.workspace import neglected_answers

from .audit import Audit
from .pages import horizontal_overflow, unreachable_controls

PREFIX = "/hwk/musterstadt"


@pytest.fixture
def musterstadt_checks(transactional_db):
    """The Handwerkskammer Musterstadt with a logo and colour, one member's draft and one finished check."""
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
    )
    checklist = registry.get("whatsapp-business")
    draft = draft_start(checklist, "de", "Tischlerei Nord", chamber=chamber)
    finished = draft_start(checklist, "de", "Bäckerei Süd", chamber=chamber)
    assessment_submit(finished.token, checklist, neglected_answers())
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
