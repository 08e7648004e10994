"""Reading one YAML file safely: safe_load semantics, bounded size and nesting, no anchors or aliases.

libyaml (the C parser) reads about ten times faster than the pure-Python one, which matters at
start-up. Its own composer recurses on the C stack, so a deeply nested document would crash the
process rather than raise. So the parser's events are composed into nodes here, in a loop that
refuses anchors, aliases and deep nesting as soon as it meets them, and the nodes are then built
into Python data by yaml.safe_load's own constructor and resolver: the same data safe_load gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from .errors import RuleError

MAX_FILE_BYTES = 2_000_000
# Far above what a rule or answers file needs (a condition nested 16 levels deep is about 40),
# far below what would exhaust Python's recursion limit in a later walk.
MAX_DEPTH = 64
ALIASES_REFUSED = "YAML anchors and aliases (&name, *name) are not allowed"

_Parser: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Constructor(SafeConstructor, Resolver):
    """The constructor and resolver of yaml.safe_load, without a parser of their own."""

    def __init__(self) -> None:
        SafeConstructor.__init__(self)
        Resolver.__init__(self)


class _MarkingConstructor(_Constructor):
    """Turns a value the constructor cannot convert into a YAML error with its place. Only used to
    explain such a failure: wrapping every node would cost about a tenth of the load."""

    def construct_object(self, node: Node, deep: bool = False) -> object:
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, AttributeError, OverflowError) as exc:
            # e.g. `!!int abc`, `!!timestamp x`, or an integer of more than 4300 digits
            raise ConstructorError(None, None, f"cannot read this value ({exc})", node.start_mark) from exc


class _Refused(Exception):
    def __init__(self, where: str, message: str):
        super().__init__(message)
        self.where = where
        self.message = message


def read_text(path: Path, label: str, limit: int = MAX_FILE_BYTES) -> tuple[str | None, list[RuleError]]:
    """The file's text, or None and why not; never reads more than limit + 1 bytes."""
    try:
        if not path.is_file():
            return None, [RuleError(label, "", "is not a regular file")]
        with path.open("rb") as stream:
            content = stream.read(limit + 1)
    except OSError as exc:
        return None, [RuleError(label, "", f"cannot be read: {exc.strerror or exc}")]
    if len(content) > limit:
        return None, [RuleError(label, "", f"file is larger than the limit of {limit} bytes")]
    try:
        return content.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        return None, [RuleError(label, "", f"not valid UTF-8 ({exc.reason} at byte {exc.start})")]


def read_yaml(path: Path, label: str) -> tuple[object, list[RuleError]]:
    """Return the parsed document, or None and the errors that stopped it."""
    text, errors = read_text(path, label)
    if text is None:
        return None, errors
    return parse_yaml(text, label)


def parse_yaml(text: str, label: str) -> tuple[object, list[RuleError]]:
    try:
        root = _compose(text)
        if root is None:
            return None, []
        return _Constructor().construct_document(root), []
    except _Refused as refused:
        return None, [RuleError(label, refused.where, refused.message)]
    except yaml.YAMLError as exc:
        return None, [_yaml_error(label, exc, text)]
    except UnicodeEncodeError as exc:  # text that did not come from a file: a lone surrogate
        return None, [RuleError(label, _line_column(text[: exc.start]), "not valid UTF-8 text")]
    except (ValueError, TypeError, AttributeError, OverflowError):
        pass
    try:
        _MarkingConstructor().construct_document(_compose(text))
    except yaml.YAMLError as exc:
        return None, [_yaml_error(label, exc, text)]
    return None, [RuleError(label, "", "YAML error: a value cannot be read")]  # not reached: same input


def _compose(text: str) -> Node | None:
    """The document's node tree, as yaml's Composer builds it, or None for an empty document."""
    resolve: Callable[[type[Node], str | None, Any], str] = _Constructor().resolve
    root: Node | None = None
    open_nodes: list[tuple[Node, list[Node]]] = []  # a collection being read, and a mapping key read
    # Any: the C parser's events and marks are not the classes the type stubs describe.
    events = cast(Iterator[Any], yaml.parse(text, Loader=_Parser))
    for event in events:
        kind = type(event)
        if kind is ScalarEvent:
            _refuse_anchor(event)
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolve(ScalarNode, event.value, event.implicit)
            node: Node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            _refuse_anchor(event)
            if len(open_nodes) >= MAX_DEPTH:
                raise _Refused(_where(event.start_mark), f"nested more than {MAX_DEPTH} levels deep")
            node_class = MappingNode if kind is MappingStartEvent else SequenceNode
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolve(node_class, None, event.implicit)
            collection = node_class(tag, [], event.start_mark, None, flow_style=event.flow_style)
            open_nodes.append((collection, []))
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            node = open_nodes.pop()[0]
            node.end_mark = event.end_mark
        elif kind is AliasEvent:
            raise _Refused("", ALIASES_REFUSED)
        elif kind is DocumentStartEvent and root is not None:
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                root.start_mark,
                "but found another document",
                event.start_mark,
            )
        else:
            continue
        if not open_nodes:
            root = node
            continue
        parent, key = open_nodes[-1]
        if type(parent) is SequenceNode:
            parent.value.append(node)
        elif not key:
            key.append(node)
        else:
            parent.value.append((key.pop(), node))
    return root


def _refuse_anchor(event: Any) -> None:
    # An anchor is refused with its aliases: "billion laughs" documents are made of them.
    if event.anchor is not None:
        raise _Refused("", ALIASES_REFUSED)


def _yaml_error(label: str, exc: yaml.YAMLError, text: str) -> RuleError:
    if isinstance(exc, yaml.reader.ReaderError):
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        return RuleError(label, _position(text, exc.position), f"YAML error: character #x{char:04x}: {exc.reason}")
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).partition("\n")[0]
    context = getattr(exc, "context", None)  # e.g. "while parsing a flow sequence"
    return RuleError(label, _where(mark), f"YAML error: {context}; {problem}" if context else f"YAML error: {problem}")


def _position(text: str, offset: int) -> str:
    """Line and column of a reader error's offset: libyaml counts bytes of the UTF-8 text, the
    pure-Python reader counts characters."""
    if _Parser is not yaml.SafeLoader:
        return _line_column(text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "replace"))
    return _line_column(text[:offset])


def _line_column(before: str) -> str:
    lines = before.split("\n")
    return f"line {len(lines)}, column {len(lines[-1]) + 1}"


def _where(mark: object) -> str:
    """A mark of the C or the pure-Python parser, or None."""
    line, column = getattr(mark, "line", None), getattr(mark, "column", None)
    return f"line {line + 1}, column {column + 1}" if line is not None and column is not None else ""


def too_deep(data: object, limit: int = MAX_DEPTH) -> bool:
    """Whether parsed data (e.g. from JSON) nests lists and mappings more than limit levels deep."""
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: list[object] = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
