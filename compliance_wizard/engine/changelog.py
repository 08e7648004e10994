"""What changed in a checklist from one version to the next, and which finished checks a change touches.

The rule files keep a changelog (`changelog:`, usually in changelog.yaml): per version, each change with the
date it takes effect, its kind, the requirements and notes it touches and a short summary. A check judged
under an earlier version is touched by every later change that is not about wording alone and names a
requirement or note the check judged (one that applied to it).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import shown
from .texts import CHANGE_KIND_LABELS

if TYPE_CHECKING:
    from .model import Text
    from .schema import Checker

# "assessment": the checklist judges differently (a severity, what counts as met, a text to paste), for reasons
# its rule files give; "wording": the words changed and nothing else, so no finished check hears of it.
KINDS = ("law", "court_decision", "authority_guidance", "provider_terms", "assessment", "wording")
WORDING = "wording"
VERSION_RE = re.compile(r"^\d+(\.\d+){0,3}$")


@dataclass(frozen=True)
class Change:
    id: str  # unique in the checklist's changelog, never reused: a notice about it is sent once
    version: str  # the checklist version that brought it
    effective: datetime.date  # when the change in the law, the case law or the terms takes effect
    kind: str  # one of KINDS
    touches: tuple[str, ...]  # requirement and note ids, current or retired ones
    summary: Text

    @property
    def matters(self) -> bool:
        """Whether a finished check should hear of it: everything but a change of wording."""
        return self.kind != WORDING


def version_key(version: str) -> tuple[int, ...]:
    """ "1.10.0" after "1.9.2": versions compare by their numbers. Only for versions VERSION_RE accepts."""
    return tuple(int(part) for part in version.split("."))


def is_version(value: str) -> bool:
    return bool(VERSION_RE.match(value))


def compare_versions(first: str, second: str) -> int:
    """-1, 0 or 1 as `first` comes before, with or after `second`; 0 too if either cannot be read."""
    if not (is_version(first) and is_version(second)):
        return 0
    a, b = version_key(first), version_key(second)
    a, b = a + (0,) * (len(b) - len(a)), b + (0,) * (len(a) - len(b))  # "1.2" is "1.2.0"
    return (a > b) - (a < b)


def changes_since(changelog: Iterable[Change], version: str, judged: Collection[str]) -> list[Change]:
    """The changes after `version` that a check judged under it should hear of, oldest effective date first.

    judged: the requirement and note ids that applied to the check. A version the changelog cannot read
    (a check older than version numbers, say) hears of every change that touches what it judged.
    """
    since = version_key(version) if is_version(version) else ()
    found = [
        change
        for change in changelog
        if change.matters and version_key(change.version) > since and set(change.touches) & set(judged)
    ]
    return sorted(found, key=lambda c: (c.effective, version_key(c.version)))


def parse_changelog(
    check: Checker,
    file: str,
    path: str,
    raw: object,
    current_version: str | None,
    known_ids: Collection[str],
) -> tuple[Change, ...]:
    """Read `changelog:`, reporting every problem through `check`.

    Versions must be readable, in ascending order, each listed once and none after the checklist's own
    version. Each change names known requirement or note ids under `touches`, and ids that no longer exist
    (a renamed or removed requirement, which earlier checks still judged) under `retired`.
    """
    if not isinstance(raw, list) or not raw:
        check.error(file, path, "must be a non-empty list of versions, each with its changes")
        return ()
    changes: list[Change] = []
    seen: set[str] = set()
    previous: tuple[int, ...] | None = None
    for index, entry in enumerate(raw):
        entry_path = f"{path}[{index}]"
        fields = check.fields(file, entry_path, entry, ("version", "changes"), ())
        if fields is None:
            continue
        version = _version(check, file, f"{entry_path}.version", fields.get("version"))
        if version is not None:
            key = version_key(version)
            if previous is not None and key <= previous:
                check.error(file, f"{entry_path}.version", f"{version} must come after the version before it")
            if current_version and is_version(current_version) and key > version_key(current_version):
                check.error(
                    file, f"{entry_path}.version", f"{version} is later than the checklist's version {current_version}"
                )
            previous = key
        raw_changes = fields.get("changes")
        if not isinstance(raw_changes, list) or not raw_changes:
            check.error(file, f"{entry_path}.changes", "must be a non-empty list of changes")
            continue
        for c_index, raw_change in enumerate(raw_changes):
            change = _change(check, file, f"{entry_path}.changes[{c_index}]", raw_change, version, known_ids, seen)
            if change is not None:
                changes.append(change)
    return tuple(changes)


def _version(check: Checker, file: str, path: str, raw: object) -> str | None:
    if not isinstance(raw, str) or not is_version(raw):
        check.error(file, path, f"'{shown(raw)}' is not a version such as \"1.1.0\" (put it in quotes)")
        return None
    return raw


def _change(
    check: Checker,
    file: str,
    path: str,
    raw: object,
    version: str | None,
    known_ids: Collection[str],
    seen: set[str],
) -> Change | None:
    fields = check.fields(file, path, raw, ("id", "effective", "kind", "summary"), ("touches", "retired"))
    if fields is None:
        return None
    change_id = check.new_id(file, f"{path}.id", fields.get("id"), seen, "change")
    # Effective dates may lie ahead (a law that takes effect next year), so any valid date is accepted.
    effective = check.date(file, f"{path}.effective", fields.get("effective"), datetime.date.max)
    kind = check.choice(file, f"{path}.kind", fields.get("kind"), KINDS)
    summary = check.text(file, f"{path}.summary", fields.get("summary"))
    touches = _ids(check, file, f"{path}.touches", fields.get("touches", []), known_ids, must_exist=True)
    retired = _ids(check, file, f"{path}.retired", fields.get("retired", []), known_ids, must_exist=False)
    if touches is not None and retired is not None and not touches + retired:
        check.error(file, path, "name the requirements or notes it touches under 'touches' (or 'retired')")
        return None
    if None in (change_id, effective, kind, summary, touches, retired, version):
        return None
    assert change_id and effective and kind and summary and version and touches is not None and retired is not None
    return Change(change_id, version, effective, kind, touches + retired, summary)


def _ids(
    check: Checker, file: str, path: str, raw: object, known_ids: Collection[str], must_exist: bool
) -> tuple[str, ...] | None:
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        check.error(file, path, "must be a list of requirement or note ids")
        return None
    ok = True
    for i, value in enumerate(raw):
        if must_exist and value not in known_ids:
            check.error(file, f"{path}[{i}]", f"unknown requirement or note '{shown(value)}'")
            ok = False
        elif not must_exist and value in known_ids:
            check.error(file, f"{path}[{i}]", f"'{value}' still exists: list it under 'touches'")
            ok = False
    return tuple(raw) if ok else None


def latest_change_version(changelog: Iterable[Change]) -> str | None:
    """The newest version that brought a change finished checks hear of; None if there is none."""
    versions = [c.version for c in changelog if c.matters]
    return max(versions, key=version_key) if versions else None


def is_before(version: str, other: str) -> bool:
    """Whether a check judged under `version` came before `other`; an unreadable version counts as before."""
    return not is_version(version) or version_key(version) < version_key(other)


def judged_in(result: Mapping[str, Any]) -> set[str]:
    """The requirement and note ids a stored result (Result.to_dict()) judged: every one that applied."""
    return {str(f["id"]) for f in result["findings"] if f["status"] != "not_applicable"}


def change_rows(changes: Iterable[Change], lang: str) -> list[dict[str, Any]]:
    """The changes as a page or a report shows them, in one language."""
    return [
        {
            "id": c.id,
            "version": c.version,
            "kind": c.kind,
            "kind_label": CHANGE_KIND_LABELS[c.kind][lang],
            "effective": c.effective,
            "summary": c.summary.get(lang),
        }
        for c in changes
    ]
