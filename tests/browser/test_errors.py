"""When Jana forgets an answer or mistypes her website, she hears it at once and is led to the field."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .pages import WHATSAPP, Mouse, radio, submit


def test_a_missing_answer_is_announced_and_tied_to_its_question(page):
    jana = Mouse(page)
    jana.start("Malerbetrieb Berger")
    jana.next()  # nothing chosen

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Bitte prüfen Sie Ihre Angaben")
    expect(summary).to_be_focused()  # so that a screen reader reads it out first
    for option in ("health_care", "personal_services", "construction", "other", "unknown"):
        choice = radio(page, "usage-sector", option)
        expect(choice).to_have_attribute("aria-invalid", "true")
        expect(choice).to_have_accessible_description("Bitte wählen Sie eine Antwort.")

    # The summary links to the question; following it puts the focus on the first answer.
    summary.get_by_role("link").first.click()
    expect(radio(page, "usage-sector", "health_care")).to_be_focused()
    page.keyboard.press("Space")
    expect(radio(page, "usage-sector", "health_care")).to_be_checked()


def test_a_mistyped_website_is_announced_with_its_help_text(page):
    page.goto(f"/check/{WHATSAPP}/")
    page.get_by_label("Website").fill("keine Adresse")
    submit(page, lambda: page.locator("form button.primary").click())

    expect(page.get_by_role("alert")).to_be_focused()
    website = page.get_by_label("Website")
    expect(website).to_have_attribute("aria-invalid", "true")
    expect(website).to_have_accessible_description(re.compile(r".+ Bitte geben Sie eine Webadresse"))
    expect(website).to_have_value("keine Adresse")  # nothing typed is lost
