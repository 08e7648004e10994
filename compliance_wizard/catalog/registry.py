"""The checklists of this installation, loaded once per process from settings.CHECKLIST_DIR.

A worker keeps what it loaded at start; only a draft that another worker has moved to newer rules makes it
look at the disk again (reload_if_changed), so that two versions of the rules never serve one draft.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.utils.translation import get_language

from compliance_wizard.engine import UNKNOWN, Checklist, RuleError, load_checklists, rule_paths

Fingerprint = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class _Loaded:
    checklists: tuple[Checklist, ...]
    errors: tuple[RuleError, ...]
    fingerprint: Fingerprint  # of the files as they were before reading them: a later change is always seen


def _fingerprint(directory: str) -> Fingerprint:
    """Name, modification time and size of every file under the folder: a few stat calls, no parsing."""
    found = []
    for folder, _dirs, files in os.walk(directory):
        for name in files:
            path = os.path.join(folder, name)
            try:
                stat = os.stat(path)
            except OSError:  # removed while walking: the next look sees the folder without it
                continue
            found.append((os.path.relpath(path, directory), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(found))


@lru_cache(maxsize=4)
def _load(directory: str) -> _Loaded:
    fingerprint = _fingerprint(directory)
    if not Path(directory).is_dir():
        missing = RuleError(directory, "", "checklist folder does not exist (setting CHECKLIST_DIR)")
        return _Loaded((), (missing,), fingerprint)
    checklists, errors = load_checklists(rule_paths(Path(directory)))
    return _Loaded(tuple(checklists), tuple(errors), fingerprint)


def load() -> tuple[tuple[Checklist, ...], tuple[RuleError, ...]]:
    """Loaded once per process and folder, like the checklists themselves (see reload_if_changed)."""
    loaded = _load(str(settings.CHECKLIST_DIR))
    return loaded.checklists, loaded.errors


def reload_if_changed() -> bool:
    """Read the rule files again if they changed on disk since this process read them; True if it did.

    Comparing the files' fingerprint first keeps this cheap when nothing changed: a server whose files are
    still the old ones, asked again and again about a newer draft, does not parse them on every request.
    """
    directory = str(settings.CHECKLIST_DIR)
    if _fingerprint(directory) == _load(directory).fingerprint:
        return False
    _load.cache_clear()
    _load(directory)
    return True


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
