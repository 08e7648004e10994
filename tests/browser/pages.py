"""What a person does in the browser (answer, go on, go back) and what the tests read off a page."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from compliance_wizard.engine.conditions import as_option_id

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = yaml.safe_load((ROOT / "examples" / "malerbetrieb-muster.yaml").read_text(encoding="utf-8"))
PAINTER: dict[str, str] = {key: str(as_option_id(value)) for key, value in EXAMPLE["answers"].items()}
# An electrician on the Business Platform: the wizard takes another path (no device step).
ELECTRICIAN = {**PAINTER, "app_variant": "platform", "uses_bsp": "yes", "avv_bsp": "yes", "bsp_checked": "yes"}
ELECTRICIAN |= {"platform_phones": "no"}
ELECTRICIAN |= {"bsp_location": "eu", "transfer_documented": "yes"}

WHATSAPP = "whatsapp-business"
STEP_URL = re.compile(r"/draft/(?P<token>[^/]+)/(?P<step>[^/]+)/$")
RESULT_URL = re.compile(r"/result/[^/]+/$")


def step_of(page) -> str:
    match = STEP_URL.search(urlsplit(page.url).path)
    assert match, f"not on a wizard step: {page.url}"
    return match["step"]


def open_questions(page) -> list[str]:
    """Radio groups on screen (follow-ups the script revealed included) that have no answer yet."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("fieldset.question"))
            .filter(box => !box.hidden && !box.querySelector("input:checked"))
            .map(box => box.querySelector("input[type=radio]").name)"""
    )


def wanted(name: str, answers: Mapping[str, str]) -> str:
    """The answer for the radio group "<step>-<question>"; "don't know" where the persona has none."""
    return answers.get(name.split("-", 1)[1], "unknown")


def radio(page, name: str, value: str):
    return page.locator(f'input[type=radio][name="{name}"][value="{value}"]')


def label_of(page, name: str, value: str):
    return page.locator(f'label[for="{radio(page, name, value).get_attribute("id")}"]')


def submit(page, button) -> None:
    """Press a button or link that loads a new page (or the same URL again) and wait for it."""
    with page.expect_navigation():
        button()


class Mouse:
    """A person with a mouse, or with a finger on a phone (tap=True)."""

    def __init__(self, page, tap: bool = False) -> None:
        self.page = page
        self.tap = tap

    def press(self, locator) -> None:
        self.page.bring_to_front()  # a person looks at the tab they use (background tabs are throttled)
        locator.tap() if self.tap else locator.click()

    def start(self, business_name: str = "", website: str = "") -> None:
        page = self.page
        page.goto("/")
        submit(page, lambda: self.press(page.locator(f'a[href="/check/{WHATSAPP}/"]')))
        page.locator("input[name=business_name]").fill(business_name)
        page.locator("input[name=website]").fill(website)
        submit(page, lambda: self.press(page.locator("form button.primary")))
        step_of(page)

    def answer(self, answers: Mapping[str, str]) -> None:
        """Choose an answer in every group on screen, including follow-ups that appear on the way."""
        for _ in range(30):
            names = open_questions(self.page)
            if not names:
                return
            self.press(label_of(self.page, names[0], wanted(names[0], answers)))
        raise AssertionError(f"questions keep appearing on {self.page.url}")

    def next(self) -> None:
        submit(self.page, lambda: self.press(self.page.locator("form .actions button.primary")))

    def back(self) -> None:
        submit(self.page, lambda: self.press(self.page.locator("form .actions button[name=wizard_goto_step]")))

    def finish(self, answers: Mapping[str, str], on_step=None) -> list[str]:
        """Answer every step until the result page; on_step(page) runs on each step as it opens."""
        seen = []
        for _ in range(20):
            if RESULT_URL.search(self.page.url):
                return seen
            seen.append(step_of(self.page))
            if on_step:
                on_step(self.page)
            self.answer(answers)
            self.next()
        raise AssertionError("the wizard did not finish")


# -- what the tests read off a page -------------------------------------------------------------------

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), type: el.type || "", name: el.name || "", value: el.value || "",
    href: el.getAttribute("href") || "", classes: el.className || "", checked: !!el.checked,
    text: (el.innerText || el.value || "").trim().slice(0, 80),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
    onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
      && box.left < innerWidth && box.top < innerHeight,
  };
}"""


def focused(page) -> dict | None:
    """The element that has keyboard focus, and whether its focus is visible on screen."""
    return page.evaluate(FOCUSED)


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 when nothing overflows)."""
    return page.evaluate("() => Math.max(0, document.scrollingElement.scrollWidth - window.innerWidth)")


def heading_levels(page) -> list[int]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6"))
            .filter(h => h.getClientRects().length || h.closest(".visually-hidden"))
            .map(h => Number(h.tagName[1]))"""
    )


def heading_problems(page) -> list[str]:
    levels = heading_levels(page)
    problems = [] if levels[:1] == [1] else [f"the first heading is h{levels[0] if levels else '-'}, not h1"]
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            problems.append(f"h{before} is followed by h{after}")
    return problems


UNREACHABLE = """() => {
  const controls = document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary");
  const problems = [];
  // Inside a closed <details> only its summary is shown; what it holds is reached by opening it first.
  const folded = (el) => {
    const closed = "details:not([open])";
    for (let d = el.closest(closed); d; d = d.parentElement && d.parentElement.closest(closed)) {
      const summary = d.querySelector(":scope > summary");
      if (!summary || !summary.contains(el)) return true;
    }
    return false;
  };
  for (const el of controls) {
    if (!el.getClientRects().length || el.closest("[hidden], .visually-hidden") || folded(el)) continue;
    if (el.matches(".skip-link")) continue;  // on screen only while focused
    el.scrollIntoView({block: "center", inline: "nearest"});
    const box = el.getBoundingClientRect();
    const name = el.outerHTML.slice(0, 100);
    if (box.left < 0 || box.right > innerWidth + 0.5) { problems.push("cut off at the side: " + name); continue; }
    const first = el.getClientRects()[0];  // a link that wraps has several boxes
    const hit = document.elementFromPoint(first.left + first.width / 2, first.top + first.height / 2);
    const label = el.id && document.querySelector(`label[for="${el.id}"]`);
    if (!hit || !(el.contains(hit) || (label && label.contains(hit))))
      problems.push("covered by " + (hit ? hit.outerHTML.slice(0, 60) : "nothing") + ": " + name);
  }
  window.scrollTo(0, 0);
  return problems;
}"""


def unreachable_controls(page) -> list[str]:
    """Links, buttons and fields that are cut off at the side or covered by something else."""
    return page.evaluate(UNREACHABLE)
