"""The legal reference of a checklist as Markdown: every requirement and note with its severity, the reason
for it, the provisions, the sources and the date of the last legal review.

Written to docs/checklists/ by `manage.py document_checklists`; a test keeps the files in step with the rules.
"""

from __future__ import annotations

from compliance_wizard.engine import Checklist
from compliance_wizard.engine.conditions import All, Answered, Any, Compare, Condition, Not
from compliance_wizard.engine.scoring import AMBER_CEILING, RED_CEILING, WEIGHTS
from compliance_wizard.engine.texts import CHANGE_KIND_LABELS, SEVERITY_LABELS

WORDS = {
    "de": {
        "title": "Rechtliche Referenz",
        "generated": "Erzeugt aus den Regeldateien mit `python manage.py document_checklists`; nicht von Hand ändern.",
        "version": "Version",
        "hash": "Inhalts-Hash",
        "overview": "Übersicht",
        "requirement": "Anforderung",
        "severity": "Risiko",
        "weight": "Gewicht",
        "reviewed": "Rechtlich geprüft",
        "requirements": "Anforderungen",
        "notes": "Hinweise (Restrisiken, nie gezählt)",
        "reason": "Begründung der Einstufung",
        "note_reason": "Warum ein Hinweis und keine Lücke",
        "norms": "Vorschriften",
        "sources": "Quellen",
        "applies": "Gilt, wenn",
        "always": "immer",
        "met": "Erfüllt, wenn",
        "clarify_if": "Zu klären (statt Lücke), wenn",
        "scoring": "Bewertung",
        "changelog": "Änderungen",
        "effective": "wirksam ab",
        "scoring_text": (
            "Gewichte nach Risiko: {weights}. Punktzahl = 100 × erfüllte Gewichte ÷ Gewichte aller geltenden "
            "Anforderungen. Eine offene kritische Lücke begrenzt die Punktzahl auf {red} (rot); jede andere offene "
            "Anforderung mit hohem oder kritischem Risiko auf {amber} (höchstens gelb). Die Ampel folgt allein aus "
            "der Punktzahl: grün ab 85, gelb ab 60. Hinweise zählen nie."
        ),
    },
    "en": {
        "title": "Legal reference",
        "generated": "Generated from the rule files by `python manage.py document_checklists`; do not edit by hand.",
        "version": "Version",
        "hash": "Content hash",
        "overview": "Overview",
        "requirement": "Requirement",
        "severity": "Risk",
        "weight": "Weight",
        "reviewed": "Legal review",
        "requirements": "Requirements",
        "notes": "Notes (residual risks, never counted)",
        "reason": "Why this risk level",
        "note_reason": "Why a note and not a gap",
        "norms": "Relevant provisions",
        "sources": "Sources",
        "applies": "Applies when",
        "always": "always",
        "met": "Met when",
        "clarify_if": "To clarify (instead of a gap) when",
        "scoring": "Scoring",
        "changelog": "Changes",
        "effective": "effective",
        "scoring_text": (
            "Weights by risk: {weights}. Score = 100 × met weight ÷ weight of all requirements that apply. An open "
            "critical gap caps the score at {red} (red); any other open requirement of high or critical risk caps "
            "it at {amber} (amber at best). The band follows from the score alone: green from 85, amber from 60. "
            "Notes never count."
        ),
    },
}


