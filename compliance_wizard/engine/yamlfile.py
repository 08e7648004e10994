"""Reading one YAML file safely: safe_load only, bounded size, no anchors or aliases."""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import RuleError

MAX_FILE_BYTES = 2_000_000


def read_yaml(path: Path, label: str) -> tuple[object, list[RuleError]]:
    """Return the parsed document, or None and the errors that stopped it."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [RuleError(label, "", f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")]
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [RuleError(label, "", f"not valid UTF-8 ({exc.reason} at byte {exc.start})")]
    except OSError as exc:
        return None, [RuleError(label, "", f"cannot be read: {exc.strerror or exc}")]
    return parse_yaml(text, label)


def parse_yaml(text: str, label: str) -> tuple[object, list[RuleError]]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [RuleError(label, where, f"YAML error: {problem}")]
    if _has_shared_containers(data):
        # Anchors and aliases are the only way to share a container; refusing them
        # keeps "billion laughs" documents from blowing up later walks.
        return None, [RuleError(label, "", "YAML anchors and aliases (&name, *name) are not allowed")]
    return data, []


def _has_shared_containers(data: object) -> bool:
    seen: set[int] = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            children = list(item.keys()) + list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        if id(item) in seen:
            return True
        seen.add(id(item))
        stack.extend(children)
    return False
