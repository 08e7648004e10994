"""The accessibility statement: linked from every page, German first, English after the switch,
with the feedback contact of the installation and the way to the conciliation body."""

from __future__ import annotations

from playwright.sync_api import expect

from .pages import WHATSAPP, Mouse, submit


def test_every_page_links_to_the_statement_in_its_footer(page):
    jana = Mouse(page)
    jana.start("Malerbetrieb Berger")
    footer_link = page.locator("footer").get_by_role("link", name="Erklärung zur Barrierefreiheit")
    submit(page, footer_link.click)
    expect(page.get_by_role("heading", level=1)).to_have_text("Erklärung zur Barrierefreiheit")
    for path in ("/", f"/check/{WHATSAPP}/", "/gibt-es-nicht/"):
        page.goto(path)
        expect(page.locator("footer a[href='/barrierefreiheit/']")).to_be_visible()


def test_the_statement_names_status_limits_contact_conciliation_and_review_date(page, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "barrierefreiheit@hwk-musterstadt.example"
    page.goto("/barrierefreiheit/")
    main = page.locator("main")
    expect(main).to_contain_text("teilweise")  # partially compliant
    expect(main).to_contain_text("Gebärdensprache")  # a known limitation
    contact = main.get_by_role("link", name="barrierefreiheit@hwk-musterstadt.example")
    expect(contact).to_have_attribute("href", "mailto:barrierefreiheit@hwk-musterstadt.example")
    expect(main.locator("address")).to_contain_text("Mauerstraße 53, 10117 Berlin")
    expect(main.get_by_role("link", name="www.schlichtungsstelle-bgg.de")).to_be_visible()
    expect(main).to_contain_text("Zuletzt geprüft: 23. November 2026.")

    submit(page, lambda: page.get_by_role("button", name="English").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    expect(main).to_contain_text("partially compliant")
    expect(main).to_contain_text("Last reviewed: Nov. 23, 2026.")
    expect(main.locator("address")).to_have_attribute("lang", "de")  # the body's German name stays German


def test_without_a_configured_contact_the_statement_says_so(page, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    page.goto("/barrierefreiheit/")
    expect(page.locator("main")).to_contain_text("noch keine Kontaktadresse")
    expect(page.locator("main a[href^='mailto:']")).to_have_count(1)  # only the conciliation body
