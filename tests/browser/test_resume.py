"""Jana goes back, reloads, continues on another device, and checks two businesses in two tabs at once."""

from __future__ import annotations

from .pages import ELECTRICIAN, PAINTER, Mouse, radio, step_of


def checked(page, name: str) -> str | None:
    box = page.locator(f'input[type=radio][name="{name}"]:checked')
    return box.get_attribute("value") if box.count() else None


def test_back_in_the_page_and_in_the_browser_show_the_saved_answers(page):
    jana = Mouse(page)
    jana.start("Malerbetrieb Berger")
    jana.answer(PAINTER)
    jana.next()
    assert step_of(page) == "contracts"

    jana.back()
    assert step_of(page) == "usage"
    assert checked(page, "usage-app_variant") == "business_app"
    assert checked(page, "usage-internal_use") == "yes"

    jana.next()
    assert step_of(page) == "contracts"
    page.go_back()
    assert step_of(page) == "usage"
    assert checked(page, "usage-app_variant") == "business_app"
    page.go_forward()
    assert step_of(page) == "contracts"


def test_a_reload_mid_wizard_keeps_the_step_and_everything_saved_before(page):
    jana = Mouse(page)
    jana.start("Malerbetrieb Berger")
    jana.answer(PAINTER)
    jana.next()
    progress = page.locator(".progress").inner_text()

    page.reload()
    assert step_of(page) == "contracts"
    assert page.locator(".progress").inner_text() == progress
    jana.back()
    assert checked(page, "usage-app_variant") == "business_app"


def test_the_personal_link_resumes_in_a_fresh_browser(visits):
    phone = visits.page()
    jana = Mouse(phone)
    jana.start("Malerbetrieb Berger")
    for _ in range(2):
        jana.answer(PAINTER)
        jana.next()
    assert step_of(phone) == "devices"
    link = phone.locator(".resume-link").inner_text()

    office = visits.page()  # another browser: no cookies, no history
    office.goto(link)
    assert step_of(office) == "devices"
    assert office.locator(".resume-link").inner_text() == link
    Mouse(office).back()
    assert step_of(office) == "contracts"
    assert checked(office, "contracts-avv_whatsapp") == "accepted"
    Mouse(office).finish(PAINTER)
    assert office.get_by_role("heading", level=1).inner_text() == "Ihr Ergebnis: Malerbetrieb Berger"


def test_two_tabs_with_two_checks_do_not_disturb_each_other(visits):
    context = visits.context()  # one browser, shared cookies
    painter_tab, electrician_tab = context.new_page(), context.new_page()
    painter, electrician = Mouse(painter_tab), Mouse(electrician_tab)
    painter.start("Malerbetrieb Berger")
    electrician.start("Elektro Schmidt")
    assert painter_tab.locator(".resume-link").inner_text() != electrician_tab.locator(".resume-link").inner_text()

    painter.answer(PAINTER)
    electrician.answer(ELECTRICIAN)
    painter.next()
    electrician.next()
    # Each tab asks what its own first answers call for.
    assert radio(electrician_tab, "contracts-avv_bsp", "yes").is_visible()
    assert radio(painter_tab, "contracts-avv_bsp", "yes").count() == 0

    painter.answer(PAINTER)
    electrician.answer(ELECTRICIAN)
    electrician.next()
    painter.next()
    assert (step_of(painter_tab), step_of(electrician_tab)) == ("devices", "information")

    painter_tab.reload()
    assert step_of(painter_tab) == "devices"
    painter.finish(PAINTER)
    electrician.finish(ELECTRICIAN)
    assert painter_tab.get_by_role("heading", level=1).inner_text() == "Ihr Ergebnis: Malerbetrieb Berger"
    assert electrician_tab.get_by_role("heading", level=1).inner_text() == "Ihr Ergebnis: Elektro Schmidt"
    assert painter_tab.locator(".score-number").inner_text() == "25"
