"""A broken or hostile answers file is refused with every problem listed, and nothing half-done.

Two ways in, one promise. `manage.py assess FILE` exits with status 2 and prints each problem on its
own line, starting with the file's name and saying where in the file it is. The consultant
workspace's import answers with the form again, every problem listed above it, and stores nothing:
no check, no comment.

The files: malformed YAML and JSON, a list where a mapping belongs, values of the wrong type,
question and option ids that do not exist, 20 MB files, alias bombs, binary garbage, NUL bytes,
nesting 100 000 levels deep, numbers of 5 000 digits, and from Hypothesis, Malermeister Krause's
answers file with its keys and values replaced by hostile ones. Dana Schulz, an external data
protection officer, imports them for her client Malerbetrieb Krause. These tests run on SQLite and
on PostgreSQL, which refuses NUL in text.
"""

from __future__ import annotations

import html
import io
import json
import re
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import event, given, settings
from hypothesis import strategies as st

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.catalog import registry
from compliance_wizard.engine.conditions import as_option_id
from compliance_wizard.workspace.exchange import FORMAT, FORMAT_VERSION, parse_import
from compliance_wizard.workspace.models import FindingNote
from tests.robustness.hostile import NASTY_TEXT
from tests.robustness.test_rule_file_fuzz import billion_laughs, merge_bomb, within
from tests.workspace import MODEL_BUSINESS, add_client, answers_of

CHECKLIST = registry.get("whatsapp-business")
KRAUSE_ANSWERS = answers_of(MODEL_BUSINESS)
KRAUSE_FILE = {
    "checklist": "whatsapp-business",
    "language": "de",
    "business": {"name": "Malerbetrieb Krause", "website": "https://maler-krause.de"},
    "answers": KRAUSE_ANSWERS,
}
HANG_GUARD_SECONDS = 10


def yaml_bytes(document: object) -> bytes:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode("utf-8")


def json_bytes(document: object) -> bytes:
    return json.dumps(document, default=str).encode("utf-8")


# -- the hostile files, each with what a problem line must say --------------------------------------------

HOSTILE_FILES = {
    "malformed-yaml": ("yaml", b"checklist: whatsapp-business\nanswers: [app_variant\n", ["YAML error"]),
    "malformed-json": ("json", b'{"answers": {"app_variant": "business_app",', ["line 1, column", "JSON error"]),
    "yaml-list": ("yaml", b"- app_variant\n- business_app\n", ["must be a mapping"]),
    "json-list": ("json", b'["app_variant", "business_app"]', ["must be a mapping"]),
    "answers-a-list": (
        "yaml",
        yaml_bytes(KRAUSE_FILE | {"answers": list(KRAUSE_ANSWERS.items())}),
        ["answers must be a mapping"],
    ),
    "wrong-types": (
        "json",
        json_bytes(KRAUSE_FILE | {"checklist": ["whatsapp-business"], "language": 7, "business": "Krause"}),
        ["checklist: must be a checklist id", "language: '7' is not one of", "business: must be a mapping"],
    ),
    "unknown-ids": (
        "yaml",
        yaml_bytes(KRAUSE_FILE | {"answers": KRAUSE_ANSWERS | {"app_variant": "telegram", "colour": "blue"}}),
        ["'telegram' is not an answer to 'app_variant'", "unknown question 'colour'"],
    ),
    "huge-yaml": ("yaml", b"answers:\n" + b"  # padding\n" * 2_000_000, ["file is larger than the limit"]),
    "huge-json": ("json", b'{"answers": {}, "x": "' + b"x" * 20_000_000 + b'"}', ["file is larger than the limit"]),
    "billion-laughs": ("yaml", billion_laughs() + b"answers: *lol11\n", ["anchors and aliases"]),
    "merge-keys-bomb": ("yaml", merge_bomb() + b"answers: {}\n", ["anchors and aliases"]),
    "binary-garbage": ("yaml", bytes(range(256)) * 4, ["not valid UTF-8"]),
    "nul-byte-yaml": ("yaml", b"answers:\n  app_variant: business_app\x00\n", ["line 2, column 28", "#x0000"]),
    "nul-byte-json": ("json", b'{"answers": {"app_variant": "business\x00app"}}', ["Invalid control character"]),
    "nul-escape-in-name": (
        "json",
        json_bytes(KRAUSE_FILE | {"business": {"name": "Krause\x00", "website": "http://[::1"}}),
        ["business.name: contains a NUL character", "business.website: must be a web address"],
    ),
    "deep-json": ("json", b"[" * 100_000 + b"]" * 100_000, ["nested more than 64 levels deep"]),
    "deep-yaml": ("yaml", b"answers: " + b"[" * 100_000 + b"]" * 100_000, ["line 1, column 73", "nested more than"]),
    "5000-digits": ("json", b'{"answers": ' + b"9" * 5_000 + b"}", ["JSON error", "4300"]),
    "python-tag": (
        "yaml",
        b"answers: !!python/object/apply:os.system ['true']\n",
        ["could not determine a constructor"],
    ),
}


