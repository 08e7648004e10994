"""Loading checklists: finding their rule files, reading and merging the YAML, hashing the content.

A checklist is either one YAML file or a folder of YAML files. In a folder, the lists of SPREAD_KEYS
(requirements, notes, templates, documents) may be spread over several files (they are joined in file-name
order); every other top-level key must appear in one file. builder.py checks the merged content and builds the
Checklist. Every problem is collected and reported with file, path and message.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from .builder import SPREAD_KEYS, build_checklist
from .errors import ChecklistError, RuleError
from .model import Checklist
from .schema import Item
from .yamlfile import read_yaml

# Texts for the owner to use, not rules: a new document or authority address changes no result (like the changelog).
UNHASHED_KEYS = ("changelog", "documents", "details", "authorities")
MAIN_FILE = "checklist.yaml"


def rule_paths(root: Path) -> list[Path]:
    """The checklists in a folder: each YAML file and each sub-folder is one."""
    if not root.is_dir():
        return []
    return sorted(
        p for p in root.iterdir() if not p.name.startswith((".", "_")) and (p.is_dir() or p.suffix in (".yaml", ".yml"))
    )


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Accept checklist files, checklist folders (with checklist.yaml) and folders of checklists."""
    result: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir() and not (path / MAIN_FILE).exists():
            result.extend(rule_paths(path))
        else:
            result.append(path)
    return result


def load_checklist(path: Path) -> Checklist:
    """Load and validate one checklist; raise ChecklistError listing every problem."""
    checklist, errors = _load(Path(path))
    if errors or checklist is None:
        raise ChecklistError(errors)
    return checklist


def load_checklists(paths: Iterable[Path]) -> tuple[list[Checklist], list[RuleError]]:
    """Load several checklists, returning the valid ones and every error of all."""
    loaded: list[Checklist] = []
    errors: list[RuleError] = []
    seen: dict[str, str] = {}
    for path in paths:
        checklist, found = _load(Path(path))
        errors.extend(found)
        if checklist is None:
            continue
        if checklist.id in seen:
            errors.append(
                RuleError(
                    checklist.origin, "id", f"checklist id '{checklist.id}' is already used by {seen[checklist.id]}"
                )
            )
            continue
        seen[checklist.id] = checklist.origin
        loaded.append(checklist)
    return loaded, errors


def _load(path: Path) -> tuple[Checklist | None, list[RuleError]]:
    if path.is_dir():
        if not (path / MAIN_FILE).exists():
            return None, [RuleError(_label(path), "", f"a checklist folder needs a {MAIN_FILE}")]
        files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))
    elif path.exists():
        files = [path]
    else:
        return None, [RuleError(_label(path), "", "no such file or folder")]

    errors: list[RuleError] = []
    documents: list[tuple[str, object]] = []
    for file in files:
        label = _label(file)
        data, found = read_yaml(file, label)
        errors.extend(found)
        if not found:
            documents.append((label, data))
    if errors:
        return None, errors

    sections, spread, merge_errors = _merge(documents)
    if merge_errors:
        return None, merge_errors
    return build_checklist(sections, spread, _label(path), lambda: content_hash(sections, spread))


def _label(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _merge(documents: list[tuple[str, object]]) -> tuple[dict[str, Item], dict[str, list[Item]], list[RuleError]]:
    sections: dict[str, Item] = {}
    spread: dict[str, list[Item]] = {key: [] for key in SPREAD_KEYS}
    errors: list[RuleError] = []
    for file, data in documents:
        if not isinstance(data, dict):
            errors.append(RuleError(file, "", "the file must hold a mapping of keys (id, title, steps, ...)"))
            continue
        for key, value in data.items():
            if key in SPREAD_KEYS:
                if not isinstance(value, list):
                    errors.append(RuleError(file, str(key), "must be a list"))
                    continue
                spread[key].extend(Item(file, f"{key}[{i}]", item) for i, item in enumerate(value))
            elif key in sections:
                errors.append(RuleError(file, str(key), f"is already set in {sections[key].file}"))
            else:
                sections[str(key)] = Item(file, str(key), value)
    return sections, spread, errors


def content_hash(sections: Mapping[str, Item], spread: Mapping[str, list[Item]]) -> str:
    """A hash of what the rules say, not of how the files are laid out or commented, nor of the changelog
    that tells about them (a new entry changes no result)."""
    content: dict[str, object] = {key: item.value for key, item in sections.items() if key not in UNHASHED_KEYS}
    for key, items in spread.items():
        if key not in UNHASHED_KEYS:
            content[key] = [item.value for item in items]
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