def checklist_reference(checklist: Checklist, lang: str) -> str:
    w = WORDS[lang]
    weights = ", ".join(f"{SEVERITY_LABELS[s.value][lang]} {weight}" for s, weight in WEIGHTS.items())
    lines = [
        f"# {checklist.title.get(lang)}: {w['title']}",
        "",
        f"_{w['generated']}_",
        "",
        f"{w['version']} {checklist.version} · {w['hash']} `{checklist.short_hash}`",
        "",
        f"## {w['scoring']}",
        "",
        w["scoring_text"].format(weights=weights, red=RED_CEILING, amber=AMBER_CEILING),
        "",
        f"## {w['overview']}",
        "",
        f"| {w['requirement']} | {w['severity']} | {w['weight']} | {w['reviewed']} |",
        "| --- | --- | --- | --- |",
    ]
    ordered = sorted(checklist.requirements, key=lambda r: (r.severity.rank, r.order))
    for r in ordered:
        label = SEVERITY_LABELS[r.severity.value][lang]
        lines.append(f"| [{r.title.get(lang)}](#{r.id}) | {label} | {WEIGHTS[r.severity]} | {r.reviewed} |")
    for note in checklist.notes:
        lines.append(
            f"| [{note.title.get(lang)}](#{note.id}) | {SEVERITY_LABELS['info'][lang]} | 0 | {note.reviewed} |"
        )
    lines += ["", f"## {w['requirements']}", ""]
    for r in ordered:
        severity = SEVERITY_LABELS[r.severity.value][lang]
        lines += [
            f'### <a id="{r.id}"></a>{r.title.get(lang)}',
            "",
            f"`{r.id}` · {w['severity']}: **{severity}** · {w['reviewed']}: {r.reviewed}",
            "",
            f"- **{w['reason']}:** {r.severity_reason.get(lang)}",
            f"- **{w['norms']}:** {'; '.join(n.get(lang) for n in r.norms)}",
            f"- **{w['sources']}:** {_sources(checklist, r.sources, lang)}",
            f"- **{w['applies']}:** {describe(r.applies_if) if r.applies_if else w['always']}",
            f"- **{w['met']}:** {describe(r.met_if)}",
        ]
        lines += [f"- **{w['clarify_if']}:** {describe(rule.condition)}" for rule in r.clarify_if]
        lines.append("")
    if checklist.notes:
        lines += [f"## {w['notes']}", ""]
        for note in checklist.notes:
            lines += [
                f'### <a id="{note.id}"></a>{note.title.get(lang)}',
                "",
                f"`{note.id}` · {w['reviewed']}: {note.reviewed}",
                "",
                f"- **{w['note_reason']}:** {note.note_reason.get(lang)}",
                f"- **{w['norms']}:** {'; '.join(n.get(lang) for n in note.norms)}",
                f"- **{w['sources']}:** {_sources(checklist, note.sources, lang)}",
                f"- **{w['applies']}:** {describe(note.applies_if) if note.applies_if else w['always']}",
                "",
            ]
    if checklist.changelog:
        lines += [f"## {w['changelog']}", ""]
        for version in dict.fromkeys(c.version for c in reversed(checklist.changelog)):
            lines += [f"### {version}", ""]
            for c in (c for c in checklist.changelog if c.version == version):
                ids = ", ".join(f"`{i}`" for i in c.touches)
                kind = CHANGE_KIND_LABELS[c.kind][lang]
                lines.append(f"- {kind}, {w['effective']} {c.effective} ({ids}): {c.summary.get(lang)}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _sources(checklist: Checklist, ids: tuple[str, ...], lang: str) -> str:
    return "; ".join(checklist.sources[s].title.get(lang) for s in ids)


def describe(condition: Condition) -> str:
    """A condition in the notation of the rule files' ids, e.g. `app_variant` ∈ {business_app, platform}."""
    if isinstance(condition, Compare):
        values = sorted(condition.values)
        if len(values) == 1:
            return f"`{condition.question}` = {values[0]}"
        return f"`{condition.question}` ∈ {{{', '.join(values)}}}"
    if isinstance(condition, Answered):
        return f"`{condition.question}` {'answered' if condition.expected else 'not asked'}"
    if isinstance(condition, Not):
        return f"not ({describe(condition.part)})"
    joiner = " and " if isinstance(condition, All) else " or "
    assert isinstance(condition, (All, Any))
    return "(" + joiner.join(describe(p) for p in condition.parts) + ")"
