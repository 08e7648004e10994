"""Jana, the painter of examples/malerbetrieb-muster.yaml, opens her result on the phone: after one screen she
knows what to do first, every point opens in place, the ready-made texts copy with one tap, and printing gives
the plan and every finding without buttons."""

from __future__ import annotations

import pytest

from compliance_wizard.assessments.services import assessment_submit, draft_start
from compliance_wizard.catalog import registry

from .audit import page_problems
from .pages import EXAMPLE, PAINTER
from .test_phone import PHONE

# The measure: at most six phone screens of 844 px before anything is opened.
MAX_HEIGHT = 6 * 844


@pytest.fixture
def result_url(transactional_db):
    checklist = registry.get("whatsapp-business")
    business = EXAMPLE["business"]
    draft = draft_start(checklist, "de", business["name"], business["website"])
    assessment_submit(draft.token, checklist, PAINTER)
    return f"/result/{draft.token}/"


@pytest.fixture
def phone(visits):
    context = visits.context(**PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    return context.new_page()


def test_the_first_screen_says_what_to_do_first(phone, result_url):
    phone.goto(result_url)
    plan = phone.locator(".next-steps")
    assert plan.is_visible()
    # The plan starts on the first screen, below the score.
    assert phone.locator(".score").bounding_box()["y"] < plan.bounding_box()["y"] < 844
    steps = plan.locator("li")
    assert steps.count() == 3
    assert "Risiko: Kritisch" in steps.first.inner_text()
    assert "Erster Schritt:" in steps.first.inner_text()


def test_the_page_is_at_most_six_screens_with_nothing_opened(phone, result_url):
    phone.goto(result_url)
    assert phone.locator("details.finding[open]").count() == 0
    height = phone.evaluate("document.documentElement.scrollHeight")
    assert height <= MAX_HEIGHT, f"{height}px is {height / 844:.1f} screens"
    assert page_problems(phone) == []


def test_a_next_step_link_opens_its_finding(phone, result_url):
    phone.goto(result_url)
    link = phone.locator(".next-steps li a").first
    target = link.get_attribute("href").lstrip("#")
    finding = phone.locator(f"details#{target}")
    assert finding.get_attribute("open") is None
    link.click()
    assert finding.get_attribute("open") is not None
    assert finding.locator(".finding-body h3").first.is_visible()


def test_findings_open_and_close_from_the_keyboard(phone, result_url):
    phone.goto(result_url)
    summary = phone.locator("#group-gaps details.finding > summary").first
    summary.focus()
    phone.keyboard.press("Enter")
    details = phone.locator("#group-gaps details.finding").first
    assert details.get_attribute("open") is not None
    phone.keyboard.press("Space")
    assert details.get_attribute("open") is None


def test_jump_links_lead_to_every_group(phone, result_url):
    phone.goto(result_url)
    links = phone.locator(".jump-links a")
    labels = [text.split(" (")[0] for text in links.all_inner_texts()]
    assert labels[:2] == ["Lücken", "Zu klären"]
    for href in links.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert phone.locator(href).count() == 1


def test_a_ready_made_text_is_copied_with_one_tap(phone, result_url):
    phone.goto(result_url)
    template = phone.locator("details.finding:has(.template-text)").first
    template.locator("summary").click()
    text = template.locator(".template-text").first
    button = template.locator("button[data-copy]").first
    assert button.inner_text() == "Kopieren"
    button.click()
    status = template.locator(".copy-done").first
    status.wait_for(state="visible")
    assert status.get_attribute("role") == "status"
    assert status.inner_text().startswith("Kopiert.")
    assert phone.evaluate("navigator.clipboard.readText()") == text.text_content()


def test_printing_shows_the_plan_and_every_finding_without_controls(phone, result_url):
    phone.goto(result_url)
    phone.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    phone.emulate_media(media="print")
    assert phone.locator(".next-steps").is_visible()
    assert phone.locator("details.finding:not([open])").count() == 0
    assert phone.locator("details.finding .finding-body").first.is_visible()
    for hidden in (".result-actions", "form", "button", ".language", ".jump-links"):
        assert all(not element.is_visible() for element in phone.locator(hidden).all()), hidden
    phone.evaluate("window.dispatchEvent(new Event('afterprint'))")
    phone.emulate_media(media="screen")
    assert phone.locator("details.finding[open]").count() == 0
