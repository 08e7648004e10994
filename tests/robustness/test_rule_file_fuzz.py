"""Whatever a rule file holds, loading it gives a valid checklist or a list of errors, each naming the
file, the place inside it and what is wrong; never another exception, a crash or a hang.

Jana Petersen keeps the WhatsApp check of her Handwerkskammer up to date in checklists/. She edits by
hand, copies blocks around, saves half-typed files, pastes from a word processor. The mutated copies
of the real checklist here come from Hypothesis: keys deleted, duplicated and renamed, values of the
wrong type (lists, mappings, numbers, null, booleans, 30 000-character strings, deep nesting), ids
that point nowhere, conditions turned into garbage, files cut at a random byte, random and invalid
UTF-8 bytes, tabs, duplicate keys, merge keys, YAML tags, anchors and aliases. Hostile files are
tried one by one: alias bombs, 10 000 and 500 000 levels of nesting, a 20 MB file.

Every load runs under a hang guard: it must return within a generous bound (not a timing check).
The engine needs no database.
"""

from __future__ import annotations

import copy
import datetime
import multiprocessing
import re
import resource
import shutil
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
import yaml
from hypothesis import event, given
from hypothesis import strategies as st

from compliance_wizard.engine import ChecklistError, RuleError, load_checklist
from tests.conftest import RULES

FOLDER = RULES / "whatsapp-business"
FILES = sorted(p.name for p in FOLDER.glob("*.yaml"))
TEXTS = {name: (FOLDER / name).read_bytes() for name in FILES}
DATA = {name: yaml.safe_load(content) for name, content in TEXTS.items()}
HANG_GUARD_SECONDS = 5
CHILD_MEMORY_BYTES = 1024**3
T = TypeVar("T")
# A message quotes at most a short part of a value; the longest path of the real files is about 60 characters.
MAX_ERROR_LENGTH = 600


# -- running a load ----------------------------------------------------------------------------------


def within(seconds: float, call: Callable[[], T]) -> T:
    """The call's result, computed in a forked child that must finish within `seconds`.

    A child rather than a thread, so that a runaway (a bomb being expanded) is killed rather than left
    eating the machine; its memory is capped for the same reason. The result must pickle.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def run() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (_memory_in_use() + CHILD_MEMORY_BYTES, resource.RLIM_INFINITY))
        try:
            outcome: tuple[str, object] = ("value", call())
        except BaseException:  # handed to the test, which fails with it
            outcome = ("raised", traceback.format_exc())
        sender.send(outcome)

    child = context.Process(target=run, daemon=True)
    child.start()
    try:
        finished = receiver.poll(seconds)
        if not finished:
            pytest.fail(f"did not return within {seconds} s")
        kind, value = receiver.recv()
    finally:
        child.kill()
        child.join()
    if kind == "raised":
        pytest.fail(f"raised an exception of its own:\n{value}")
    return value


def _memory_in_use() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _load(folder: Path) -> str | list[RuleError]:
    """The checklist's id or its errors; any other exception is the test's failure."""
    try:
        return load_checklist(folder).id
    except ChecklistError as error:
        return error.errors


def load_folder(changed: dict[str, bytes]) -> str | list[RuleError]:
    """Load a copy of the real checklist folder with some files replaced."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "whatsapp-business"
        folder.mkdir()
        for name in FILES:
            (folder / name).write_bytes(changed.get(name, TEXTS[name]))
        return within(HANG_GUARD_SECONDS, lambda: _load(folder))


def assert_well_reported(errors: list[RuleError]) -> None:
    """Every error names a file of the checklist, says what is wrong, and stays readable."""
    assert errors, "a ChecklistError without errors"
    for error in errors:
        assert Path(error.file).name in FILES or Path(error.file).name == FOLDER.name, error
        assert isinstance(error.path, str)
        assert error.message.strip(), error
        assert len(str(error)) <= MAX_ERROR_LENGTH, str(error)[:200]


def errors_of(changed: dict[str, bytes]) -> list[RuleError]:
    outcome = load_folder(changed)
    assert isinstance(outcome, list), "the hostile file was accepted"
    assert_well_reported(outcome)
    return outcome


# -- structural mutations: the data is changed, then written as YAML again -------------------------------

KEYS = sorted(
    {"id", "type", "text", "help", "options", "show_if", "met_if", "applies_if", "title", "questions", "severity"}
)
CONDITION_KEYS = ["all", "any", "not", "question", "equals", "one_of", "answered"]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.dates(),
    st.text(max_size=20),
    st.sampled_from(["", "   ", "yes", "no", "unknown", "{business_name}", "{oops}", "a\x00b"]),
    st.sampled_from([30_000]).map(lambda n: "x" * n),  # built, not listed: Hypothesis prints its strategies
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner),
    max_leaves=8,
)
GARBAGE_CONDITIONS = st.recursive(
    SCALARS | st.sampled_from(["app_variant", "business_app", "no_such_question"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(CONDITION_KEYS) | st.text(max_size=5), inner)
    ),
    max_leaves=10,
)


