"""A plain-text summary of a result, for the terminal."""

from __future__ import annotations

import textwrap

HEADINGS = {
    "gap": {"de": "Lücken (nach Risiko)", "en": "Gaps (by risk)"},
    "note": {"de": "Hinweise", "en": "For your information"},
    "to_clarify": {"de": "Zu klären", "en": "To clarify"},
    "met": {"de": "Erfüllt", "en": "Met"},
    "not_applicable": {"de": "Nicht relevant", "en": "Not applicable"},
    "score": {"de": "Ergebnis", "en": "Result"},
    "check": {"de": "Prüfen", "en": "Check"},
    "norms": {"de": "Rechtsgrundlage", "en": "Legal basis"},
    "steps": {"de": "So schließen Sie die Lücke", "en": "How to close the gap"},
}


def format_summary(data: dict, lang: str, width: int = 88) -> str:
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
    # Info-level findings are residual risks to know about, not gaps: they get their own section.
    sections = {
        "gap": [f for f in findings if f["status"] == "gap" and f["severity"] != "info"],
        "to_clarify": [f for f in findings if f["status"] == "to_clarify" and f["severity"] != "info"],
        "note": [f for f in findings if f["status"] in ("gap", "to_clarify") and f["severity"] == "info"],
    }
    for key, chosen in sections.items():
        if not chosen:
            continue
        heading = f"{h(key)} ({len(chosen)})"
        lines += ["", heading, "-" * len(heading)]
        for f in chosen:
            lines.append(f"[{f['severity_label']}] {f['title']}")
            lines += wrap(f["why"], "    ")
            lines += wrap(f"{h('norms')}: {', '.join(f['norms'])}", "    ")
            if f["status"] == "to_clarify":
                lines += wrap(f"{h('check')}: {f['clarify']}", "    ")
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
