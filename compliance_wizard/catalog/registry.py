"""The checklists of this installation, loaded once per process from settings.CHECKLIST_DIR."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.utils.translation import get_language

from compliance_wizard.engine import UNKNOWN, Checklist, RuleError, load_checklists, rule_paths


@lru_cache(maxsize=4)
def _load(directory: str) -> tuple[tuple[Checklist, ...], tuple[RuleError, ...]]:
    if not Path(directory).is_dir():
        return (), (RuleError(directory, "", "checklist folder does not exist (setting CHECKLIST_DIR)"),)
    checklists, errors = load_checklists(rule_paths(Path(directory)))
    return tuple(checklists), tuple(errors)


def load() -> tuple[tuple[Checklist, ...], tuple[RuleError, ...]]:
    """Loaded once per process and folder, like the checklists themselves: a change needs a restart."""
    return _load(str(settings.CHECKLIST_DIR))


def all_checklists() -> tuple[Checklist, ...]:
    return load()[0]


def get(checklist_id: str) -> Checklist:
    for checklist in all_checklists():
        if checklist.id == checklist_id:
            return checklist
    raise KeyError(checklist_id)


def get_or_404(checklist_id: str) -> Checklist:
    try:
        return get(checklist_id)
    except KeyError:
        raise Http404("no such checklist") from None


def language_for(checklist: Checklist) -> str:
    """The request's language if the checklist speaks it, else the checklist's first language."""
    lang = (get_language() or "")[:2]
    return lang if lang in checklist.languages else checklist.languages[0]


def reset() -> None:
    """Forget loaded checklists (tests and the validate command use this)."""
    _load.cache_clear()


def sector_choices() -> list[tuple[str, str]]:
    """The kinds of business the checklists' sector questions offer, for a chamber to choose from."""
    choices: dict[str, str] = {}
    for checklist in all_checklists():
        if checklist.sector_question is None:
            continue
        lang = language_for(checklist)
        for option in checklist.questions[checklist.sector_question].options:
            if option.id != UNKNOWN:
                choices.setdefault(option.id, option.label.get(lang))
    return list(choices.items())