def nested(levels: int) -> object:
    value: object = "deep"
    for level in range(levels):
        value = [value] if level % 2 else {"question": value}
    return value


OTHER_VALUES = st.one_of(VALUES, st.sampled_from([nested(30), nested(100)]))
NEW_NAMES = st.one_of(
    st.sampled_from(KEYS + CONDITION_KEYS),
    st.text(max_size=12),
    st.integers(),
    st.booleans(),
    st.none(),
    st.just("k" * 5_000),
)


def near_miss(name: object) -> list[object]:
    text = str(name)
    return [text[:-1], text.upper(), text + "s", " " + text, text.replace("_", "-")]


@st.composite
def places(draw: st.DrawFn, data: object) -> tuple[dict | list, object]:
    """A container somewhere in the data and a key or index inside it, mostly deep down."""
    node = data
    while True:
        assert isinstance(node, (dict, list))
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        key = draw(st.sampled_from(keys))
        child = node[key]
        if isinstance(child, (dict, list)) and child and draw(st.integers(0, 3)) > 0:
            node = child
            continue
        return node, key


def mutate(draw: st.DrawFn, data: dict) -> None:
    node, key = draw(places(data))
    operation = draw(
        st.sampled_from(["delete", "duplicate", "rename", "retype", "dangling", "condition", "swap-with-sibling"])
    )
    if operation == "delete":
        del node[key]
    elif operation == "duplicate":
        if isinstance(node, list):
            node.insert(key, copy.deepcopy(node[key]))  # the copy has the same id
        else:
            node[draw(NEW_NAMES)] = copy.deepcopy(node[key])
    elif operation == "rename" and isinstance(node, dict):
        node[draw(st.sampled_from(near_miss(key)) | NEW_NAMES)] = node.pop(key)
    elif operation == "dangling":
        node[key] = draw(st.sampled_from(["no-such-id", "no_such_question", "Grossbuchstaben", "x" * 80]))
    elif operation == "condition":
        target = node if isinstance(node, dict) else {}
        target[draw(st.sampled_from(["show_if", "met_if", "applies_if"]))] = draw(GARBAGE_CONDITIONS)
    elif operation == "swap-with-sibling":
        siblings = list(node) if isinstance(node, dict) else list(range(len(node)))
        other = draw(st.sampled_from(siblings))
        node[key], node[other] = node[other], node[key]
    else:
        node[key] = draw(OTHER_VALUES)


@st.composite
def structurally_mutated(draw: st.DrawFn) -> dict[str, bytes]:
    name = draw(st.sampled_from(FILES))
    data = copy.deepcopy(DATA[name])
    for _ in range(draw(st.integers(1, 3))):
        if not data:
            break
        mutate(draw, data)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return {name: text.encode("utf-8")}


# -- textual mutations: the bytes of the file are changed ----------------------------------------------

VALUE_LINE = re.compile(rb"^(\s*(?:- )?[a-z_]+: )(\S.*)$", re.MULTILINE)
TAGS = [
    b"!!python/object:os.system ",
    b"!!python/object/apply:os.system ",
    b"!!python/name:os.system ",
    b"!!binary ",
    b"!foo ",
    b"!!int ",
    b"!!float ",
    b"!!timestamp ",
    b"!!map ",
    b"!!seq ",
    b"!!set ",
    b"!<tag:example.org,2025:x> ",
]


def cut(draw: st.DrawFn, content: bytes) -> bytes:
    return content[: draw(st.integers(0, len(content)))]


