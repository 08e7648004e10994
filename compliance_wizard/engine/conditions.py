"""The condition language of the rule files, parsed into a tree and interpreted.

    {all: [C, ...]}   {any: [C, ...]}   {not: C}
    {question: Q, equals: OPTION}
    {question: Q, one_of: [OPTION, ...]}
    {question: Q, answered: true|false}
    {detail: D, given: true|false}          (documents only: a detail the business gave for its texts)

Evaluation uses three values: True, False and None ("we cannot tell", because a
question that matters was answered "don't know"). A question that was not asked
(hidden by its show_if) compares as False. No rule text is ever run as Python code.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from .errors import shown
from .model import UNKNOWN

Answers = Mapping[str, str]
Report = Callable[[str, str], None]  # (path, message)

MAX_DEPTH = 16
COMBINATORS = ("all", "any", "not")
OPERATORS = ("equals", "one_of", "answered")


@dataclass(frozen=True)
class All:
    parts: tuple[Condition, ...]

    def evaluate(self, answers: Answers) -> bool | None:
        values = [p.evaluate(answers) for p in self.parts]
        if False in values:
            return False
        return None if None in values else True

    def questions(self) -> set[str]:
        return set().union(*(p.questions() for p in self.parts))


@dataclass(frozen=True)
class Any:
    parts: tuple[Condition, ...]

    def evaluate(self, answers: Answers) -> bool | None:
        values = [p.evaluate(answers) for p in self.parts]
        if True in values:
            return True
        return None if None in values else False

    def questions(self) -> set[str]:
        return set().union(*(p.questions() for p in self.parts))


@dataclass(frozen=True)
class Not:
    part: Condition

    def evaluate(self, answers: Answers) -> bool | None:
        value = self.part.evaluate(answers)
        return None if value is None else not value

    def questions(self) -> set[str]:
        return self.part.questions()


@dataclass(frozen=True)
class Compare:
    question: str
    values: frozenset[str]

    def evaluate(self, answers: Answers) -> bool | None:
        answer = answers.get(self.question)
        if answer is None:
            return False
        if answer in self.values:
            return True
        # "don't know" only matches when the rule names it; otherwise it stays open.
        return None if answer == UNKNOWN else False

    def questions(self) -> set[str]:
        return {self.question}


@dataclass(frozen=True)
class Answered:
    question: str
    expected: bool

    def evaluate(self, answers: Answers) -> bool | None:
        return (self.question in answers) == self.expected

    def questions(self) -> set[str]:
        return {self.question}


class Facts(dict[str, str]):
    """The answers together with the details given for the texts: what a document's conditions see."""

    def __init__(self, answers: Answers, given: Iterable[str] = ()):
        super().__init__(answers)
        self.given = frozenset(given)


@dataclass(frozen=True)
class Given:
    detail: str
    expected: bool

    def evaluate(self, answers: Answers) -> bool | None:
        given = answers.given if isinstance(answers, Facts) else frozenset()
        return (self.detail in given) == self.expected

    def questions(self) -> set[str]:
        return set()


Condition = All | Any | Not | Compare | Answered | Given


