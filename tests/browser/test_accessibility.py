"""axe-core finds no WCAG 2.0/2.1 A or AA violation on any page, every page says its language and
its headings go down one level at a time. The findings of all pages are collected before failing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from compliance_wizard.workspace.models import Client, Consultant

from .audit import Audit
from .pages import PAINTER, WHATSAPP, Mouse, step_of, submit


def test_public_pages_in_both_languages(page):
    audit = Audit()
    for name, path in [("home page", "/"), ("start page of the check", f"/check/{WHATSAPP}/")]:
        page.goto(path)
        audit.check(name, page)
    page.goto("/barrierefreiheit/")
    audit.check("accessibility statement", page)
    assert page.goto("/gibt-es-nicht/").status == 404
    audit.check("404 page", page)

    page.goto("/")
    submit(page, lambda: page.get_by_role("button", name="English").click())
    audit.check("home page in English", page, lang="en")
    page.goto(f"/check/{WHATSAPP}/")
    audit.check("start page of the check in English", page, lang="en")
    assert not audit.problems, audit.report()


def test_every_wizard_step_its_error_states_and_the_result(visits):
    page = visits.page()
    audit = Audit()
    page.goto(f"/check/{WHATSAPP}/")
    page.locator("input[name=website]").fill("keine Adresse")
    submit(page, lambda: page.locator("form button.primary").click())
    audit.check("start page of the check with an error", page)

    jana = Mouse(page)
    jana.start("Malerbetrieb Berger")
    jana.next()  # nothing chosen yet
    audit.check("first step with errors", page)

    def each_step(page):
        step = step_of(page)
        audit.check(f"step {step}", page)
        Mouse(page).answer(PAINTER)  # follow-up questions are now on screen too
        audit.check(f"step {step}, answered", page)

    steps = jana.finish(PAINTER, on_step=each_step)
    assert len(steps) == 6 and len(audit.pages) == 2 + 2 * 6

    for summary in page.locator("details summary").all():
        summary.click()  # the text templates and the list of what does not apply
    audit.check("result page, everything opened", page)
    with page.expect_download():
        submit(page, lambda: page.get_by_role("link", name="Bericht herunterladen (PDF)").first.click())
        audit.check("page saying the report is being made", page)  # it stays when the download begins
    submit(page, lambda: page.get_by_role("link", name="Zurück zum Ergebnis").click())
    submit(page, lambda: page.get_by_role("link", name="Diesen Check jetzt löschen").click())
    audit.check("delete page", page)

    stale = visits.page()
    stale.goto(f"/check/{WHATSAPP}/")
    stale.context.clear_cookies()  # as after a long break: the form's security token no longer matches
    submit(stale, lambda: stale.locator("form button.primary").click())
    assert "zu lange geöffnet" in stale.get_by_role("heading", level=1).inner_text()
    audit.check("page for an expired form", stale)
    assert not audit.problems, audit.report()


def test_the_server_error_page(page, settings):
    # The real handler500 and 500.html, served by the real server: only the URL that fails is added.
    settings.ROOT_URLCONF = "tests.browser.failing_urls"
    assert page.goto("/test-failure/").status == 500
    audit = Audit()
    audit.check("500 page", page)
    assert not audit.problems, audit.report()
    assert page.get_by_role("link", name="Erklärung zur Barrierefreiheit").is_visible()


DANAS_PASSWORD = "a-long-Passw0rd!"


@pytest.fixture
def dana_with_a_client(transactional_db):
    """Dana Schulz, data protection consultant, with one client in her workspace."""
    email = "dana@dsb-schulz.example"
    user = get_user_model().objects.create_user(username=email, email=email, password=DANAS_PASSWORD)
    consultant = Consultant.objects.create(user=user, display_name="Datenschutz Schulz")
    Client.objects.create(consultant=consultant, name="Malerbetrieb Berger", contact_person="Jana Berger")
    return user


def test_login_and_the_consultant_dashboard(page, dana_with_a_client):
    audit = Audit()
    assert page.goto("/accounts/login/").status == 200
    audit.check("login page", page)
    page.locator("input[name=username]").fill(dana_with_a_client.username)
    page.locator("input[name=password]").fill("not her password")
    submit(page, lambda: page.locator("input[name=password]").press("Enter"))
    audit.check("login page with an error", page)

    page.locator("input[name=password]").fill(DANAS_PASSWORD)
    submit(page, lambda: page.locator("input[name=password]").press("Enter"))
    assert page.url.endswith("/workspace/")
    assert page.get_by_text("Malerbetrieb Berger").first.is_visible()
    audit.check("consultant dashboard", page)
    assert not audit.problems, audit.report()


def test_the_checks_above_do_find_problems_when_there_are_some(page):
    page.goto("/barrierefreiheit/")
    page.evaluate(
        """() => {
          document.querySelector("main").insertAdjacentHTML("beforeend", '<h4>Too deep</h4><input type="text">');
          document.documentElement.lang = "";
        }"""
    )
    audit = Audit()
    audit.check("a broken page", page)
    found = "\n".join(audit.report().splitlines())
    assert "label (critical)" in found  # the input without a label
    assert "html-has-lang" in found
    assert "is followed by h4" in found