def insert_bytes(draw: st.DrawFn, content: bytes) -> bytes:
    at = draw(st.integers(0, len(content)))
    noise = draw(
        st.binary(min_size=1, max_size=12) | st.sampled_from([b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\x00"])
    )
    return content[:at] + noise + content[at:]


def tabs(draw: st.DrawFn, content: bytes) -> bytes:
    lines = content.split(b"\n")
    index = draw(st.integers(0, len(lines) - 1))
    lines[index] = b"\t" + lines[index].lstrip(b" ")
    return b"\n".join(lines)


def duplicate_line(draw: st.DrawFn, content: bytes) -> bytes:
    lines = content.split(b"\n")
    index = draw(st.integers(0, len(lines) - 1))
    lines.insert(index, lines[index])  # a key line twice is a duplicate key
    return b"\n".join(lines)


def value_lines(content: bytes) -> list[re.Match[bytes]]:
    return list(VALUE_LINE.finditer(content))


def replace_value(draw: st.DrawFn, content: bytes, new: Callable[[bytes], bytes]) -> bytes:
    match = draw(st.sampled_from(value_lines(content)))
    return content[: match.start(2)] + new(match.group(2)) + content[match.end(2) :]


def tag(draw: st.DrawFn, content: bytes) -> bytes:
    prefix = draw(st.sampled_from(TAGS))
    return replace_value(draw, content, lambda value: prefix + value)


def merge_key(draw: st.DrawFn, content: bytes) -> bytes:
    match = draw(st.sampled_from(value_lines(content)))
    indent = re.match(rb"\s*(- )?", match.group(1))
    assert indent is not None
    spaces = b" " * len(indent.group(0))
    merged = draw(st.sampled_from([b"{id: merged}", b"{}", b"[{a: 1}, {b: 2}]", b"1", b"{<<: {x: 1}}"]))
    line = spaces + b"<<: " + merged + b"\n"
    start = content.rfind(b"\n", 0, match.start()) + 1
    return content[:start] + line + content[start:]


def anchor_and_alias(draw: st.DrawFn, content: bytes) -> bytes:
    content = replace_value(draw, content, lambda value: b"&shared " + value)
    return replace_value(draw, content, lambda value: b"*shared")


def deep_value(draw: st.DrawFn, content: bytes) -> bytes:
    levels = draw(st.sampled_from([65, 1_000, 10_000]))
    shape = draw(st.sampled_from([(b"[", b"]"), (b"{a: ", b"}")]))
    return replace_value(draw, content, lambda value: shape[0] * levels + value + shape[1] * levels)


def garbage_condition(draw: st.DrawFn, content: bytes) -> bytes:
    conditions = [m for m in value_lines(content) if re.search(rb"(show_if|met_if|applies_if): $", m.group(1))]
    if not conditions:
        return content
    match = draw(st.sampled_from(conditions))
    garbage = draw(
        st.sampled_from([b"{question: }", b"{all: }", b"{not: [[[]]]}", b"yes", b"{any: [{}]}", b"{{}}", b"]["])
        | st.binary(max_size=20)
    )
    return content[: match.start(2)] + garbage + content[match.end(2) :]


TEXT_MUTATIONS = [
    cut,
    insert_bytes,
    tabs,
    duplicate_line,
    tag,
    merge_key,
    anchor_and_alias,
    deep_value,
    garbage_condition,
]


@st.composite
def textually_mutated(draw: st.DrawFn) -> dict[str, bytes]:
    name = draw(st.sampled_from(FILES))
    content = TEXTS[name]
    for mutation in draw(st.lists(st.sampled_from(TEXT_MUTATIONS), min_size=1, max_size=3)):
        if content:
            content = mutation(draw, content) if value_lines(content) or mutation in (cut, insert_bytes) else content
    return {name: content}


# -- the promises --------------------------------------------------------------------------------------


def test_the_real_checklist_loads_from_its_copy():
    assert load_folder({}) == "whatsapp-business"


def assert_loads_or_is_well_reported(changed) -> None:
    outcome = load_folder(changed)
    event("errors" if isinstance(outcome, list) else "valid")
    if isinstance(outcome, list):
        assert_well_reported(outcome)


@given(structurally_mutated())
def test_changed_data_gives_a_checklist_or_well_placed_errors(changed):
    assert_loads_or_is_well_reported(changed)


@given(textually_mutated())
def test_changed_bytes_give_a_checklist_or_well_placed_errors(changed):
    assert_loads_or_is_well_reported(changed)


def billion_laughs() -> bytes:
    lines = ["lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 10) + "]" for i in range(1, 12)]
    return ("\n".join(lines) + "\ntemplates: *lol11\n").encode()


def merge_bomb() -> bytes:
    # No list is ever shared, but each merge doubles the keys the next one copies: 2**40 pairs.
    lines = ["m0: &m0 {a: 1}"] + [f"m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}]}}" for i in range(1, 41)]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("bomb", [billion_laughs(), merge_bomb()], ids=["billion-laughs", "merge-keys"])
def test_an_alias_bomb_is_refused_with_a_clear_error(bomb):
    errors = errors_of({"templates.yaml": bomb})
    assert [(Path(e.file).name, e.message) for e in errors] == [
        ("templates.yaml", "YAML anchors and aliases (&name, *name) are not allowed")
    ]


@pytest.mark.parametrize(
    ("document", "where"),
    [
        (b"[" * 10_000 + b"]" * 10_000, "line 1, column 65"),
        (b"{a: " * 10_000 + b"1" + b"}" * 10_000, "line 1, column 257"),
        (b"- " * 10_000 + b"x", "line 1, column 129"),
        (b"".join(b" " * level + b"k:\n" for level in range(1_000)) + b" " * 1_000 + b"x", "line 65, column 65"),
        # Deep enough to overflow a recursive parser's C stack and kill the process.
        (b"[" * 500_000 + b"]" * 500_000, "line 1, column 65"),
    ],
    ids=["flow-lists", "flow-mappings", "block-lists", "indented-mappings", "half-a-million"],
)
def test_very_deep_nesting_is_refused_where_it_goes_too_deep(document, where):
    errors = errors_of({"templates.yaml": document})
    assert [(Path(e.file).name, e.path, e.message) for e in errors] == [
        ("templates.yaml", where, "nested more than 64 levels deep")
    ]


def test_a_huge_file_is_refused_by_its_size_without_being_parsed():
    # Valid YAML at the start and a syntax error far behind the limit: only the size may be reported.
    huge = b"requirements: []\n" + b"# padding\n" * 2_000_000 + b"]["
    errors = errors_of({"requirements-records.yaml": huge})
    assert [(Path(e.file).name, e.message) for e in errors] == [
        ("requirements-records.yaml", "file is larger than the limit of 2000000 bytes")
    ]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (b"!!python/object/apply:os.mkdir ['/tmp/should-not-exist']", "could not determine a constructor"),
        (b"!foo bar", "could not determine a constructor for the tag '!foo'"),
        (b"!!binary '%%%'", "must be a non-empty text"),
        (b"!!int twelve", "cannot read this value"),
        (b"!!timestamp next-week", "cannot read this value"),
        (b"9" * 5_000, "cannot read this value"),
    ],
    ids=["python-object", "custom-tag", "binary", "bad-int", "bad-timestamp", "5000-digit-number"],
)
def test_a_yaml_tag_or_unreadable_value_is_named_with_its_place(value, fragment):
    text = TEXTS["checklist.yaml"].replace(b'version: "1.2.0"', b"version: " + value)
    errors = errors_of({"checklist.yaml": text})
    line = TEXTS["checklist.yaml"][: TEXTS["checklist.yaml"].index(b"version:")].count(b"\n") + 1
    assert any(fragment in e.message and (e.path in (f"line {line}, column 10", "version")) for e in errors), errors
    assert not Path("/tmp/should-not-exist").exists()