def assess_outcome(*paths: Path) -> tuple[int, str, str]:
    """Run `manage.py assess` as a user does: exit status, standard output, standard error (with the
    closing message). Any exception other than the command's own is the test's failure."""

    def run() -> tuple[int, str, str]:
        out, err = StringIO(), StringIO()
        try:
            call_command("assess", *map(str, paths), stdout=out, stderr=err)
        except CommandError as exc:
            return exc.returncode, out.getvalue(), err.getvalue() + f"{exc}\n"
        return 0, out.getvalue(), err.getvalue()

    return within(HANG_GUARD_SECONDS, run)


def assert_refused_with_every_problem_named(path: Path, status: int, stderr: str) -> list[str]:
    """Exit status 2; each problem line names the file; the last line counts them."""
    assert status == 2, stderr
    *problems, summary = stderr.strip().split("\n")
    assert problems, stderr
    for problem in problems:
        assert problem.startswith(f"{path}: "), problem
        assert len(problem) < 600, problem[:200]
    noun = "problem" if len(problems) == 1 else "problems"
    assert summary == f"{len(problems)} {noun} in {path}"
    return problems


class TestAssess:
    @pytest.mark.parametrize("name", HOSTILE_FILES)
    def test_a_hostile_file_exits_2_with_every_problem_named(self, tmp_path, name):
        suffix, content, fragments = HOSTILE_FILES[name]
        path = tmp_path / f"krause.{suffix}"
        path.write_bytes(content)
        status, out, err = assess_outcome(path)
        problems = assert_refused_with_every_problem_named(path, status, err)
        for fragment in fragments:
            assert any(fragment in p for p in problems), (fragment, problems)
        assert out == ""

    def test_an_exported_file_with_a_bad_envelope_and_bad_answers_lists_both(self, tmp_path):
        path = tmp_path / "export.json"
        export = KRAUSE_FILE | {"format": FORMAT, "format_version": 99, "answers": {"app_variant": "telegram"}}
        path.write_bytes(json_bytes(export))
        status, _, err = assess_outcome(path)
        problems = assert_refused_with_every_problem_named(path, status, err)
        assert any("format_version: version '99' cannot be read" in p for p in problems), problems
        assert any("'telegram' is not an answer to 'app_variant'" in p for p in problems), problems

    def test_in_a_batch_the_good_file_is_scored_and_the_hostile_one_named(self, tmp_path):
        good, bad = tmp_path / "krause.yaml", tmp_path / "bomb.yaml"
        good.write_bytes(yaml_bytes(KRAUSE_FILE))
        bad.write_bytes(billion_laughs())
        status, out, err = assess_outcome(good, bad)
        assert status == 2
        assert out.startswith(f"{good}: ") and "/100" in out
        assert f"{bad}: YAML anchors and aliases (&name, *name) are not allowed" in err.split("\n")
        assert err.strip().endswith(f"1 of 2 files not scored: {bad}")


# -- Hypothesis: Krause's answers file with hostile keys and values ------------------------------------

QUESTION_IDS = list(CHECKLIST.questions)
OPTION_IDS = sorted({o for q in CHECKLIST.questions.values() for o in q.option_ids})
TOP_KEYS = ["checklist", "language", "business", "answers", "comments", "format", "format_version", "result"]
SCALARS = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.sampled_from(OPTION_IDS + QUESTION_IDS + ["whatsapp-business", "de", "en", FORMAT]),
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.dates(),
    st.text(max_size=20),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=6,
)
# JSON turns int, bool and None keys into text; YAML keeps them.
KEYS = st.one_of(
    st.sampled_from(QUESTION_IDS), st.sampled_from(TOP_KEYS), st.text(max_size=12), st.integers(), st.none()
)
COMMENTS = st.lists(
    st.fixed_dictionaries(
        {"requirement": st.sampled_from([r.id for r in CHECKLIST.requirements]) | SCALARS},
        optional={"comment": SCALARS, "due_date": SCALARS, "responsible": SCALARS, "colour": SCALARS},
    )
    | VALUES,
    max_size=3,
)


