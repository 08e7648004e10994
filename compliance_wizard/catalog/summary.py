"""A plain-text summary of a result, for the terminal."""

from __future__ import annotations

import textwrap
from typing import Any

from compliance_wizard.engine.progress import finding_kind
from compliance_wizard.engine.texts import STATUS_LABELS

HEADINGS = {
    **{status: STATUS_LABELS[status] for status in ("to_clarify", "met", "not_applicable")},
    "gap": {"de": "Lücken (nach Risiko)", "en": "Gaps (by risk)"},
    "note": {"de": "Hinweise: Risiken, die bleiben (nicht gezählt)", "en": "Notes: risks that remain (not counted)"},
    "score": {"de": "Ergebnis", "en": "Result"},
    "check": {"de": "Prüfen", "en": "Check"},
    "norms": {"de": "Vorschriften", "en": "Relevant provisions"},
    "steps": {"de": "So schließen Sie die Lücke", "en": "How to close the gap"},
    "open_because": {"de": "Warum noch offen", "en": "Why this is still open"},
    "lowers_risk": {"de": "Was das Risiko senkt", "en": "What lowers it"},
    "cap_critical_gap": {
        "de": "Die Punktzahl bleibt unter 60, weil ein kritischer Punkt offen ist",
        "en": "The score is held below 60 because a critical point is open",
    },
    "cap_serious_open": {
        "de": "Die Punktzahl bleibt unter 85, weil ein Punkt mit hohem oder kritischem Risiko offen ist",
        "en": "The score is held below 85 because a point of high or critical risk is still open",
    },
}


def format_summary(data: dict[str, Any], lang: str, width: int = 88) -> str:
    """Render Result.to_dict() output as readable text."""

    def h(key: str) -> str:
        return HEADINGS[key][lang]

    def wrap(text: str, indent: str) -> list[str]:
        return textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent) or [indent]

    checklist = data["checklist"]
    lines = [
        f"{checklist['title']}  (v{checklist['version']}, {checklist['hash'][:12]})",
        f"{h('score')}: {data['score']}/100 · {data['band']['label']}",
    ]
    if data["business"]["name"]:
        lines.insert(0, data["business"]["name"])
    findings = data["findings"]
    capped = [f["title"] for f in findings if f["id"] in data.get("capped_by", ())]
    if data.get("cap") and capped:
        lines += wrap(f"{h('cap_' + data['cap']['kind'])}: {'; '.join(capped)}", "")
    kinds = {f["id"]: finding_kind(f) for f in findings}
    sections = {key: [f for f in findings if kinds[f["id"]] == key] for key in ("gap", "to_clarify", "note")}
    for key, chosen in sections.items():
        if not chosen:
            continue
        heading = f"{h(key)} ({len(chosen)})"
        lines += ["", heading, "-" * len(heading)]
        for f in chosen:
            lines.append(f"[{f['severity_label']}] {f['title']}" if key != "note" else f"ℹ {f['title']}")
            lines += wrap(f["why"], "    ")
            lines += wrap(f"{h('norms')}: {', '.join(f['norms'])}", "    ")
            if f["status"] == "to_clarify":
                if f.get("clarify_reason"):
                    lines += wrap(f"{h('open_because')}: {f['clarify_reason']}", "    ")
                lines += wrap(f"{h('check')}: {f['clarify']}", "    ")
            if key == "note":
                if f.get("lowers_risk"):
                    lines.append(f"    {h('lowers_risk')}:")
                    lines += [line for step in f["lowers_risk"] for line in wrap(f"- {step}", "      ")]
            else:
                lines.append(f"    {h('steps')}:")
                for number, step in enumerate(f["remediation"], 1):
                    lines += _numbered(step, number, width)
            lines.append("")
    met = [f for f in findings if f["status"] == "met"]
    if met:
        lines += ["", f"{h('met')} ({len(met)})"]
        lines += [f"  ✓ {f['title']}" for f in met]
    not_applicable = [f for f in findings if f["status"] == "not_applicable"]
    if not_applicable:
        lines += ["", f"{h('not_applicable')} ({len(not_applicable)})"]
        lines += [f"  – {f['title']}" for f in not_applicable]
    return "\n".join(lines).rstrip() + "\n"


def _numbered(text: str, number: int, width: int) -> list[str]:
    first = f"      {number}. "
    return textwrap.wrap(text, width=width, initial_indent=first, subsequent_indent=" " * len(first)) or [first]
