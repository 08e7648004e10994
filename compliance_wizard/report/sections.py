"""How a result is divided for reading: the same sections on the result page and in the PDF."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance_wizard.engine.progress import finding_kind
from compliance_wizard.engine.texts import SEVERITY_LABELS

OPEN = ("gap", "to_clarify")

# A shape for every kind, so a summary reads the same in black and white.
SYMBOLS = {"gap": "✗", "to_clarify": "?", "met": "✓", "not_applicable": "–", "note": "ℹ"}


def cap_rows(data: Mapping[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Why the score is no higher: the ceiling and the findings that hold it there (None if no cap applied)."""
    # Results stored before the caps existed (checklist 1.0.0) have no "cap": their score was not capped.
    cap = data.get("cap")
    if not cap:
        return None
    return {**cap, "rows": [r for r in rows if r["id"] in data["capped_by"]]}


def finding_rows(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every finding with its kind, symbol, numbered sources and the filled templates it offers."""
    source_numbers = {s["id"]: n for n, s in enumerate(data["sources"], 1)}
    templates = {t["id"]: t for t in data["templates"]}
    rows = []
    for finding in data["findings"]:
        kind = finding_kind(finding)
        rows.append(
            {
                **finding,
                "kind": kind,
                "symbol": SYMBOLS[kind],
                "source_numbers": [source_numbers[s["id"]] for s in finding["sources"] if s["id"] in source_numbers],
                "template_items": [templates[t] for t in finding["templates"] if t in templates],
            }
        )
    return rows


SEVERITY_ORDER = tuple(SEVERITY_LABELS)
KIND_ORDER = ("gap", "to_clarify")


def next_steps(rows: list[dict[str, Any]], count: int = 3) -> list[dict[str, Any]]:
    """The most urgent open points: critical before high and so on, gaps before points to clarify, then the
    least effort, counted in steps (a short fix first, so that the first step is one the owner can take today)."""
    open_rows = [r for r in rows if r["kind"] in OPEN]
    ranked = sorted(
        open_rows,
        key=lambda r: (SEVERITY_ORDER.index(r["severity"]), KIND_ORDER.index(r["kind"]), len(r["remediation"])),
    )
    return [{**r, "first_step": _first_step(r)} for r in ranked[:count]]


def _first_step(row: Mapping[str, Any]) -> str:
    # Results stored before checklist 1.2.0 have no "next_step": their first remediation step (or what to check)
    # is the nearest thing to it, only longer.
    if row.get("next_step"):
        return str(row["next_step"])
    if row["kind"] == "gap" and row["remediation"]:
        return str(row["remediation"][0])
    return str(row["clarify"])


def by_risk(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows most severe first; within a risk level they keep the rule file's order."""
    return sorted(rows, key=lambda r: SEVERITY_ORDER.index(r["severity"]))


def page_sections(data: Mapping[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The rows (of finding_rows(data)) sorted into what a result page shows: why the score is capped, the next
    steps, then every finding by group (gaps, to clarify, notes, met, not applicable)."""
    return {
        "cap": cap_rows(data, rows),
        "next_steps": next_steps(rows),
        "gap_rows": by_risk([r for r in rows if r["kind"] == "gap"]),
        "clarify_rows": by_risk([r for r in rows if r["kind"] == "to_clarify"]),
        "notes": [r for r in rows if r["kind"] == "note"],
        "met": [r for r in rows if r["kind"] == "met"],
        "not_applicable": [r for r in rows if r["kind"] == "not_applicable"],
        "open_count": sum(r["kind"] in OPEN for r in rows),
    }