def as_option_id(value: object) -> object:
    """YAML reads bare yes/no as booleans; in answers and rules they mean the options."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value


def parse(
    raw: object,
    path: str,
    options_of: Mapping[str, tuple[str, ...]],
    report: Report,
    unreachable: Mapping[str, str] | None = None,
    broken: Collection[str] = (),
    depth: int = 0,
    details: Collection[str] = (),
) -> Condition | None:
    """Turn raw YAML into a condition tree, reporting every problem; None if invalid.

    options_of maps each question the condition may name to its option ids.
    unreachable maps questions that exist but may not be named here to the reason.
    broken names questions that are declared but invalid: their own error is enough.
    details names the details a condition may ask about with {detail: D, given: BOOL} (documents only).
    """
    if depth > MAX_DEPTH:
        report(path, f"conditions may be nested at most {MAX_DEPTH} levels deep")
        return None
    if not isinstance(raw, dict):
        report(path, "a condition must be a mapping such as {question: ID, equals: OPTION}")
        return None
    keys = set(raw)
    combinators = keys & set(COMBINATORS)
    if combinators:
        if len(keys) != 1:
            report(path, f"'{sorted(combinators)[0]}' must stand alone, found keys {_keys(keys)}")
            return None
        (key,) = keys
        if key == "not":
            part = parse(raw[key], f"{path}.not", options_of, report, unreachable, broken, depth + 1, details)
            return Not(part) if part is not None else None
        items = raw[key]
        if not isinstance(items, list) or not items:
            report(f"{path}.{key}", "must be a non-empty list of conditions")
            return None
        parts = [
            parse(item, f"{path}.{key}[{i}]", options_of, report, unreachable, broken, depth + 1, details)
            for i, item in enumerate(items)
        ]
        if any(p is None for p in parts):
            return None
        checked = tuple(p for p in parts if p is not None)
        return All(checked) if key == "all" else Any(checked)
    if details and "detail" in keys:
        return _parse_given(raw, path, details, report)
    return _parse_comparison(raw, path, options_of, report, unreachable or {}, broken)


def _parse_given(raw: dict[str, object], path: str, details: Collection[str], report: Report) -> Condition | None:
    if set(raw) != {"detail", "given"}:
        report(path, f"a condition on a detail needs exactly 'detail' and 'given'; found keys {_keys(raw)}")
        return None
    detail, given = raw["detail"], raw["given"]
    if not isinstance(detail, str) or detail not in details:
        report(f"{path}.detail", f"unknown detail '{shown(detail)}' (known: {', '.join(details)})")
        return None
    if not isinstance(given, bool):
        report(f"{path}.given", "must be true or false")
        return None
    return Given(detail, given)


def _parse_comparison(
    raw: dict[str, object],
    path: str,
    options_of: Mapping[str, tuple[str, ...]],
    report: Report,
    unreachable: Mapping[str, str],
    broken: Collection[str],
) -> Condition | None:
    keys = set(raw)
    operators = keys & set(OPERATORS)
    unknown = keys - set(OPERATORS) - {"question"}
    if "question" not in keys or len(operators) != 1 or unknown:
        report(
            path,
            "a condition needs 'question' and exactly one of "
            f"{', '.join(OPERATORS)} (or all/any/not); found keys {_keys(keys)}",
        )
        return None
    question = raw["question"]
    if not isinstance(question, str):
        report(f"{path}.question", "must be a question id")
        return None
    if question in broken:
        return None
    if question in unreachable:
        report(f"{path}.question", unreachable[question])
        return None
    if question not in options_of:
        report(f"{path}.question", f"unknown question '{shown(question)}'")
        return None
    (operator,) = operators
    value = raw[operator]
    if operator == "answered":
        if not isinstance(value, bool):
            report(f"{path}.answered", "must be true or false")
            return None
        return Answered(question, value)
    if operator == "one_of" and (not isinstance(value, list) or not value):
        report(f"{path}.one_of", "must be a non-empty list of option ids")
        return None
    values: list[object] = value if isinstance(value, list) else [value]
    valid = options_of[question]
    result = []
    ok = True
    for i, item in enumerate(values):
        option = as_option_id(item)
        where = f"{path}.one_of[{i}]" if operator == "one_of" else f"{path}.equals"
        if option not in valid:
            report(where, f"'{shown(item)}' is not an option of question '{question}' (options: {', '.join(valid)})")
            ok = False
        else:
            result.append(str(option))
    return Compare(question, frozenset(result)) if ok else None


def _keys(keys: Iterable[object]) -> str:
    names = sorted(shown(k) for k in keys)
    if len(names) > 8:
        names = [*names[:8], f"and {len(names) - 8} more"]
    return ", ".join(names) or "none"
