"""Reading `documents:`, `details:` and `authorities:` from rule files, with the loader's checker and error style."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from . import conditions
from .details import DERIVED, DETAIL_LABELS, DETAIL_LIMITS, STATES
from .documents import PLACEHOLDER_RE, Authority, Document, Row, Section
from .errors import shown
from .model import Text
from .schema import Checker

DOCUMENT_KEYS = ("id", "title", "usage", "reason", "sections")
SECTION_KEYS = ("heading", "text", "rows", "if", "reason")
AUTHORITY_KEYS = ("state", "state_name", "name", "address", "url")
DETAIL_RULE_KEYS = ("detail", "asked_if")
_URL_RE = re.compile(r"^https://[^\s/]+\.[^\s]+$")

# (file, path, raw condition) -> the parsed condition, or None after reporting why.
ParseCondition = Callable[[str, str, object], "conditions.Condition | None"]


def parse_authorities(check: Checker, file: str, path: str, raw: object) -> dict[str, Authority]:
    if not isinstance(raw, list):
        check.error(file, path, "must be a list of the data protection authorities, one per federal state")
        return {}
    authorities: dict[str, Authority] = {}
    errors_before = len(check.errors)
    for i, item in enumerate(raw):
        where = f"{path}[{i}]"
        fields = check.fields(file, where, item, AUTHORITY_KEYS, ())
        if fields is None:
            continue
        state = check.choice(file, f"{where}.state", fields.get("state"), STATES)
        state_name = check.text(file, f"{where}.state_name", fields.get("state_name"))
        name, address, url = (check.string(file, f"{where}.{k}", fields.get(k)) for k in ("name", "address", "url"))
        if url is not None and not _URL_RE.match(url):
            check.error(file, f"{where}.url", f"'{shown(url)}' is not an https:// address")
            url = None
        if state is not None and state in authorities:
            check.error(file, f"{where}.state", f"duplicate state '{state}'")
            continue
        if state and state_name and name and address and url:
            authorities[state] = Authority(state, state_name, name, address, url)
    absent = [s for s in STATES if s not in authorities]
    if absent and len(check.errors) == errors_before:
        check.error(file, path, f"missing the authority of: {', '.join(absent)}")
    return authorities


def parse_detail_rules(
    check: Checker, file: str, path: str, raw: object, parse_condition: ParseCondition
) -> dict[str, conditions.Condition]:
    """`details:` the details asked only on some answers, each with the condition on which it is asked."""
    if not isinstance(raw, list) or not raw:
        check.error(file, path, "must be a non-empty list of {detail: NAME, asked_if: CONDITION}")
        return {}
    rules: dict[str, conditions.Condition] = {}
    seen: set[str] = set()
    for i, item in enumerate(raw):
        where = f"{path}[{i}]"
        fields = check.fields(file, where, item, DETAIL_RULE_KEYS, ())
        if fields is None:
            continue
        name = _asked_detail(check, file, f"{where}.detail", fields["detail"], seen) if "detail" in fields else None
        condition = parse_condition(file, f"{where}.asked_if", fields["asked_if"]) if "asked_if" in fields else None
        if name is not None and condition is not None:
            rules[name] = condition
    return rules


def _asked_detail(check: Checker, file: str, path: str, raw: object, seen: set[str]) -> str | None:
    if raw in DERIVED:
        check.error(file, path, f"'{raw}' is derived from the federal state and never asked")
        return None
    if not isinstance(raw, str) or raw not in DETAIL_LIMITS:
        check.error(file, path, f"unknown detail '{shown(raw)}' (known: {', '.join(DETAIL_LIMITS)})")
        return None
    if raw in seen:
        check.error(file, path, f"duplicate detail '{raw}': give it one asked_if (any/all combine conditions)")
        return None
    seen.add(raw)
    return raw


class DocumentReader:
    def __init__(self, check: Checker, parse_condition: ParseCondition):
        self.check = check
        self.parse_condition = parse_condition

    def documents(self, items: list[tuple[str, str, object]]) -> tuple[Document, ...]:
        documents: list[Document] = []
        seen: set[str] = set()
        for file, path, raw in items:
            document = self._document(file, path, raw, seen)
            if document is not None:
                documents.append(document)
        return tuple(documents)

    def _document(self, file: str, path: str, raw: object, seen: set[str]) -> Document | None:
        check = self.check
        fields = check.fields(file, path, raw, DOCUMENT_KEYS, ("applies_if",))
        if fields is None:
            return None
        document_id = check.new_id(file, f"{path}.id", fields.get("id"), seen, "document")
        title = check.text(file, f"{path}.title", fields.get("title"))
        usage = check.text(file, f"{path}.usage", fields.get("usage"))
        reason = check.text(file, f"{path}.reason", fields.get("reason"))
        applies_if = self._condition(file, path, fields, "applies_if")
        sections = self._sections(file, f"{path}.sections", fields.get("sections"))
        if (
            document_id is None
            or title is None
            or usage is None
            or reason is None
            or sections is None
            or ("applies_if" in fields and applies_if is None)
        ):
            return None
        return Document(document_id, title, usage, reason, applies_if, sections)

    def _sections(self, file: str, path: str, raw: object) -> tuple[Section, ...] | None:
        check = self.check
        if not isinstance(raw, list) or not raw:
            check.error(file, path, "must be a non-empty list of sections")
            return None
        sections: list[Section] = []
        ok = True
        for i, item in enumerate(raw):
            where = f"{path}[{i}]"
            fields = check.fields(file, where, item, (), SECTION_KEYS)
            if fields is None:
                ok = False
                continue
            if ("text" in fields) == ("rows" in fields):
                check.error(file, where, "needs either 'text' or 'rows'")
                ok = False
                continue
            heading = self._text(file, f"{where}.heading", fields["heading"]) if "heading" in fields else None
            text = self._text(file, f"{where}.text", fields["text"]) if "text" in fields else None
            rows = self._rows(file, f"{where}.rows", fields["rows"]) if "rows" in fields else ()
            condition = self._condition(file, where, fields, "if")
            # Not rendered: the legal reasoning for rule authors, checked like every other text.
            reason_ok = "reason" not in fields or check.text(file, f"{where}.reason", fields["reason"]) is not None
            if (
                ("heading" in fields and heading is None)
                or ("text" in fields and text is None)
                or rows is None
                or ("if" in fields and condition is None)
                or not reason_ok
            ):
                ok = False
                continue
            sections.append(Section(heading, text, rows, condition))
        return tuple(sections) if ok else None

    def _rows(self, file: str, path: str, raw: object) -> tuple[Row, ...] | None:
        check = self.check
        if not isinstance(raw, list) or not raw:
            check.error(file, path, "must be a non-empty list of {label: TEXT, value: TEXT}")
            return None
        rows: list[Row] = []
        ok = True
        for i, item in enumerate(raw):
            where = f"{path}[{i}]"
            fields = check.fields(file, where, item, ("label", "value"), ("if",))
            if fields is None:
                ok = False
                continue
            label = self._text(file, f"{where}.label", fields.get("label"))
            value = self._text(file, f"{where}.value", fields.get("value"))
            condition = self._condition(file, where, fields, "if")
            if label is None or value is None or ("if" in fields and condition is None):
                ok = False
                continue
            rows.append(Row(label, value, condition))
        return tuple(rows) if ok else None

    def _text(self, file: str, path: str, raw: object) -> Text | None:
        """A text whose placeholders all name details."""
        text = self.check.text(file, path, raw)
        if text is None:
            return None
        known = tuple(DETAIL_LABELS)
        for lang, value in text.values.items():
            for name in PLACEHOLDER_RE.findall(value):
                if name not in known:
                    self.check.error(
                        file,
                        f"{path}.{lang}",
                        f"unknown placeholder '{{{shown(name)}}}'; allowed: " + ", ".join(f"{{{p}}}" for p in known),
                    )
                    return None
        return text

    def _condition(self, file: str, path: str, fields: Mapping[str, object], key: str) -> conditions.Condition | None:
        if key not in fields:
            return None
        return self.parse_condition(file, f"{path}.{key}", fields[key])


# What a document condition may ask with {detail: D, given: BOOL}: what the owner types, and the derived ones.
CONDITION_DETAILS = (*DETAIL_LIMITS, *DERIVED)
