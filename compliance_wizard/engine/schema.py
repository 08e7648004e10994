"""Small typed readers for rule-file values; each records errors instead of raising.

Item keeps a value with the file and path it came from, so that its errors can say where.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .errors import RuleError, shown
from .model import Text
from .texts import SUPPORTED_LANGUAGES

ID_RE = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
# Question and option ids become form field names and values: no hyphens.
FIELD_ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
MAX_TEXT = 20_000
# Only reachable through YAML escapes such as "\0"; PostgreSQL cannot store NUL in a frozen result.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Item:
    """A value together with the file and path it came from."""

    file: str
    path: str
    value: object


class Checker:
    def __init__(self) -> None:
        self.errors: list[RuleError] = []
        self.languages: tuple[str, ...] = SUPPORTED_LANGUAGES

    def error(self, file: str, path: str, message: str) -> None:
        self.errors.append(RuleError(file, path, message))

    def unknown_key(self, file: str, path: str, key: object, allowed: Sequence[str]) -> None:
        name = shown(key)
        where = f"{path}.{name}" if path else name
        hint = difflib.get_close_matches(name, allowed, n=1)
        suffix = f" (did you mean '{hint[0]}'?)" if hint else f" (allowed: {', '.join(allowed)})"
        self.error(file, where, f"unknown key '{name}'{suffix}")

    def fields(
        self, file: str, path: str, raw: object, required: Sequence[str], optional: Sequence[str]
    ) -> dict[str, object] | None:
        """Check a mapping's keys: every required one present, nothing unknown."""
        if not isinstance(raw, dict):
            self.error(file, path, f"must be a mapping with keys {', '.join(required)}")
            return None
        allowed = tuple(required) + tuple(optional)
        for key in raw:
            if key not in allowed:
                self.unknown_key(file, path, key, allowed)
        for key in required:
            if key not in raw:
                self.error(file, path, f"missing key '{key}'")
        return raw

    def string(self, file: str, path: str, raw: object) -> str | None:
        if not isinstance(raw, str) or not raw.strip():
            hint = " (put it in quotes)" if isinstance(raw, (int, float)) and not isinstance(raw, bool) else ""
            self.error(file, path, f"must be a non-empty text{hint}")
            return None
        if len(raw) > MAX_TEXT:
            self.error(file, path, f"is longer than {MAX_TEXT} characters")
            return None
        control = CONTROL_RE.search(raw)
        if control:
            self.error(file, path, f"contains the control character #x{ord(control.group()):04x}; remove it")
            return None
        return raw.strip()

    def identifier(self, file: str, path: str, raw: object, field_name: bool = False) -> str | None:
        pattern = FIELD_ID_RE if field_name else ID_RE
        if not isinstance(raw, str) or not pattern.fullmatch(raw):
            allowed = "lower-case letters, digits and _" if field_name else "lower-case letters, digits and -"
            self.error(file, path, f"'{shown(raw)}' is not a valid id: use {allowed}, starting with a letter")
            return None
        return raw

    def new_id(
        self, file: str, path: str, raw: object, seen: set[str], kind: str, field_name: bool = False
    ) -> str | None:
        """A valid id not used before for this kind; it is remembered in seen."""
        value = self.identifier(file, path, raw, field_name)
        if value is None:
            return None
        if value in seen:
            self.error(file, path, f"duplicate {kind} id '{value}'")
            return None
        seen.add(value)
        return value

    def choice(self, file: str, path: str, raw: object, allowed: Sequence[str]) -> str | None:
        if raw not in allowed:
            self.error(file, path, f"'{shown(raw)}' is not one of: {', '.join(allowed)}")
            return None
        return str(raw)

    def date(self, file: str, path: str, raw: object, today: datetime.date) -> datetime.date | None:
        """A calendar date written as YYYY-MM-DD, not after today."""
        value = raw
        if isinstance(raw, str):
            try:
                value = datetime.date.fromisoformat(raw.strip())
            except ValueError:
                value = None
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            self.error(file, path, f"'{shown(raw)}' is not a date; write it as YYYY-MM-DD, e.g. {today.isoformat()}")
            return None
        if value > today:
            self.error(file, path, f"{value.isoformat()} lies in the future")
            return None
        return value

    def text(self, file: str, path: str, raw: object) -> Text | None:
        """A text in every language of the checklist, e.g. {de: ..., en: ...}."""
        if not isinstance(raw, dict):
            self.error(file, path, f"must give the text in every language: {', '.join(self.languages)}")
            return None
        ok = True
        for key in raw:
            if key not in self.languages:
                self.error(
                    file,
                    f"{path}.{shown(key)}",
                    f"'{shown(key)}' is not a language of this checklist ({', '.join(self.languages)})",
                )
                ok = False
        values: dict[str, str] = {}
        for lang in self.languages:
            if lang not in raw:
                self.error(file, path, f"missing translation '{lang}'")
                ok = False
                continue
            value = self.string(file, f"{path}.{lang}", raw[lang])
            if value is None:
                ok = False
            else:
                values[lang] = value
        return Text(values) if ok else None

    def short_text(self, file: str, path: str, raw: object, limit: int) -> Text | None:
        """A text in every language that must also fit in `limit` characters (a line on a phone screen)."""
        text = self.text(file, path, raw)
        if text is None:
            return None
        too_long = [lang for lang in self.languages if len(text.get(lang)) > limit]
        for lang in too_long:
            self.error(file, f"{path}.{lang}", f"is longer than {limit} characters: keep it to one short sentence")
        return None if too_long else text

    def string_list(self, file: str, path: str, raw: object) -> tuple[str, ...] | None:
        if not isinstance(raw, list) or not raw:
            self.error(file, path, "must be a non-empty list")
            return None
        values = [self.string(file, f"{path}[{i}]", v) for i, v in enumerate(raw)]
        return None if None in values else tuple(v for v in values if v)

    def text_list(self, file: str, path: str, raw: object) -> tuple[Text, ...] | None:
        if not isinstance(raw, list) or not raw:
            self.error(file, path, "must be a non-empty list of texts")
            return None
        values = [self.text(file, f"{path}[{i}]", v) for i, v in enumerate(raw)]
        return None if None in values else tuple(v for v in values if v)

    def references(
        self, file: str, path: str, raw: object, known: Mapping[str, object], kind: str
    ) -> tuple[str, ...] | None:
        if not isinstance(raw, list) or not raw:
            self.error(file, path, f"must be a non-empty list of {kind} ids")
            return None
        ok = True
        for i, value in enumerate(raw):
            if not isinstance(value, str) or value not in known:
                self.error(file, f"{path}[{i}]", f"unknown {kind} '{shown(value)}'")
                ok = False
        if len(set(map(str, raw))) != len(raw):
            self.error(file, path, f"names a {kind} twice")
            ok = False
        return tuple(str(v) for v in raw) if ok else None
