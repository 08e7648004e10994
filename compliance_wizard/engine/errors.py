"""Errors the engine reports: every one names where it happened."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleError:
    """One problem in a rule file: which file, where inside it, what is wrong."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message}"


class ChecklistError(Exception):
    """Raised when rule files are invalid; carries every error found, not just the first."""

    def __init__(self, errors: list[RuleError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


class AnswersError(Exception):
    """Raised when an answers document cannot be scored; lists every problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


# Line breaks and other control characters written as escapes: a quoted value stays on its message's line.
_ESCAPES = {code: repr(chr(code))[1:-1] for code in [*range(32), 127, 0x85, 0x2028, 0x2029]}


def shown(value: object, limit: int = 60) -> str:
    """A value from a file, short enough to quote in a one-line message: a file may hold a 2 MB string."""
    text = (value if isinstance(value, str) else repr(value))[: limit * 2].translate(_ESCAPES)
    return text if len(text) <= limit else text[: limit - 3] + "..."
