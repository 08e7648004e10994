"""Checking the merged content of a checklist's rule files and building its Checklist.

The loader hands over the top-level sections and the spread lists, each value with the file and path it came
from, so that every error can say where it is. Checking does not stop at the first problem: every error is
collected and reported, and the Checklist is built only when there is none.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import TypeVar

from . import conditions
from .changelog import Change, parse_changelog
from .document_rules import CONDITION_DETAILS, DocumentReader, ParseCondition, parse_authorities, parse_detail_rules
from .documents import Authority, Document
from .errors import RuleError, shown
from .finding_rules import FindingReader
from .model import UNKNOWN, Checklist, Option, Question, Source, Step, Template, TemplatePart, Text
from .schema import Checker, Item
from .texts import SUPPORTED_LANGUAGES, YES_NO_LABELS

T = TypeVar("T")
SPREAD_KEYS = ("requirements", "notes", "templates", "documents")
TOP_REQUIRED = ("id", "version", "languages", "title", "summary", "sources", "steps", "requirements")
TOP_OPTIONAL = ("templates", "notes", "sector_question", "changelog", "documents", "details", "authorities")
QUESTION_TYPES = ("yes_no", "choice")
# Step ids become wizard URLs; formtools' named-URL wizard submits the check at /draft/<token>/done/.
RESERVED_STEP_IDS = ("done",)
PLACEHOLDERS = ("business_name", "website", "privacy_url", "imprint_url")
PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")


class _AskedFrom(Mapping[str, str]):
    """The questions asked at a place in the questionnaire or later, each with why a show_if there may not
    name it. A view, not a copy: building one per question would make validation quadratic."""

    def __init__(self, position: Mapping[str, tuple[int, int]], here: tuple[int, int]):
        self.position = position
        self.here = here

    def __getitem__(self, qid: str) -> str:
        at = self.position.get(qid)
        if at is None or at < self.here:
            raise KeyError(qid)
        return f"question '{qid}' is asked here or later; show_if may only use questions asked before"

    def __iter__(self) -> Iterator[str]:
        return (qid for qid, at in self.position.items() if at >= self.here)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Broken(Collection[str]):
    """Questions that are declared but invalid, and so neither valid so far nor asked later: a condition
    naming one says nothing more, as the question's own error is reported already."""

    def __init__(self, declared: Collection[str], valid: Collection[str], later: Collection[str]):
        self.declared = declared
        self.valid = valid
        self.later = later

    def __contains__(self, qid: object) -> bool:
        return qid in self.declared and qid not in self.valid and qid not in self.later

    def __iter__(self) -> Iterator[str]:
        return (qid for qid in self.declared if qid in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def build_checklist(
    sections: dict[str, Item], spread: dict[str, list[Item]], origin: str, content_hash: Callable[[], str]
) -> tuple[Checklist | None, list[RuleError]]:
    """Check the merged content and build its Checklist, or return every error found.

    content_hash is called only once the content is valid: json.dumps cannot encode everything an invalid file
    may hold, such as a date as a key."""
    return _Builder(sections, spread, origin, content_hash).build()


class _Builder:
    """Checks the merged rule content and builds the model, collecting all errors."""

    def __init__(
        self, sections: dict[str, Item], spread: dict[str, list[Item]], origin: str, content_hash: Callable[[], str]
    ):
        self.sections = sections
        self.spread = spread
        self.origin = origin
        self.content_hash = content_hash
        self.check = Checker()
        self.declared_questions: set[str] = set()
        self.today = datetime.date.today()

    def build(self) -> tuple[Checklist | None, list[RuleError]]:
        check = self.check
        top_file = self.sections["id"].file if "id" in self.sections else self.origin
        present = set(self.sections) | {k for k, v in self.spread.items() if v}
        for key in TOP_REQUIRED:
            if key not in present:
                check.error(top_file, "", f"missing key '{key}'")
        for key in self.sections:
            if key not in TOP_REQUIRED + TOP_OPTIONAL:
                check.unknown_key(self.sections[key].file, "", key, TOP_REQUIRED + TOP_OPTIONAL)

        languages = self._languages()
        check.languages = languages
        checklist_id = self._scalar("id", check.identifier)
        version = self._scalar("version", check.string)
        title = self._scalar("title", check.text)
        summary = self._scalar("summary", check.text)
        sources = self._sources()
        steps = self._steps()
        options_of = {q.id: q.option_ids for s in steps for q in s.questions}
        templates = self._templates(options_of)
        finding_ids: set[str] = set()  # requirements and notes share one namespace: both are findings
        findings = FindingReader(check, self._condition_parser(options_of), self.today)
        requirements = findings.requirements(self.spread["requirements"], sources, templates, finding_ids)
        notes = findings.notes(self.spread["notes"], sources, finding_ids)
        sector_question = self._sector_question(steps)
        changelog = self._changelog(version, finding_ids)
        documents = self._documents(options_of)
        details_asked_if = self._detail_rules(options_of)
        authorities = self._authorities()

        if check.errors:
            return None, check.errors
        assert checklist_id and version and title and summary
        return (
            Checklist(
                id=checklist_id,
                version=version,
                content_hash=self.content_hash(),
                languages=languages,
                title=title,
                summary=summary,
                steps=tuple(steps),
                requirements=tuple(requirements),
                sources=sources,
                templates=templates,
                notes=tuple(notes),
                changelog=changelog,
                sector_question=sector_question,
                origin=self.origin,
                documents=documents,
                authorities=authorities,
                details_asked_if=details_asked_if,
            ),
            [],
        )

    def _scalar(self, key: str, parse: Callable[[str, str, object], T | None]) -> T | None:
        item = self.sections.get(key)
        if item is None:
            return None
        return parse(item.file, item.path, item.value)

    def _languages(self) -> tuple[str, ...]:
        item = self.sections.get("languages")
        if item is None:
            return SUPPORTED_LANGUAGES
        value = item.value
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            self.check.error(item.file, item.path, "must be a non-empty list of language codes, e.g. [de, en]")
            return SUPPORTED_LANGUAGES
        unsupported = [v for v in value if v not in SUPPORTED_LANGUAGES]
        if unsupported:
            self.check.error(
                item.file,
                item.path,
                f"unsupported language(s) {', '.join(unsupported)}; supported: {', '.join(SUPPORTED_LANGUAGES)}",
            )
        if len(set(value)) != len(value):
            self.check.error(item.file, item.path, "lists a language twice")
        return tuple(v for v in dict.fromkeys(value) if v in SUPPORTED_LANGUAGES) or SUPPORTED_LANGUAGES

    def _list(self, key: str) -> list[Item]:
        if key in SPREAD_KEYS:
            return self.spread[key]
        item = self.sections.get(key)
        if item is None:
            return []
        if not isinstance(item.value, list) or not item.value:
            self.check.error(item.file, item.path, "must be a non-empty list")
            return []
        return [Item(item.file, f"{key}[{i}]", v) for i, v in enumerate(item.value)]

    def _sources(self) -> dict[str, Source]:
        check = self.check
        sources: dict[str, Source] = {}
        seen: set[str] = set()
        for item in self._list("sources"):
            raw = check.fields(item.file, item.path, item.value, ("id", "title"), ("origin",))
            if raw is None:
                continue
            source_id = check.new_id(item.file, f"{item.path}.id", raw.get("id"), seen, "source")
            title = check.text(item.file, f"{item.path}.title", raw.get("title"))
            origin = check.text(item.file, f"{item.path}.origin", raw["origin"]) if "origin" in raw else None
            if source_id and title:
                sources[source_id] = Source(source_id, title, origin)
        return sources

    def _templates(self, options_of: Mapping[str, tuple[str, ...]]) -> dict[str, Template]:
        check = self.check
        templates: dict[str, Template] = {}
        seen: set[str] = set()
        for item in self._list("templates"):
            raw = check.fields(item.file, item.path, item.value, ("id", "title", "usage"), ("text", "parts"))
            if raw is None:
                continue
            template_id = check.new_id(item.file, f"{item.path}.id", raw.get("id"), seen, "template")
            title = check.text(item.file, f"{item.path}.title", raw.get("title"))
            usage = check.text(item.file, f"{item.path}.usage", raw.get("usage"))
            parts = self._template_parts(item, raw, options_of)
            if template_id and title and usage and parts:
                templates[template_id] = Template(template_id, title, usage, parts)
        return templates

    def _template_parts(
        self, item: Item, raw: dict[str, object], options_of: Mapping[str, tuple[str, ...]]
    ) -> tuple[TemplatePart, ...] | None:
        """A template is one `text`, or `parts`: paragraphs each shown only when its `if` holds."""
        check = self.check
        if ("text" in raw) == ("parts" in raw):
            check.error(item.file, item.path, "give either 'text' or 'parts' (paragraphs with conditions)")
            return None
        if "text" in raw:
            text = self._template_text(item.file, f"{item.path}.text", raw["text"])
            return (TemplatePart(text, None),) if text else None
        raw_parts = raw["parts"]
        if not isinstance(raw_parts, list) or not raw_parts:
            check.error(item.file, f"{item.path}.parts", "must be a non-empty list of {text: ..., if: CONDITION}")
            return None
        parts: list[TemplatePart] = []
        ok = True
        for i, raw_part in enumerate(raw_parts):
            part_item = Item(item.file, f"{item.path}.parts[{i}]", raw_part)
            fields = check.fields(part_item.file, part_item.path, raw_part, ("text",), ("if",))
            if fields is None:
                ok = False
                continue
            text = self._template_text(part_item.file, f"{part_item.path}.text", fields.get("text"))
            condition = self._condition(part_item, fields, "if", options_of)
            if text is None or ("if" in fields and condition is None):
                ok = False
                continue
            parts.append(TemplatePart(text, condition))
        return tuple(parts) if ok else None

    def _template_text(self, file: str, path: str, raw: object) -> Text | None:
        text = self.check.text(file, path, raw)
        if text:
            for lang, value in text.values.items():
                for name in PLACEHOLDER_RE.findall(value):
                    if name not in PLACEHOLDERS:
                        self.check.error(
                            file,
                            f"{path}.{lang}",
                            f"unknown placeholder '{{{shown(name)}}}'; allowed: "
                            + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS),
                        )
        return text

    def _steps(self) -> list[Step]:
        check = self.check
        step_items = self._list("steps")
        # Where each question is asked, so a show_if naming a later question gets a precise message.
        position: dict[str, tuple[int, int]] = {}
        for index, item in enumerate(step_items):
            listed = item.value.get("questions") if isinstance(item.value, dict) else None
            for q_index, q in enumerate(listed if isinstance(listed, list) else []):
                if isinstance(q, dict) and isinstance(q.get("id"), str):
                    position.setdefault(q["id"], (index, q_index))
        self.declared_questions = set(position)

        steps: list[Step] = []
        step_ids: set[str] = set()
        options_so_far: dict[str, tuple[str, ...]] = {}
        questions_seen: set[str] = set()
        for index, item in enumerate(step_items):
            raw = check.fields(item.file, item.path, item.value, ("id", "title", "questions"), ("intro", "show_if"))
            if raw is None:
                continue
            step_id = check.new_id(item.file, f"{item.path}.id", raw.get("id"), step_ids, "step")
            if step_id in RESERVED_STEP_IDS:
                check.error(item.file, f"{item.path}.id", f"'{step_id}' is reserved for the page that submits a check")
                step_id = None
            title = check.text(item.file, f"{item.path}.title", raw.get("title"))
            intro = check.text(item.file, f"{item.path}.intro", raw["intro"]) if "intro" in raw else None
            show_if = self._condition(item, raw, "show_if", options_so_far, _AskedFrom(position, (index, 0)))
            questions: list[Question] = []
            raw_questions = raw.get("questions")
            if not isinstance(raw_questions, list) or not raw_questions:
                if "questions" in raw:
                    check.error(item.file, f"{item.path}.questions", "must be a non-empty list of questions")
                raw_questions = []
            for q_index, q_raw in enumerate(raw_questions):
                q_item = Item(item.file, f"{item.path}.questions[{q_index}]", q_raw)
                question = self._question(
                    q_item, step_id or "", options_so_far, _AskedFrom(position, (index, q_index)), questions_seen
                )
                if question is not None:
                    questions.append(question)
                    # Later questions of the same step may depend on this one (shown as the user answers).
                    options_so_far[question.id] = question.option_ids
            if step_id and title:
                steps.append(Step(step_id, title, intro, show_if, tuple(questions)))
        return steps

    def _question(
        self,
        item: Item,
        step_id: str,
        options_so_far: Mapping[str, tuple[str, ...]],
        unreachable: Mapping[str, str],
        seen: set[str],
    ) -> Question | None:
        check = self.check
        raw = check.fields(item.file, item.path, item.value, ("id", "type", "text", "help"), ("options", "show_if"))
        if raw is None:
            return None
        question_id = check.new_id(item.file, f"{item.path}.id", raw.get("id"), seen, "question", field_name=True)
        text = check.text(item.file, f"{item.path}.text", raw.get("text"))
        help_text = check.text(item.file, f"{item.path}.help", raw.get("help"))
        qtype = raw.get("type")
        options: tuple[Option, ...] = ()
        if qtype not in QUESTION_TYPES:
            if "type" in raw:
                check.error(
                    item.file,
                    f"{item.path}.type",
                    f"'{shown(qtype)}' is not a question type; use one of: {', '.join(QUESTION_TYPES)}",
                )
        elif qtype == "yes_no":
            if "options" in raw:
                check.error(
                    item.file,
                    f"{item.path}.options",
                    "yes_no questions have fixed options (yes, no, unknown); remove this key",
                )
            options = tuple(
                Option(o, Text({lang: YES_NO_LABELS[o][lang] for lang in check.languages}))
                for o in ("yes", "no", UNKNOWN)
            )
        else:
            options = self._options(item, raw)
        show_if = self._condition(item, raw, "show_if", options_so_far, unreachable)
        if question_id and text and help_text and options:
            return Question(question_id, str(qtype), text, help_text, options, show_if, step_id)
        return None

    def _options(self, item: Item, raw: dict[str, object]) -> tuple[Option, ...]:
        check = self.check
        raw_options = raw.get("options")
        path = f"{item.path}.options"
        if not isinstance(raw_options, list) or len(raw_options) < 2:
            check.error(item.file, path, "a choice question needs a list of at least two options")
            return ()
        options: list[Option] = []
        seen: set[str] = set()
        ok = True
        for i, raw_option in enumerate(raw_options):
            o_path = f"{path}[{i}]"
            o_raw = check.fields(item.file, o_path, raw_option, ("id", "label"), ())
            if o_raw is None:
                ok = False
                continue
            raw_id = conditions.as_option_id(o_raw.get("id"))
            option_id = check.new_id(item.file, f"{o_path}.id", raw_id, seen, "option", field_name=True)
            label = check.text(item.file, f"{o_path}.label", o_raw.get("label"))
            if option_id and label:
                options.append(Option(option_id, label))
            else:
                ok = False
        if ok and UNKNOWN not in seen:
            check.error(item.file, path, f"every question must offer \"don't know\": add an option with id '{UNKNOWN}'")
            ok = False
        return tuple(options) if ok else ()

    def _condition(
        self,
        item: Item,
        raw: dict[str, object],
        key: str,
        options_of: Mapping[str, tuple[str, ...]],
        unreachable: Mapping[str, str] | None = None,
    ) -> conditions.Condition | None:
        if key not in raw:
            return None
        return conditions.parse(
            raw[key],
            f"{item.path}.{key}",
            options_of,
            lambda path, message: self.check.error(item.file, path, message),
            unreachable,
            broken=_Broken(self.declared_questions, options_of, unreachable or {}),
        )

    def _changelog(self, version: str | None, finding_ids: Collection[str]) -> tuple[Change, ...]:
        item = self.sections.get("changelog")
        if item is None:
            return ()
        return parse_changelog(self.check, item.file, item.path, item.value, version, finding_ids)

    def _condition_parser(
        self, options_of: Mapping[str, tuple[str, ...]], details: Collection[str] = ()
    ) -> ParseCondition:
        def parse_condition(file: str, path: str, raw: object) -> conditions.Condition | None:
            return conditions.parse(
                raw,
                path,
                options_of,
                lambda where, message: self.check.error(file, where, message),
                broken=_Broken(self.declared_questions, options_of, {}),
                details=details,
            )

        return parse_condition

    def _documents(self, options_of: Mapping[str, tuple[str, ...]]) -> tuple[Document, ...]:
        items = [(item.file, item.path, item.value) for item in self.spread["documents"]]
        return DocumentReader(self.check, self._condition_parser(options_of, CONDITION_DETAILS)).documents(items)

    def _detail_rules(self, options_of: Mapping[str, tuple[str, ...]]) -> dict[str, conditions.Condition]:
        item = self.sections.get("details")
        if item is None:
            return {}
        # On the answers alone: a field that appeared only once another detail is saved would puzzle the owner.
        parse_condition = self._condition_parser(options_of)
        return parse_detail_rules(self.check, item.file, item.path, item.value, parse_condition)

    def _authorities(self) -> dict[str, Authority]:
        item = self.sections.get("authorities")
        if item is None:
            return {}
        return parse_authorities(self.check, item.file, item.path, item.value)

    def _sector_question(self, steps: list[Step]) -> str | None:
        """The question for the kind of business: a choice asked of everyone in the first step."""
        item = self.sections.get("sector_question")
        if item is None:
            return None
        question_id = self.check.identifier(item.file, item.path, item.value, field_name=True)
        if question_id is None:
            return None
        first = steps[0].questions if steps and steps[0].show_if is None else ()
        question = next((q for q in first if q.id == question_id), None)
        built = {q.id for step in steps for q in step.questions}
        if question is None and question_id in self.declared_questions and question_id not in built:
            return None  # the question itself is invalid, and its own error says so
        if question is None:
            self.check.error(
                item.file, item.path, f"'{shown(question_id)}' is not a question of the first step (without show_if)"
            )
            return None
        if question.type != "choice" or question.show_if is not None:
            self.check.error(item.file, item.path, f"'{question.id}' must be a choice question asked of everyone")
            return None
        return question.id
