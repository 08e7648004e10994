"""The checks run on every page: axe-core's WCAG 2.0/2.1 A and AA rules, the page language, heading order."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

from .pages import heading_problems

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()


def axe_violations(page) -> list[str]:
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at " + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in results.response["violations"]
    ]


def page_problems(page, lang: str = "de") -> list[str]:
    problems = axe_violations(page) + heading_problems(page)
    page_lang = page.evaluate("() => document.documentElement.lang")
    if page_lang != lang:
        problems.append(f'<html lang="{page_lang}">, expected "{lang}"')
    return problems


class Audit:
    """Collects the problems of many pages, so that one failure lists every page that has any."""

    def __init__(self) -> None:
        self.problems: dict[str, list[str]] = {}
        self.pages: list[str] = []

    def check(self, name: str, page, lang: str = "de") -> None:
        self.pages.append(name)
        found = page_problems(page, lang)
        if found:
            self.problems[f"{name} ({page.url})"] = found

    def report(self) -> str:
        return "\n".join(f"{name}:\n  " + "\n  ".join(found) for name, found in self.problems.items())
