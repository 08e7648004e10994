"""Jana Berger runs a painting business. She takes the WhatsApp check from the start page to the PDF,
once with the mouse, once with the keyboard alone, and sees where the focus is at every key press."""

from __future__ import annotations

from pathlib import Path

from .pages import PAINTER, RESULT_URL, WHATSAPP, Mouse, focused, open_questions, step_of, submit, wanted


def download_report(page, press) -> bytes:
    with page.expect_download() as download:
        press()
    assert download.value.url.startswith(page.url)  # from the result page's own address
    return Path(download.value.path()).read_bytes()


def test_jana_completes_the_check_with_the_mouse_and_downloads_a_real_pdf(page):
    jana = Mouse(page)
    jana.start("Malerbetrieb Berger", "www.maler-berger.de")
    assert page.get_by_text("Schritt 1 von").is_visible()

    # The help behind "Was ist damit gemeint?" opens on click.
    page.locator("details.help summary").first.click()
    assert page.locator("details.help p").first.is_visible()

    steps = jana.finish(PAINTER)
    assert steps == ["usage", "contracts", "devices", "information", "contact", "content"]
    assert page.get_by_role("heading", level=1).inner_text() == "Ihr Ergebnis: Malerbetrieb Berger"
    assert page.locator(".score-number").inner_text() == "25"

    pdf = download_report(page, lambda: page.get_by_role("link", name="Bericht herunterladen (PDF)").first.click())
    assert pdf.startswith(b"%PDF-")


class Keyboard:
    """Tab, Space, Enter and the arrow keys, checking after every Tab that the focus is visible."""

    def __init__(self, page) -> None:
        self.page = page
        self.stops: list[dict] = []

    def tab_to(self, wanted, limit: int = 80) -> dict:
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            element = focused(self.page)
            if element is None:  # past the last control the focus leaves the page for a moment
                continue
            self.stops.append(element)
            assert element["outline"] or element["shadow"], f"focus is not visible on {element}"
            assert element["onScreen"], f"the focused element is off screen: {element}"
            if wanted(element):
                return element
        raise AssertionError(f"Tab never reached the control on {self.page.url}")

    def choose(self, name: str, value: str) -> None:
        """Tab into a radio group, move to the answer with the arrow keys and select it with Space."""
        self.tab_to(lambda e: e["type"] == "radio" and e["name"] == name)
        for _ in range(10):
            if focused(self.page)["value"] == value:
                break
            self.page.keyboard.press("ArrowDown")
        self.page.keyboard.press("Space")
        element = focused(self.page)
        assert (element["value"], element["checked"]) == (value, True), element

    def press_button(self, primary: bool = True) -> None:
        self.tab_to(lambda e: e["tag"] == "button" and ("primary" in e["classes"]) == primary)
        submit(self.page, lambda: self.page.keyboard.press("Enter"))


def test_jana_completes_the_check_by_keyboard_alone_with_visible_focus_at_every_stop(page):
    keys = Keyboard(page)
    page.goto("/")
    skip = keys.tab_to(lambda e: True)
    assert skip["href"] == "#main"  # the first stop skips the header

    keys.tab_to(lambda e: e["href"] == f"/check/{WHATSAPP}/")
    submit(page, lambda: page.keyboard.press("Enter"))
    keys.tab_to(lambda e: e["name"] == "business_name")
    page.keyboard.type("Malerbetrieb Berger")
    keys.press_button()

    # The help text opens with Enter on its summary.
    keys.tab_to(lambda e: e["tag"] == "summary")
    page.keyboard.press("Enter")
    assert page.locator("details.help[open] p").first.is_visible()

    steps = []
    while not RESULT_URL.search(page.url):
        steps.append(step_of(page))
        assert len(steps) < 15, steps
        # Follow-ups appear as soon as their answer is chosen, so ask again after every answer.
        while names := open_questions(page):
            keys.choose(names[0], wanted(names[0], PAINTER))
        keys.press_button()
    assert steps == ["usage", "contracts", "devices", "information", "contact", "content"]
    assert page.locator(".score-number").inner_text() == "25"

    keys.tab_to(lambda e: e["href"].endswith(".pdf?lang=de"))
    assert download_report(page, lambda: page.keyboard.press("Enter")).startswith(b"%PDF-")
    kinds = {(stop["tag"], stop["type"]) for stop in keys.stops}
    assert {("a", ""), ("input", "text"), ("input", "radio"), ("summary", ""), ("button", "submit")} <= kinds
