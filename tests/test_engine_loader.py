"""Rule files are validated on load; every error names the file, the path inside it and what is wrong."""

import copy
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from compliance_wizard.engine import ChecklistError, load_checklist, load_checklists
from compliance_wizard.engine.yamlfile import parse_yaml
from tests.conftest import FIXTURES, ROOT, RULES

VALID = yaml.safe_load((FIXTURES / "checklists" / "website-basics.yaml").read_text(encoding="utf-8"))


def write(tmp_path: Path, data, name="rules.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def errors_for(tmp_path, mutate=None, text=None):
    data = copy.deepcopy(VALID)
    if mutate:
        mutate(data)
    path = write(tmp_path, text if text is not None else data)
    with pytest.raises(ChecklistError) as info:
        load_checklist(path)
    return [(e.file, e.path, e.message) for e in info.value.errors]


def assert_error(errors, path, fragment):
    assert any(p == path and fragment in m for _, p, m in errors), errors


def test_the_fixture_itself_is_valid(tmp_path):
    checklist = load_checklist(write(tmp_path, VALID))
    assert checklist.id == "website-basics"
    assert [s.id for s in checklist.steps] == ["basics", "details", "mail"]


def test_errors_name_the_file(tmp_path):
    errors = errors_for(tmp_path, lambda d: d.pop("title"))
    assert errors[0][0].endswith("rules.yaml")
    assert_error(errors, "", "missing key 'title'")


def test_unknown_keys_are_rejected_with_a_suggestion(tmp_path):
    errors = errors_for(tmp_path, lambda d: d["requirements"][0].update(severty="high"))
    assert_error(errors, "requirements[0].severty", "did you mean 'severity'")


def test_unknown_top_level_key(tmp_path):
    errors = errors_for(tmp_path, lambda d: d.update(extra=1))
    assert_error(errors, "extra", "unknown key 'extra'")


@pytest.mark.parametrize(
    ("mutate", "path", "fragment"),
    [
        (
            lambda d: d["requirements"].append(copy.deepcopy(d["requirements"][0])),
            "requirements[4].id",
            "duplicate requirement id 'imprint'",
        ),
        (
            lambda d: d["steps"][1]["questions"].append(copy.deepcopy(d["steps"][0]["questions"][0])),
            "steps[1].questions[2].id",
            "duplicate question id 'has_site'",
        ),
        (
            lambda d: d["steps"].append(
                copy.deepcopy(d["steps"][2])
                | {
                    "questions": [
                        {
                            "id": "other",
                            "type": "yes_no",
                            "text": {"de": "x", "en": "x"},
                            "help": {"de": "x", "en": "x"},
                        }
                    ]
                }
            ),
            "steps[3].id",
            "duplicate step id 'mail'",
        ),
        (
            lambda d: d["steps"][0]["questions"][1]["options"].append({"id": "shop", "label": {"de": "x", "en": "x"}}),
            "steps[0].questions[1].options[3].id",
            "duplicate option id 'shop'",
        ),
        (lambda d: d["templates"].append(copy.deepcopy(d["templates"][0])), "templates[1].id", "duplicate template id"),
        (lambda d: d["notes"][0].update(id="imprint"), "notes[0].id", "duplicate requirement or note id 'imprint'"),
    ],
)
def test_duplicate_ids(tmp_path, mutate, path, fragment):
    assert_error(errors_for(tmp_path, mutate), path, fragment)


@pytest.mark.parametrize(
    ("mutate", "path", "fragment"),
    [
        (
            lambda d: d["requirements"][0].update(met_if={"question": "imprnt", "equals": "yes"}),
            "requirements[0].met_if.question",
            "unknown question 'imprnt'",
        ),
        (
            lambda d: d["requirements"][0].update(met_if={"question": "site_kind", "equals": "blog"}),
            "requirements[0].met_if.equals",
            "'blog' is not an option of question 'site_kind'",
        ),
        (
            lambda d: d["requirements"][0].update(sources=["nowhere"]),
            "requirements[0].sources[0]",
            "unknown source 'nowhere'",
        ),
        (
            lambda d: d["requirements"][0].update(templates=["missing"]),
            "requirements[0].templates[0]",
            "unknown template 'missing'",
        ),
        (
            lambda d: d["steps"][0].update(show_if={"question": "newsletter_optin", "equals": "yes"}),
            "steps[0].show_if.question",
            "asked here or later",
        ),
        (
            lambda d: d["steps"][0]["questions"][0].update(show_if={"question": "site_kind", "equals": "shop"}),
            "steps[0].questions[0].show_if.question",
            "asked here or later",
        ),
    ],
)
def test_dangling_references(tmp_path, mutate, path, fragment):
    assert_error(errors_for(tmp_path, mutate), path, fragment)


@pytest.mark.parametrize(
    ("mutate", "path", "fragment"),
    [
        (lambda d: d["requirements"][0]["title"].pop("en"), "requirements[0].title", "missing translation 'en'"),
        (
            lambda d: d["steps"][0]["questions"][0]["help"].update(fr="Aide"),
            "steps[0].questions[0].help.fr",
            "not a language of this checklist",
        ),
        (
            lambda d: d["requirements"][0]["remediation"][0].update(de=""),
            "requirements[0].remediation[0].de",
            "non-empty text",
        ),
        (lambda d: d.update(languages=["de", "fr"]), "languages", "unsupported language"),
        (lambda d: d["requirements"][0].update(why="Nur Deutsch"), "requirements[0].why", "every language"),
    ],
)
def test_missing_or_wrong_translations(tmp_path, mutate, path, fragment):
    assert_error(errors_for(tmp_path, mutate), path, fragment)


@pytest.mark.parametrize(
    ("mutate", "path", "fragment"),
    [
        (lambda d: d["requirements"][0].update(severity="fatal"), "requirements[0].severity", "'fatal' is not one of"),
        (lambda d: d.update(version=1.0), "version", "put it in quotes"),
        (lambda d: d["requirements"][0].update(norms=[]), "requirements[0].norms", "non-empty list"),
        (
            lambda d: d["requirements"][0].update(remediation="Just do it"),
            "requirements[0].remediation",
            "list of texts",
        ),
        (lambda d: d["requirements"][0].update(id="Bad Id"), "requirements[0].id", "not a valid id"),
        (lambda d: d["steps"][0]["questions"][0].update(id="has-site"), "steps[0].questions[0].id", "not a valid id"),
        (
            lambda d: d["steps"][0]["questions"][0].update(type="slider"),
            "steps[0].questions[0].type",
            "not a question type",
        ),
        (lambda d: d["steps"][0]["questions"][0].update(options=[]), "steps[0].questions[0].options", "fixed options"),
        (lambda d: d["steps"][0]["questions"][1]["options"].pop(), "steps[0].questions[1].options", "don't know"),
        (
            lambda d: d["steps"][0]["questions"][1].update(
                options=[{"id": "unknown", "label": {"de": "x", "en": "x"}}]
            ),
            "steps[0].questions[1].options",
            "at least two",
        ),
        (lambda d: d["steps"][0].update(questions=[]), "steps[0].questions", "non-empty list"),
        (lambda d: d["steps"][0].pop("title"), "steps[0]", "missing key 'title'"),
        (
            lambda d: d["templates"][0]["text"].update(de="Hallo {kunde}"),
            "templates[0].text.de",
            "unknown placeholder '{kunde}'",
        ),
        (lambda d: d.update(steps="basics"), "steps", "non-empty list"),
        # The next step is one sentence for a phone screen; both kinds of open finding need one.
        (lambda d: d["requirements"][0].pop("next_step"), "requirements[0]", "missing key 'next_step'"),
        (lambda d: d["requirements"][0]["next_step"].pop("to_clarify"), "requirements[0].next_step", "missing key"),
        (
            lambda d: d["requirements"][0]["next_step"]["gap"].update(de="Tun Sie das. " * 20),
            "requirements[0].next_step.gap.de",
            "longer than 160 characters",
        ),
        (
            lambda d: d["requirements"][0]["next_step"].update(first="x"),
            "requirements[0].next_step.first",
            "unknown key 'first'",
        ),
        # The verdict must be defensible: every severity has its reason and every item its review date.
        (lambda d: d["requirements"][0].pop("severity_reason"), "requirements[0]", "missing key 'severity_reason'"),
        (lambda d: d["requirements"][0].pop("reviewed"), "requirements[0]", "missing key 'reviewed'"),
        (lambda d: d["requirements"][0].update(reviewed="last week"), "requirements[0].reviewed", "is not a date"),
        (lambda d: d["requirements"][0].update(reviewed="2999-01-01"), "requirements[0].reviewed", "in the future"),
        (lambda d: d["notes"][0].pop("note_reason"), "notes[0]", "missing key 'note_reason'"),
        (lambda d: d["notes"][0].update(lowers_risk=[]), "notes[0].lowers_risk", "non-empty list"),
        (lambda d: d["requirements"][1].update(severity="info"), "requirements[1].severity", "is a note"),
        (
            lambda d: d["requirements"][0].update(norms=["§ 5 DDG"]),
            "requirements[0].norms[0]",
            "every language",
        ),
        (
            lambda d: d["requirements"][0].update(clarify_if=[{"if": {"question": "imprint", "equals": "no"}}]),
            "requirements[0].clarify_if[0]",
            "missing key 'reason'",
        ),
        (
            lambda d: d["templates"][0].update(parts=[{"text": {"de": "x", "en": "x"}}]),
            "templates[0]",
            "either 'text' or 'parts'",
        ),
        (
            lambda d: (
                d["templates"][0].pop("text")
                and d["templates"][0].update(
                    parts=[{"if": {"question": "imprnt", "equals": "yes"}, "text": {"de": "x", "en": "x"}}]
                )
            ),
            "templates[0].parts[0].if.question",
            "unknown question 'imprnt'",
        ),
        (lambda d: d.update(sector_question="newsletter_optin"), "sector_question", "not a question of the first step"),
        (lambda d: d.update(sector_question="has_site"), "sector_question", "must be a choice question"),
        (lambda d: d["steps"][2].update(id="done"), "steps[2].id", "reserved for the page that submits a check"),
    ],
)
def test_schema_errors(tmp_path, mutate, path, fragment):
    assert_error(errors_for(tmp_path, mutate), path, fragment)


def test_all_errors_are_reported_at_once(tmp_path):
    def break_many(d):
        d["requirements"][0]["severity"] = "fatal"
        d["requirements"][1]["met_if"] = {"question": "ghost", "equals": "yes"}
        d["steps"][0]["questions"][0]["text"].pop("de")

    errors = errors_for(tmp_path, break_many)
    assert_error(errors, "requirements[0].severity", "fatal")
    assert_error(errors, "requirements[1].met_if.question", "ghost")
    assert_error(errors, "steps[0].questions[0].text", "missing translation 'de'")


def test_yaml_syntax_error_names_line_and_column(tmp_path):
    errors = errors_for(tmp_path, text="id: x\ntitle: {de: 'unclosed\n")
    assert errors[0][1].startswith("line ")
    assert "YAML error" in errors[0][2]


def test_python_object_tags_are_refused(tmp_path):
    marker = tmp_path / "created"
    text = f"id: !!python/object/apply:os.mkdir ['{marker}']\n"
    errors = errors_for(tmp_path, text=text)
    assert "YAML error" in errors[0][2]
    assert not marker.exists()


def test_alias_bombs_are_refused_quickly(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    started = time.perf_counter()
    errors = errors_for(tmp_path, text="\n".join(lines) + "\n")
    assert "aliases" in errors[0][2]
    assert time.perf_counter() - started < 5  # a generous bound: expanding it would never finish


def test_a_file_that_is_not_a_mapping(tmp_path):
    errors = errors_for(tmp_path, text="- just\n- a list\n")
    assert "must hold a mapping" in errors[0][2]


def test_invalid_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: Müller\n".encode("latin-1"))
    with pytest.raises(ChecklistError) as info:
        load_checklist(path)
    assert "UTF-8" in info.value.errors[0].message


class TestFolderChecklists:
    def split(self, tmp_path):
        folder = tmp_path / "website"
        folder.mkdir()
        main = {k: v for k, v in VALID.items() if k not in ("requirements", "templates")}
        write(folder, main, "checklist.yaml")
        write(folder, {"requirements": VALID["requirements"][:2]}, "requirements-a.yaml")
        write(
            folder, {"requirements": VALID["requirements"][2:], "templates": VALID["templates"]}, "requirements-b.yaml"
        )
        return folder

    def test_lists_spread_over_files_are_joined(self, tmp_path):
        checklist = load_checklist(self.split(tmp_path))
        assert [r.id for r in checklist.requirements] == [r["id"] for r in VALID["requirements"]]

    def test_errors_name_the_file_the_item_came_from(self, tmp_path):
        folder = self.split(tmp_path)
        write(folder, {"requirements": [VALID["requirements"][0] | {"severity": "fatal"}]}, "requirements-a.yaml")
        with pytest.raises(ChecklistError) as info:
            load_checklist(folder)
        (error,) = info.value.errors
        assert error.file.endswith("requirements-a.yaml")
        assert error.path == "requirements[0].severity"

    def test_a_key_set_in_two_files(self, tmp_path):
        folder = self.split(tmp_path)
        write(folder, {"title": {"de": "x", "en": "x"}}, "zz-extra.yaml")
        with pytest.raises(ChecklistError) as info:
            load_checklist(folder)
        assert "already set in" in info.value.errors[0].message

    def test_a_folder_needs_checklist_yaml(self, tmp_path):
        with pytest.raises(ChecklistError) as info:
            load_checklist(tmp_path)
        assert "checklist.yaml" in info.value.errors[0].message


def test_two_checklists_with_one_id(tmp_path):
    first = write(tmp_path, VALID, "a.yaml")
    second = write(tmp_path, VALID, "b.yaml")
    checklists, errors = load_checklists([first, second])
    assert len(checklists) == 1
    assert "already used" in errors[0].message


class TestContentHash:
    def test_comments_and_layout_do_not_change_the_hash(self, tmp_path):
        a = load_checklist(write(tmp_path, VALID, "a.yaml"))
        text = "# a comment\n" + yaml.safe_dump(VALID, default_flow_style=True, allow_unicode=True)
        b = load_checklist(write(tmp_path, text, "b.yaml"))
        assert a.content_hash == b.content_hash

    def test_a_changed_rule_changes_the_hash(self, tmp_path):
        changed = copy.deepcopy(VALID)
        changed["requirements"][0]["severity"] = "high"
        a = load_checklist(write(tmp_path, VALID, "a.yaml"))
        b = load_checklist(write(tmp_path, changed, "b.yaml"))
        assert a.content_hash != b.content_hash


def test_a_broken_question_is_reported_once_not_at_every_reference(tmp_path):
    errors = errors_for(tmp_path, lambda d: d["steps"][0]["questions"][0].update(type="slider"))
    assert [p for _, p, _ in errors] == ["steps[0].questions[0].type"]


class TestReadingYaml:
    """The fast reader (libyaml's events, composed here) gives exactly what yaml.safe_load gives."""

    @pytest.mark.parametrize(
        "path",
        sorted([*RULES.rglob("*.yaml"), *(ROOT / "examples").glob("*.yaml"), *FIXTURES.rglob("*.yaml")]),
        ids=lambda p: p.name,
    )
    def test_every_yaml_file_of_the_project_reads_as_safe_load_reads_it(self, path):
        text = path.read_text(encoding="utf-8")
        assert parse_yaml(text, path.name) == (yaml.safe_load(text), [])

    @given(
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.dates() | st.text(max_size=20),
            lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
            max_leaves=20,
        ),
        st.sampled_from([{}, {"default_flow_style": True}, {"default_style": '"'}, {"width": 20}]),
    )
    def test_any_document_without_anchors_reads_as_safe_load_reads_it(self, data, style):
        text = yaml.safe_dump(data, allow_unicode=True, **style)
        assert parse_yaml(text, "doc.yaml") == (yaml.safe_load(text), [])

    @pytest.mark.parametrize(
        "text",
        [
            "<<: {a: 1}\nb: 2\n",
            "a: !!binary aGk=\nb: !!set {x: null}\nc: !!omap [x: 1]\nd: 2025-03-01\ne: 0x1F\nf: .inf\ng: ~\n",
            "? complex key\n: value\n'quoted': \"double\\u00e4\"\nplain: yes\n",
            "--- only one document\n...\n",
            "",
        ],
        ids=["merge-key", "tags", "keys-and-quotes", "explicit-document", "empty"],
    )
    def test_yaml_features_read_as_safe_load_reads_them(self, text):
        assert parse_yaml(text, "doc.yaml") == (yaml.safe_load(text), [])

    @pytest.mark.parametrize(
        ("text", "where", "message"),
        [
            ("a: 1\n--- 2\n", "line 2, column 1", "expected a single document in the stream; but found another"),
            ("a: !!int twelve\n", "line 1, column 4", "cannot read this value (invalid literal for int()"),
            ("a:\n  b: \x07\n", "line 2, column 6", "character #x0007: control characters are not allowed"),
            ("a: [1, 2\n", "line 2, column 1", "did not find expected ',' or ']'"),
        ],
        ids=["two-documents", "bad-int", "control-character", "unclosed-list"],
    )
    def test_an_unreadable_document_is_named_with_line_and_column(self, text, where, message):
        document, errors = parse_yaml(text, "doc.yaml")
        assert document is None
        assert [(e.path, message in e.message) for e in errors] == [(where, True)], errors