@st.composite
def answers_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """Krause's file, changed in up to four places (some of them harmless), as YAML or JSON."""
    document: dict = json.loads(json.dumps(KRAUSE_FILE))
    for _ in range(draw(st.integers(0, 4))):
        place = draw(
            st.sampled_from(
                ["answer", "other-option", "new-answer", "drop-answer", "top", "business", "comments", "whole"]
            )
        )
        answers = document.get("answers")
        if place == "other-option" and isinstance(answers, dict):
            question = draw(st.sampled_from(QUESTION_IDS))
            answers[question] = draw(st.sampled_from(CHECKLIST.questions[question].option_ids))
        elif place == "answer" and isinstance(answers, dict) and answers:
            answers[draw(st.sampled_from(sorted(answers, key=str)))] = draw(VALUES)
        elif place == "new-answer" and isinstance(answers, dict):
            answers[draw(KEYS)] = draw(SCALARS)
        elif place == "drop-answer" and isinstance(answers, dict) and answers:
            answers.pop(draw(st.sampled_from(sorted(answers, key=str))))
        elif place == "top":
            document[draw(st.sampled_from(TOP_KEYS) | st.text(max_size=10))] = draw(VALUES)
        elif place == "business":
            document["business"] = draw(
                st.fixed_dictionaries({}, optional={"name": SCALARS, "website": SCALARS, "phone": SCALARS}) | VALUES
            )
        elif place == "comments":
            document.update(format=FORMAT, format_version=FORMAT_VERSION, comments=draw(COMMENTS))
        elif place == "whole":
            return "yaml", yaml_bytes(draw(VALUES))
    if draw(st.booleans()):
        return "json", json_bytes(_json_keys(document))
    return "yaml", yaml_bytes(document)


def _json_keys(value: object) -> object:
    # What JSON can hold as a key; a date key would not be written at all.
    if isinstance(value, dict):
        return {k if isinstance(k, (str, int, bool)) or k is None else str(k): _json_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_keys(v) for v in value]
    return value


@given(generated=answers_files())
def test_assess_scores_a_file_or_exits_2_naming_every_problem(tmp_path_factory, generated):
    suffix, content = generated
    path = tmp_path_factory.mktemp("assess") / f"krause.{suffix}"
    path.write_bytes(content)
    status, out, err = assess_outcome(path)
    event("scored" if status == 0 else "refused")  # both must occur: see --hypothesis-show-statistics
    if status == 0:
        assert "/100" in out
    else:
        assert_refused_with_every_problem_named(path, status, err)


# -- the workspace import ----------------------------------------------------------------------------


@pytest.fixture
def logged_in(client, dana):
    client.force_login(dana.user)
    return client


@pytest.fixture
def krause_client(dana):
    return add_client(dana, "Malerbetrieb Krause", contact_person="Jens Krause", website="https://maler-krause.de")