def test_invalid_utf8_names_the_byte():
    content = TEXTS["templates.yaml"]
    errors = errors_of({"templates.yaml": content[:100] + b"\xff" + content[100:]})
    assert [(Path(e.file).name, e.message) for e in errors] == [
        ("templates.yaml", "not valid UTF-8 (invalid start byte at byte 100)")
    ]


def test_a_nul_character_written_as_an_escape_is_refused_in_a_text():
    text = TEXTS["checklist.yaml"].replace(b'de: "WhatsApp im Betrieb', b'de: "\\0WhatsApp im Betrieb', 1)
    errors = errors_of({"checklist.yaml": text})
    assert [(e.path, e.message) for e in errors] == [("title.de", "contains the control character #x0000; remove it")]


def test_a_dangling_reference_is_named_where_it_is_used():
    data = copy.deepcopy(DATA["requirements-contact.yaml"])
    data["requirements"][0]["sources"] = ["no-such-source", ["a", "list"]]
    errors = errors_of({"requirements-contact.yaml": yaml.safe_dump(data, allow_unicode=True).encode()})
    assert [(e.path, e.message) for e in errors] == [
        ("requirements[0].sources[0]", "unknown source 'no-such-source'"),
        ("requirements[0].sources[1]", "unknown source '['a', 'list']'"),
    ]


def test_a_30000_character_key_is_quoted_short():
    data = copy.deepcopy(DATA["checklist.yaml"])
    data["k" * 30_000] = 1
    errors = errors_of({"checklist.yaml": yaml.safe_dump(data, allow_unicode=True).encode()})
    assert [e.message for e in errors] == [
        f"unknown key '{'k' * 57}...' (allowed: id, version, languages, title, "
        "summary, sources, steps, requirements, templates, notes, sector_question, changelog, documents, details, "
        "authorities)"
    ]


def test_a_folder_in_place_of_a_rule_file_is_named(tmp_path):
    folder = tmp_path / "whatsapp-business"
    shutil.copytree(FOLDER, folder)
    (folder / "templates.yaml").unlink()
    (folder / "templates.yaml").mkdir()
    with pytest.raises(ChecklistError) as info:
        load_checklist(folder)
    assert [(Path(e.file).name, e.message) for e in info.value.errors] == [("templates.yaml", "is not a regular file")]


def test_a_date_where_a_text_belongs_is_named():
    data = copy.deepcopy(DATA["checklist.yaml"])
    data["version"] = datetime.date(2025, 3, 1)
    errors = errors_of({"checklist.yaml": yaml.safe_dump(data, allow_unicode=True).encode()})
    assert [(e.path, e.message) for e in errors] == [("version", "must be a non-empty text")]
