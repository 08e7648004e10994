"""The rule engine: loads, validates and scores checklists. Pure Python, no Django."""

from .answers import AnswerCheck, check_answers, visible_steps
from .answers_file import AnswersDocument, parse_answers, read_answers_file
from .changes import ChecklistUpdate, checklist_update, question_outline
from .errors import AnswersError, ChecklistError, RuleError
from .loader import expand_paths, load_checklist, load_checklists, rule_paths
from .model import UNKNOWN, Checklist, Note, Question, Requirement, Severity, Step
from .result import Cap, Finding, Result, Status, fill_template, render_template
from .scoring import evaluate, score

__all__ = [
    "UNKNOWN",
    "AnswerCheck",
    "AnswersDocument",
    "AnswersError",
    "Cap",
    "Checklist",
    "ChecklistError",
    "ChecklistUpdate",
    "Finding",
    "Note",
    "Question",
    "Requirement",
    "Result",
    "RuleError",
    "Severity",
    "Status",
    "Step",
    "check_answers",
    "checklist_update",
    "evaluate",
    "expand_paths",
    "fill_template",
    "load_checklist",
    "load_checklists",
    "parse_answers",
    "question_outline",
    "read_answers_file",
    "render_template",
    "rule_paths",
    "score",
    "visible_steps",
]
