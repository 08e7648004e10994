"""Jana on a step of the check: "Zurück" left of "Weiter" where she looks for it, "Weiter" first for the
keyboard and for Enter, and her personal link copied with one button to keep it for later."""

from __future__ import annotations

from playwright.sync_api import expect

from .pages import PAINTER, Mouse, focused, step_of


def test_back_is_shown_left_of_next_and_next_comes_first_by_keyboard(page):
    jana = Mouse(page)
    jana.start("Malerbetrieb Berger")
    jana.answer(PAINTER)
    jana.next()
    actions = page.locator("form .actions")
    back = actions.get_by_role("button", name="Zurück").bounding_box()
    forward = actions.get_by_role("button", name="Weiter").bounding_box()
    assert back["x"] + back["width"] <= forward["x"]
    assert abs(back["y"] - forward["y"]) < 1  # side by side, not one above the other

    # From the last help text of the form, Tab reaches "Weiter" first, then "Zurück".
    page.locator("form details.help summary").last.focus()
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Weiter"
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Zurück"

    # Enter on an answer goes forward: the browser submits with the form's first button.
    jana.answer(PAINTER)
    page.locator("input[type=radio]:checked").last.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert step_of(page) == "devices"


def test_back_and_next_stay_side_by_side_on_a_phone(visits):
    phone = visits.page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    jana = Mouse(phone, tap=True)
    jana.start("Malerbetrieb Berger")
    jana.answer(PAINTER)
    jana.next()
    back = phone.get_by_role("button", name="Zurück").bounding_box()
    forward = phone.get_by_role("button", name="Weiter").bounding_box()
    assert back["x"] + back["width"] <= forward["x"] and forward["x"] + forward["width"] <= 390


def test_the_personal_link_is_copied_with_one_button(visits):
    context = visits.context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    Mouse(page).start("Malerbetrieb Berger")
    link = page.locator(".resume-link").inner_text()
    assert link.startswith(visits.origin)

    copy = page.locator(".resume").get_by_role("button", name="Kopieren")
    copy.click()
    expect(page.locator(".resume").get_by_role("status")).to_have_text("Kopiert. Sie können den Link jetzt einfügen.")
    assert page.evaluate("() => navigator.clipboard.readText()") == link


def test_without_a_clipboard_the_copy_button_stays_hidden_and_the_link_can_be_selected(visits):
    context = visits.context()
    # As on a page served over plain http from another host, where browsers offer no clipboard to scripts.
    context.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page = context.new_page()
    Mouse(page).start("Malerbetrieb Berger")
    expect(page.locator(".resume .copy")).to_be_hidden()
    expect(page.locator(".resume-link")).to_be_visible()
