"""Jana fills in the check on her phone between two jobs: nothing is wider than the screen, and every
link, button and answer can be reached and tapped."""

from __future__ import annotations

from pathlib import Path

from .pages import PAINTER, WHATSAPP, Mouse, horizontal_overflow, step_of, submit, unreachable_controls

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


class Layout:
    def __init__(self, page) -> None:
        self.page = page
        self.problems: dict[str, list[str]] = {}
        self.pages: list[str] = []

    def check(self, name: str) -> None:
        self.pages.append(name)
        found = unreachable_controls(self.page)
        overflow = horizontal_overflow(self.page)
        if overflow:
            found.insert(0, f"the page is {overflow}px wider than the screen")
        if found:
            self.problems[name] = found

    def report(self) -> str:
        return "\n".join(f"{name}:\n  " + "\n  ".join(found) for name, found in self.problems.items())


def test_on_a_phone_nothing_overflows_and_every_control_can_be_tapped(visits):
    page = visits.page(**PHONE)
    layout = Layout(page)
    for name, path in [("home page", "/"), ("accessibility statement", "/barrierefreiheit/")]:
        page.goto(path)
        layout.check(name)
    page.goto("/gibt-es-nicht/")
    layout.check("404 page")

    jana = Mouse(page, tap=True)
    page.goto(f"/check/{WHATSAPP}/")
    page.locator("input[name=website]").fill("keine Adresse")
    submit(page, lambda: jana.press(page.locator("form button.primary")))
    layout.check("start page of the check with an error")

    jana.start("Malerbetrieb Berger mit einem ziemlich langen Namen GmbH & Co. KG", "www.maler-berger.de")
    jana.next()
    layout.check("first step with errors")

    def each_step(page):
        for summary in page.locator("fieldset:not([hidden]) details.help summary").all():
            jana.press(summary)  # the help texts open in place
        jana.answer(PAINTER)
        layout.check(f"step {step_of(page)}, answered, help open")

    jana.finish(PAINTER, on_step=each_step)
    for summary in page.locator("details summary").all():
        jana.press(summary)
    layout.check("result page, everything opened")

    with page.expect_download() as download:
        jana.press(page.get_by_role("link", name="Bericht herunterladen (PDF)").first)
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    # The page saying the report is being made stays on screen when the download has begun.
    layout.check("page saying the report is being made")
    submit(page, lambda: jana.press(page.get_by_role("link", name="Zurück zum Ergebnis")))

    submit(page, lambda: jana.press(page.get_by_role("link", name="Diesen Check jetzt löschen")))
    layout.check("delete page")
    submit(page, lambda: jana.press(page.get_by_role("button", name="Jetzt löschen")))
    layout.check("home page after deleting")

    assert len(layout.pages) == 15
    assert not layout.problems, layout.report()


def test_the_layout_check_does_notice_a_page_too_wide_and_a_covered_button(visits):
    page = visits.page(**PHONE)
    page.goto("/barrierefreiheit/")
    page.evaluate(
        """() => {
          document.querySelector("main").insertAdjacentHTML("beforeend",
            '<pre>' + 'x'.repeat(200) + '</pre><button id="under">Covered</button>'
            );
          // Through the CSSOM: the Content Security Policy refuses style attributes in markup.
          const cover = document.createElement("div");
          cover.style.cssText = "position: fixed; inset: 0; background: white";
          document.querySelector("main").append(cover);
        }"""
    )
    layout = Layout(page)
    layout.check("a broken page")
    found = layout.report()
    assert "px wider than the screen" in found
    assert 'covered by <div style="position: fixed' in found and 'id="under"' in found
