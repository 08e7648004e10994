"""Reading `requirements:` and `notes:` from rule files: the findings of a check, scored or only shown.

The builder passes its checker and its condition parser, so that these report errors like the rest of the rule
files and their conditions may name only the questions of the questionnaire.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from . import conditions
from .document_rules import ParseCondition
from .model import ClarifyRule, NextStep, Note, Requirement, Severity, Source, Template
from .schema import Checker, Item

REQUIREMENT_KEYS = (
    "id",
    "severity",
    "severity_reason",
    "reviewed",
    "norms",
    "sources",
    "met_if",
    "title",
    "why",
    "clarify",
    "remediation",
    "next_step",
)
NEXT_STEP_KEYS = ("gap", "to_clarify")
# Long enough for one concrete sentence, short enough for three of them under the score on a phone screen.
NEXT_STEP_LIMIT = 160
REQUIREMENT_OPTIONAL = ("applies_if", "clarify_if", "templates")
NOTE_KEYS = ("id", "note_reason", "reviewed", "norms", "sources", "title", "risk", "lowers_risk")


class FindingReader:
    def __init__(self, check: Checker, parse_condition: ParseCondition, today: datetime.date):
        self.check = check
        self.parse_condition = parse_condition
        self.today = today

    def requirements(
        self,
        items: list[Item],
        sources: Mapping[str, Source],
        templates: Mapping[str, Template],
        seen: set[str],
    ) -> list[Requirement]:
        check = self.check
        requirements: list[Requirement] = []
        for order, item in enumerate(items):
            raw = check.fields(item.file, item.path, item.value, REQUIREMENT_KEYS, REQUIREMENT_OPTIONAL)
            if raw is None:
                continue
            requirement_id = check.new_id(item.file, f"{item.path}.id", raw.get("id"), seen, "requirement")
            title = check.text(item.file, f"{item.path}.title", raw.get("title"))
            why = check.text(item.file, f"{item.path}.why", raw.get("why"))
            clarify = check.text(item.file, f"{item.path}.clarify", raw.get("clarify"))
            severity = self._severity(item, raw.get("severity"))
            severity_reason = check.text(item.file, f"{item.path}.severity_reason", raw.get("severity_reason"))
            reviewed = check.date(item.file, f"{item.path}.reviewed", raw.get("reviewed"), self.today)
            norms = check.text_list(item.file, f"{item.path}.norms", raw.get("norms"))
            source_ids = check.references(item.file, f"{item.path}.sources", raw.get("sources"), sources, "source")
            template_ids = (
                check.references(item.file, f"{item.path}.templates", raw["templates"], templates, "template")
                if "templates" in raw
                else ()
            )
            remediation = check.text_list(item.file, f"{item.path}.remediation", raw.get("remediation"))
            # A missing key is already reported by fields() above.
            next_step = self._next_step(item, raw["next_step"]) if "next_step" in raw else None
            applies_if = self._condition(item, raw, "applies_if")
            met_if = self._condition(item, raw, "met_if")
            clarify_if = self._clarify_rules(item, raw)
            if (
                requirement_id is None
                or title is None
                or why is None
                or clarify is None
                or severity is None
                or severity_reason is None
                or reviewed is None
                or norms is None
                or source_ids is None
                or template_ids is None
                or remediation is None
                or next_step is None
                or met_if is None
                or clarify_if is None
                or ("applies_if" in raw and applies_if is None)
            ):
                continue
            requirements.append(
                Requirement(
                    id=requirement_id,
                    title=title,
                    why=why,
                    clarify=clarify,
                    severity=severity,
                    severity_reason=severity_reason,
                    reviewed=reviewed,
                    norms=norms,
                    sources=source_ids,
                    applies_if=applies_if,
                    met_if=met_if,
                    clarify_if=clarify_if,
                    remediation=remediation,
                    next_step=next_step,
                    templates=template_ids,
                    order=order,
                )
            )
        return requirements

    def _next_step(self, item: Item, raw: object) -> NextStep | None:
        check = self.check
        path = f"{item.path}.next_step"
        fields = check.fields(item.file, path, raw, NEXT_STEP_KEYS, ())
        if fields is None:
            return None
        gap, to_clarify = (
            check.short_text(item.file, f"{path}.{key}", fields[key], NEXT_STEP_LIMIT) if key in fields else None
            for key in NEXT_STEP_KEYS
        )
        return NextStep(gap, to_clarify) if gap and to_clarify else None

    def _severity(self, item: Item, raw: object) -> Severity | None:
        if raw == "info":
            self.check.error(
                item.file,
                f"{item.path}.severity",
                "'info' is not a severity: a risk that remains when everything is done is a note (list it under "
                "'notes'), which is shown but never scored",
            )
            return None
        value = self.check.choice(item.file, f"{item.path}.severity", raw, [s.value for s in Severity])
        return Severity(value) if value else None

    def _clarify_rules(self, item: Item, raw: dict[str, object]) -> tuple[ClarifyRule, ...] | None:
        """`clarify_if`: answers that leave the requirement to clarify, each with the reason shown for it."""
        if "clarify_if" not in raw:
            return ()
        check = self.check
        path = f"{item.path}.clarify_if"
        raw_rules = raw["clarify_if"]
        if not isinstance(raw_rules, list) or not raw_rules:
            check.error(item.file, path, "must be a non-empty list of {if: CONDITION, reason: TEXT}")
            return None
        rules: list[ClarifyRule] = []
        ok = True
        for i, raw_rule in enumerate(raw_rules):
            rule_item = Item(item.file, f"{path}[{i}]", raw_rule)
            fields = check.fields(rule_item.file, rule_item.path, raw_rule, ("if", "reason"), ())
            if fields is None:
                ok = False
                continue
            condition = self._condition(rule_item, fields, "if")
            reason = check.text(rule_item.file, f"{rule_item.path}.reason", fields.get("reason"))
            if condition is None or reason is None:
                ok = False
                continue
            rules.append(ClarifyRule(condition, reason))
        return tuple(rules) if ok else None

    def notes(self, items: list[Item], sources: Mapping[str, Source], seen: set[str]) -> list[Note]:
        check = self.check
        notes: list[Note] = []
        for item in items:
            raw = check.fields(item.file, item.path, item.value, NOTE_KEYS, ("applies_if",))
            if raw is None:
                continue
            note_id = check.new_id(item.file, f"{item.path}.id", raw.get("id"), seen, "requirement or note")
            title = check.text(item.file, f"{item.path}.title", raw.get("title"))
            risk = check.text(item.file, f"{item.path}.risk", raw.get("risk"))
            lowers_risk = check.text_list(item.file, f"{item.path}.lowers_risk", raw.get("lowers_risk"))
            note_reason = check.text(item.file, f"{item.path}.note_reason", raw.get("note_reason"))
            reviewed = check.date(item.file, f"{item.path}.reviewed", raw.get("reviewed"), self.today)
            norms = check.text_list(item.file, f"{item.path}.norms", raw.get("norms"))
            source_ids = check.references(item.file, f"{item.path}.sources", raw.get("sources"), sources, "source")
            applies_if = self._condition(item, raw, "applies_if")
            if (
                note_id is None
                or title is None
                or risk is None
                or lowers_risk is None
                or note_reason is None
                or reviewed is None
                or norms is None
                or source_ids is None
                or ("applies_if" in raw and applies_if is None)
            ):
                continue
            notes.append(Note(note_id, title, risk, lowers_risk, note_reason, reviewed, norms, source_ids, applies_if))
        return notes

    def _condition(self, item: Item, raw: Mapping[str, object], key: str) -> conditions.Condition | None:
        if key not in raw:
            return None
        return self.parse_condition(item.file, f"{item.path}.{key}", raw[key])
