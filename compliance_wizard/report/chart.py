"""The small chart on the report's first page: open findings per risk level, drawn as SVG on the server.

The template draws the bars from the geometry computed here; the same figures are printed as a table beside
them and spoken as the chart's label, so the chart adds a picture and hides nothing.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, ngettext

from compliance_wizard.engine.texts import SEVERITY_LABELS

LEVELS = ("critical", "high", "medium", "low")
# In SVG user units; the template scales the drawing to its printed size.
WIDTH = 100
BAR_HEIGHT = 6
PITCH = 10
GAP = 0.8


def risk_chart(rows: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """Per risk level the open gaps and points to clarify, with the bars' positions and the spoken label."""
    levels: list[dict[str, Any]] = []
    for level in LEVELS:
        gaps = sum(1 for r in rows if r["kind"] == "gap" and r["severity"] == level)
        unclear = sum(1 for r in rows if r["kind"] == "to_clarify" and r["severity"] == level)
        levels.append({"id": level, "label": SEVERITY_LABELS[level][lang], "gaps": gaps, "to_clarify": unclear})
    longest = max(lv["gaps"] + lv["to_clarify"] for lv in levels) or 1
    for index, lv in enumerate(levels):
        lv["y"] = index * PITCH + (PITCH - BAR_HEIGHT) / 2
        lv["gap_width"] = round((WIDTH - GAP) * lv["gaps"] / longest, 2)
        # A hair of white between the two parts, so they stay apart in black and white.
        lv["clarify_x"] = lv["gap_width"] + (GAP if lv["gaps"] else 0)
        lv["clarify_width"] = round((WIDTH - GAP) * lv["to_clarify"] / longest, 2)
    return {
        "levels": levels,
        "width": WIDTH,
        "height": PITCH * len(levels),
        "bar_height": BAR_HEIGHT,
        "label": _label(levels),
    }


def _label(levels: list[dict[str, Any]]) -> str:
    parts = [
        gettext("%(level)s: %(gaps)s, %(unclear)s")
        % {
            "level": lv["label"],
            "gaps": ngettext("%(count)s gap", "%(count)s gaps", lv["gaps"]) % {"count": lv["gaps"]},
            "unclear": gettext("%(count)s to clarify") % {"count": lv["to_clarify"]},
        }
        for lv in levels
    ]
    return gettext("Bar chart of the open points by risk.") + " " + "; ".join(parts) + "."