def post_import(browser, client, content: bytes, filename: str):
    upload = io.BytesIO(content)
    upload.name = filename
    return browser.post(f"/workspace/clients/{client.pk}/import/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="de")


def listed_problems(response) -> list[str]:
    """The problems above the form, as Dana reads them; the heading counts them."""
    page = response.content.decode()
    assert 'id="error-summary"' in page, "no list of problems on the page"
    start = page.index('id="error-summary"')
    summary = page[start : page.index("</div>", start)]
    heading = re.search(r"<h2>([^<]+)</h2>", summary)
    assert heading is not None
    problems = [html.unescape(re.sub(r"<[^>]+>", "", p)).strip() for p in re.findall(r"<li>(.*?)</li>", summary, re.S)]
    count = len(problems)
    assert problems
    assert html.unescape(heading.group(1)).strip() in (
        f"Die Datei wurde nicht importiert: {count} {'Problem' if count == 1 else 'Probleme'}",
        "Bitte prüfen Sie Ihre Angaben",  # the form's own check: the file is over 1 MB
    )
    return problems


def stored(client) -> tuple[int, int]:
    return (
        Assessment.objects.filter(client=client).count(),
        FindingNote.objects.filter(assessment__client=client).count(),
    )


IMPORT_FILES = HOSTILE_FILES
# What the import says, in German, where `assess` says it in English.
IMPORT_FRAGMENTS = {
    "malformed-yaml": ["Die Datei ist kein gültiges YAML (line 3, column 1: "],
    "malformed-json": ["Die Datei ist kein gültiges JSON"],
    "yaml-list": [],
    "json-list": [],
    "wrong-types": ["checklist:", "language:", "business:"],
    "huge-yaml": ["Datei eines Checks (JSON oder YAML): Die Datei ist größer als 1 MB."],
    "huge-json": ["Datei eines Checks (JSON oder YAML): Die Datei ist größer als 1 MB."],
    "binary-garbage": ["UTF-8"],
    "nul-escape-in-name": ["business.name:", "business.website:"],
    "deep-json": ["mehr als 64 Ebenen tief verschachtelt"],
    "5000-digits": ["Zahl, die zu lang ist"],
    "answers-a-list": ["answers: muss jeder Frage (ihrer ID) eine Antwort zuordnen"],
    "unknown-ids": ["answers: „telegram“ ist keine Antwort auf „app_variant“", "answers: unbekannte Frage „colour“"],
}


@pytest.mark.django_db
class TestImport:
    @pytest.mark.parametrize("name", IMPORT_FILES)
    def test_a_hostile_file_is_listed_problem_by_problem_and_nothing_is_stored(self, logged_in, krause_client, name):
        suffix, content, fragments = IMPORT_FILES[name]
        # First the reading alone, in a child that is killed if it hangs: a bomb must not take the tests down.
        assert within(HANG_GUARD_SECONDS, lambda: parse_import(content, f"krause.{suffix}").problems)
        response = post_import(logged_in, krause_client, content, f"krause.{suffix}")
        assert response.status_code == 400
        problems = listed_problems(response)
        assert problems
        for fragment in IMPORT_FRAGMENTS.get(name, fragments):
            assert any(fragment in p for p in problems), (fragment, problems)
        assert stored(krause_client) == (0, 0)

    def test_every_problem_of_a_bad_export_is_listed_at_once(self, logged_in, krause_client):
        export = KRAUSE_FILE | {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "answers": KRAUSE_ANSWERS | {"app_variant": "telegram", "colour": "blue"},
            "comments": [
                {"requirement": "avv-whatsapp", "comment": "AVV\x00", "due_date": "2025-02-30"},
                {"requirement": "no-such-requirement", "comment": ["a", "list"]},
            ],
        }
        response = post_import(logged_in, krause_client, json_bytes(export), "krause.json")
        assert response.status_code == 400
        problems = listed_problems(response)
        for place in (
            "answers: „telegram“ ist keine Antwort",
            "answers: unbekannte Frage „colour“",
            "comments[0].comment:",
            "comments[0].due_date:",
            "comments[1].requirement:",
            "comments[1].comment:",
        ):
            assert any(p.startswith(place) for p in problems), (place, problems)
        assert stored(krause_client) == (0, 0)

    @settings(max_examples=30)
    @given(generated=answers_files(), filename=st.sampled_from(["krause.json", "krause.yaml", "krause.yml", "krause"]))
    def test_an_import_is_whole_or_refused_with_every_problem_listed(
        self, logged_in, krause_client, generated, filename
    ):
        _, content = generated
        before = stored(krause_client)
        response = post_import(logged_in, krause_client, content, filename)
        assert response.status_code in (302, 400), response.status_code
        event(f"status {response.status_code}")
        if response.status_code == 400:
            assert listed_problems(response)
            assert stored(krause_client) == before
            return
        imported = Assessment.objects.filter(client=krause_client).latest("pk")
        assert response["Location"] == f"/workspace/checks/{imported.pk}/"
        assert imported.is_finished and imported.result
        for question_id, option in imported.answers.items():
            assert option in CHECKLIST.questions[question_id].option_ids


def test_krause_file_itself_is_scored(tmp_path):
    # The starting point of the fuzz: without changes, the file is fine.
    path = tmp_path / "krause.yaml"
    path.write_bytes(yaml_bytes(KRAUSE_FILE))
    status, out, _ = assess_outcome(path)
    assert status == 0 and "/100" in out
    assert {k: str(as_option_id(v)) for k, v in MODEL_BUSINESS.items()} == KRAUSE_ANSWERS
