"""A consultant exports a check as JSON or YAML, reads it in again, scores it in the terminal, and
hands a client all their data; a wrong or hostile file is refused with every problem named."""

import datetime
import io
import json
import time

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from compliance_wizard.assessments.services import assessment_details_save, assessment_submit, draft_start
from compliance_wizard.catalog import registry
from compliance_wizard.workspace.exchange import (
    CLIENT_FORMAT,
    FORMAT,
    MAX_IMPORT_BYTES,
    MAX_PROBLEMS,
    assessment_document,
    client_document,
    dump_document,
    parse_import,
)
from compliance_wizard.workspace.models import Client, Consultant, FindingNote
from compliance_wizard.workspace.services import assessment_import
from tests.cases import CASES
from tests.conftest import ROOT
from tests.test_engine_documents import EVERY_DETAIL

pytestmark = pytest.mark.django_db

EXAMPLE = ROOT / "examples" / "malerbetrieb-muster.yaml"
KRAUSE = next(c for c in CASES if c.name.startswith("Malermeister Krause"))


@pytest.fixture(autouse=True)
def english():
    # Messages are asserted in English (the msgids), whatever German catalog is compiled.
    registry.reset()
    with translation.override("en"):
        yield
    registry.reset()


@pytest.fixture
def checklist():
    return registry.get("whatsapp-business")


@pytest.fixture
def muster(checklist):
    """Anna Berater's client Malerbetrieb Muster GmbH."""
    user = get_user_model().objects.create_user("anna", "anna@berater.example", "correct horse battery")
    consultant = Consultant.objects.create(user=user, display_name="Anna Berater")
    return Client.objects.create(
        consultant=consultant,
        name="Malerbetrieb Muster GmbH",
        contact_person="Jürgen Muster",
        website="https://www.malerbetrieb-muster.de",
        notes="Zwei Baustellenhandys, ein Büro-PC.",
    )


def finished_check(client, checklist, answers, language="de"):
    draft = draft_start(checklist, language, client.name, client.website)
    draft.client = client
    draft.save()
    return assessment_submit(draft.token, checklist, answers)


@pytest.fixture
def checked(muster, checklist):
    """The painter's check as the example file answers it, with Anna's comments on two gaps."""
    answers = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["answers"]
    assessment = finished_check(muster, checklist, answers)
    gaps = [f["id"] for f in assessment.result["de"]["findings"] if f["status"] == "gap"]
    FindingNote.objects.create(
        assessment=assessment,
        requirement_id=gaps[0],
        comment="Mit Herrn Muster am Telefon besprochen – Übergang auf Dienst-Handys.",
        due_date=datetime.date(2025, 6, 30),
        responsible="Jürgen Muster",
    )
    FindingNote.objects.create(assessment=assessment, requirement_id=gaps[1], comment="Vorlage geschickt")
    return assessment


def comments_of(assessment):
    return sorted((n.requirement_id, n.comment, n.due_date, n.responsible) for n in assessment.finding_notes.all())


def imported_comments(document):
    return sorted((c["requirement"], c["comment"], c["due_date"], c["responsible"]) for c in document.comments)


def problems_of(content, filename="check.json"):
    if isinstance(content, dict | list):
        content = json.dumps(content)
    if isinstance(content, str):
        content = content.encode("utf-8")
    document = parse_import(content, filename)
    assert not document.ok
    return document.problems


class TestExport:
    def test_an_export_starts_with_format_and_holds_the_answers_file_keys(self, checked):
        doc = assessment_document(checked)
        envelope, answers_file = (
            ["format", "format_version", "exported_at"],
            ["checklist", "language", "business", "answers"],
        )
        assert list(doc)[:7] == envelope + answers_file
        assert doc["format"] == FORMAT and doc["format_version"] == 1
        assert doc["checklist"] == "whatsapp-business"
        assert doc["business"] == {"name": "Malerbetrieb Muster GmbH", "website": "https://www.malerbetrieb-muster.de"}
        assert doc["answers"] == checked.answers
        assert doc["checklist_version"] == checked.checklist_version
        assert doc["checklist_hash"] == checked.content_hash
        assert doc["state"] == "finished"
        assert datetime.datetime.fromisoformat(doc["finished_at"]) == checked.finished_at.replace(microsecond=0)
        assert doc["result"]["score"] == checked.score

    def test_comments_name_the_requirement_with_an_iso_due_date(self, checked):
        comments = assessment_document(checked)["comments"]
        dated = next(c for c in comments if c["due_date"])
        assert dated == {
            "requirement": dated["requirement"],
            "comment": "Mit Herrn Muster am Telefon besprochen – Übergang auf Dienst-Handys.",
            "due_date": "2025-06-30",
            "responsible": "Jürgen Muster",
        }
        assert len(comments) == 2

    def test_a_draft_is_exported_without_a_result(self, muster, checklist):
        draft = draft_start(checklist, "de", muster.name)
        draft.answers = {"app_variant": "business_app"}
        draft.save()
        doc = assessment_document(draft)
        assert doc["state"] == "draft"
        assert doc["result"] is None and doc["finished_at"] is None
        assert doc["answers"] == {"app_variant": "business_app"}

    @pytest.mark.parametrize(("fmt", "content_type"), [("json", "application/json"), ("yaml", "application/yaml")])
    def test_the_file_is_named_like_the_report_in_plain_ascii(self, checked, fmt, content_type):
        filename, mimetype, content = dump_document(assessment_document(checked), fmt)
        today = timezone.localdate().isoformat()
        assert filename == f"dsgvo-check-whatsapp-business-malerbetrieb-muster-gmbh-{today}.{fmt}"
        assert mimetype == content_type
        assert "Übergang auf Dienst-Handys" in content.decode("utf-8")  # readable, not \u-escaped

    def test_a_yaml_export_has_no_anchors_even_for_shared_values(self, checked):
        doc = assessment_document(checked)
        doc["result"]["answers"] = doc["answers"]  # the same dict twice would normally become &id001/*id001
        _, _, content = dump_document(doc, "yaml")
        assert "&id" not in content.decode() and "*id" not in content.decode()
        assert parse_import(content, "check.yaml").ok


class TestRoundTrip:
    @pytest.mark.parametrize("fmt", ["json", "yaml"])
    def test_export_then_import_gives_the_same_answers_and_comments(self, checked, fmt):
        filename, _, content = dump_document(assessment_document(checked), fmt)
        document = parse_import(content, filename)
        assert document.problems == []
        assert document.checklist_id == "whatsapp-business"
        assert document.language == "de"
        assert document.business_name == "Malerbetrieb Muster GmbH"
        assert document.website == "https://www.malerbetrieb-muster.de"
        assert document.answers == checked.answers
        assert imported_comments(document) == comments_of(checked)

    def test_the_format_is_sniffed_when_the_name_says_nothing(self, checked):
        _, _, as_json = dump_document(assessment_document(checked), "json")
        _, _, as_yaml = dump_document(assessment_document(checked), "yaml")
        assert parse_import(as_json, "download").answers == checked.answers
        assert parse_import(as_yaml, "download").answers == checked.answers

    def test_a_plain_answers_file_imports_too(self, checklist):
        document = parse_import(EXAMPLE.read_bytes(), EXAMPLE.name)
        assert document.problems == []
        assert document.business_name == "Malerbetrieb Muster GmbH"
        assert document.answers["avv_whatsapp"] == "accepted"
        assert document.comments == []

    def test_the_exported_result_is_not_taken_over(self, checked):
        doc = assessment_document(checked)
        doc["result"] = {"score": 100, "band": {"id": "green"}}
        document = parse_import(json.dumps(doc).encode(), "check.json")
        assert document.ok
        assert not hasattr(document, "result") and not hasattr(document, "score")

    def test_a_hand_written_yaml_date_and_a_byte_order_mark_are_fine(self, checklist):
        requirement = checklist.requirements[0].id
        text = EXAMPLE.read_text(encoding="utf-8") + (
            f"format: {FORMAT}\nformat_version: 1\n"
            f"comments:\n  - requirement: {requirement}\n    due_date: 2025-12-31\n    responsible: Büro\n"
        )
        document = parse_import(b"\xef\xbb\xbf" + text.encode(), "muster.yml")
        assert document.problems == []
        assert document.comments == [
            {"requirement": requirement, "comment": "", "due_date": datetime.date(2025, 12, 31), "responsible": "Büro"}
        ]

    def test_names_are_kept_as_the_forms_keep_them_one_line_without_direction_overrides(self, checked):
        # U+202E would show "Krause" as "esuarK" and everything after it backwards, in the list and in the PDF.
        doc = assessment_document(checked)
        doc["business"]["name"] = "\u202eMalerbetrieb\u00a0Krause\n GmbH\u200b"
        doc["comments"] = [{"requirement": doc["comments"][0]["requirement"], "responsible": "J.\u202d Krause\t"}]
        document = parse_import(json.dumps(doc).encode(), "krause.json")
        assert document.ok, document.problems
        assert document.business_name == "Malerbetrieb Krause GmbH"
        assert document.comments[0]["responsible"] == "J. Krause"

    def test_a_file_from_another_checklist_version_imports_with_a_warning(self, checked):
        doc = assessment_document(checked)
        doc["checklist_version"], doc["checklist_hash"] = "0.9.0", "0" * 64
        document = parse_import(json.dumps(doc).encode(), "old.json")
        assert document.ok
        assert any("checklist version 0.9.0" in w for w in document.warnings), document.warnings


class TestScoredInTheTerminal:
    @pytest.mark.parametrize("fmt", ["json", "yaml"])
    def test_assess_reads_an_export_and_gives_the_stored_score(self, checked, tmp_path, fmt):
        filename, _, content = dump_document(assessment_document(checked), fmt)
        path = tmp_path / filename
        path.write_bytes(content)
        out, err = io.StringIO(), io.StringIO()
        call_command("assess", str(path), "--json", "-", stdout=out, stderr=err)
        result = json.loads(out.getvalue())
        assert result["score"] == checked.score
        assert result["band"]["id"] == checked.band
        assert result["business"]["name"] == "Malerbetrieb Muster GmbH"
        assert err.getvalue() == ""

    def test_assess_refuses_a_foreign_export_with_every_problem(self, tmp_path):
        path = tmp_path / "other.json"
        path.write_text(json.dumps({"format": "something-else", "format_version": 3, "colour": "red"}))
        err = io.StringIO()
        with pytest.raises(CommandError) as info:
            call_command("assess", str(path), stderr=err)
        assert info.value.returncode == 2
        text = err.getvalue()
        assert "format: this is not an assessment export (format 'something-else')" in text
        assert "unknown key 'colour'" in text
        assert "missing key 'answers'" in text


class TestMalformedFiles:
    @pytest.mark.parametrize(
        ("content", "filename", "fragment"),
        [
            (b"answers: [\n", "check.yaml", "The file is not valid YAML"),
            (b'{"answers": ', "check.json", "The file is not valid JSON (line 1, column"),
            ("checklist: whatsapp-business\nanswers: {}\n".encode("utf-16"), "check.yaml", "not UTF-8 text"),
            (b"#" * (MAX_IMPORT_BYTES + 1), "check.yaml", "larger than 1 MB"),
            (b"- app_variant\n- business_app\n", "check.yaml", "must hold keys with values"),
            (b'["app_variant", "business_app"]', "check.json", "must hold keys with values"),
            (b"   \n", "check.yaml", "The file is empty"),
        ],
        ids=["bad-yaml", "bad-json", "utf-16", "too-big", "yaml-list", "json-list", "empty"],
    )
    def test_is_refused_with_a_clear_message(self, content, filename, fragment):
        problems = problems_of(content, filename)
        assert any(fragment in p for p in problems), problems

    def test_an_alias_bomb_is_refused_before_it_is_walked(self):
        lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
        for n in range(1, 9):
            lines.append(f"{chr(97 + n)}: &{chr(97 + n)} [{', '.join(['*' + chr(96 + n)] * 9)}]")
        lines.append("answers: *i")
        problems = problems_of("\n".join(lines), "lol.yaml")
        assert problems == ["The file is not valid YAML (YAML anchors and aliases (&name, *name) are not allowed)."]

    def test_yaml_tags_that_would_build_objects_are_refused(self):
        problems = problems_of("answers: !!python/object/apply:os.system ['true']\n", "evil.yaml")
        assert "could not determine a constructor" in problems[0]


class TestForeignFiles:
    def test_another_format_is_not_an_assessment_export(self):
        problems = problems_of({"format": "something-else", "format_version": 1, "invoices": []})
        assert "format: this is not an assessment export (format 'something-else')" in problems
        assert any(p.startswith("invoices: unknown key") for p in problems), problems
        assert "answers: missing" in problems

    def test_a_client_export_is_not_an_assessment_export(self, muster):
        _, _, content = dump_document(client_document(muster), "json")
        problems = problems_of(content)
        assert f"format: this is not an assessment export (format '{CLIENT_FORMAT}')" in problems

    def test_a_later_format_version_is_named(self, checked):
        doc = assessment_document(checked) | {"format_version": 2}
        assert problems_of(doc) == ["format_version: version '2' cannot be read; this tool reads version 1"]

    def test_a_random_json_object_gets_every_problem_at_once(self):
        problems = problems_of({"name": "Bob", "age": 42})
        assert problems[0] == "This is not an assessment export or answers file: it has neither 'format' nor 'answers'."
        allowed = "(allowed: checklist, language, business, answers, details)"
        assert any(p.startswith(f"name: unknown key {allowed}") for p in problems)
        assert any(p.startswith("age: unknown key") for p in problems)

    def test_every_problem_is_listed_with_its_place_in_the_file(self, checked, checklist):
        requirements = [r.id for r in checklist.requirements]
        doc = assessment_document(checked)
        doc["checklist_version"] = "1.0.0"
        doc["language"] = "fr"
        doc["business"] = {"name": "Muster", "website": "ftp://muster.example", "phone": "0800"}
        doc["answers"] = doc["answers"] | {"app_variant": "telegram", "colour": "red"}
        doc["comments"] = [
            {"requirement": "whatsapp-is-fun", "comment": "?"},
            {"requirement": requirements[0], "due_date": "31.12.2025"},
            {"requirement": requirements[1], "comment": "x" * 2001},
            {"requirement": requirements[2], "responsible": "y" * 201, "owner": "Anna"},
            "call Jürgen",
            {"requirement": requirements[0], "due_date": "2025-02-30"},
            {"comment": "for what?"},
        ]
        problems = problems_of(doc)
        expected = [
            "language: 'fr' is not offered; choose one of: de, en",
            "business.phone: unknown key (allowed: name, website)",
            "business.website: must be a web address starting with http:// or https://, at most 300 characters",
            "answers: 'telegram' is not an answer to 'app_variant'",
            "answers: unknown question 'colour'",
            "comments[0].requirement: the checklist has no requirement 'whatsapp-is-fun'",
            "comments[1].due_date: not a date (YYYY-MM-DD)",
            "comments[2].comment: must be text of at most 2000 characters",
            "comments[3].owner: unknown key (allowed: requirement, comment, due_date, responsible)",
            "comments[3].responsible: must be text of at most 200 characters",
            "comments[4]: must hold the keys requirement, comment, due_date, responsible",
            "comments[5].due_date: not a date (YYYY-MM-DD)",
            "comments[6].requirement: missing: say which requirement the comment is on",
        ]
        for message in expected:
            assert any(p.startswith(message) for p in problems), (message, problems)

    def test_two_comments_on_one_requirement_are_one_too_many(self, checklist):
        requirement = checklist.requirements[0].id
        doc = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")) | {
            "format": FORMAT,
            "format_version": 1,
            "comments": [{"requirement": requirement}, {"requirement": requirement, "comment": "again"}],
        }
        assert problems_of(doc) == [
            f"comments[1].requirement: '{requirement}' has a comment already; each requirement takes one"
        ]

    def test_an_unknown_checklist_is_named_with_the_ones_available(self):
        problems = problems_of({"checklist": "cookie-banner", "answers": {}})
        assert problems == ["checklist: there is no checklist 'cookie-banner' (available: whatsapp-business)"]

    def test_incomplete_answers_name_what_is_missing(self):
        problems = problems_of({"checklist": "whatsapp-business", "answers": {"app_variant": "business_app"}})
        assert any("missing answer to 'internal_use'" in p for p in problems), problems

    def test_a_german_consultant_reads_what_is_wrong_with_the_answers_in_german(self, checked):
        doc = assessment_document(checked)
        doc["answers"] = {k: v for k, v in doc["answers"].items() if k != "internal_use"}
        doc["answers"] |= {"app_varient": "business_app", "app_variant": "telegram"}
        with translation.override("de"):
            document = parse_import(json.dumps(doc).encode(), "check.json")
        assert "answers: „telegram“ ist keine Antwort auf „app_variant“; wählen Sie eine davon: " in "\n".join(
            document.problems
        )
        assert "answers: unbekannte Frage „app_varient“ (gemeint ist vielleicht „app_variant“)" in document.problems
        # Every message of the engine has its German wording: none is left in English.
        assert not [p for p in document.problems if "answer" in p.removeprefix("answers: ")], document.problems


class TestClientDocument:
    def test_holds_the_client_and_every_check_oldest_first_with_comments(self, muster, checklist, checked):
        checked.created_at = timezone.now() - datetime.timedelta(days=90)
        checked.save()
        later = finished_check(muster, checklist, KRAUSE.answers, language="en")
        doc = client_document(muster)
        assert doc["format"] == CLIENT_FORMAT and doc["format_version"] == 1
        assert doc["name"] == "Malerbetrieb Muster GmbH"
        assert doc["contact_person"] == "Jürgen Muster"
        assert doc["website"] == "https://www.malerbetrieb-muster.de"
        assert doc["notes"] == "Zwei Baustellenhandys, ein Büro-PC."
        assert doc["archived_at"] is None
        assert datetime.datetime.fromisoformat(doc["created_at"]) == muster.created_at.replace(microsecond=0)
        assert [a["answers"] for a in doc["assessments"]] == [checked.answers, later.answers]
        assert [a["result"]["language"] for a in doc["assessments"]] == ["de", "en"]
        assert len(doc["assessments"][0]["comments"]) == 2
        assert doc["assessments"][1]["comments"] == []

    def test_each_check_in_it_imports_again(self, muster, checked):
        filename, _, content = dump_document(client_document(muster), "yaml")
        assert filename.startswith("dsgvo-check-client-malerbetrieb-muster-gmbh-") and filename.endswith(".yaml")
        inner = yaml.safe_load(content)["assessments"][0]
        document = parse_import(yaml.safe_dump(inner, allow_unicode=True).encode(), "inner.yaml")
        assert document.answers == checked.answers
        assert imported_comments(document) == comments_of(checked)

    def test_an_archived_client_says_since_when(self, muster):
        muster.archived_at = timezone.now()
        muster.save()
        doc = client_document(muster)
        assert datetime.datetime.fromisoformat(doc["archived_at"]) == muster.archived_at.replace(microsecond=0)
        assert doc["assessments"] == []


class TestBoundedWork:
    """A hostile file cannot keep a worker busy or send back a page of megabytes: the number of entries is
    bounded before anything is checked, and at most MAX_PROBLEMS problems are listed, then how many more."""

    def test_a_file_of_a_hundred_thousand_answers_is_refused_at_once_with_one_problem(self):
        answers = {f"{n:x}": 0 for n in range(110_000)}
        content = json.dumps({"checklist": "whatsapp-business", "answers": answers}, separators=(",", ":")).encode()
        assert len(content) <= MAX_IMPORT_BYTES
        started = time.monotonic()
        problems = problems_of(content)
        assert time.monotonic() - started < 2
        assert len(problems) == 1
        assert "too many entries" in problems[0]

    def test_the_list_of_problems_stops_after_fifty_and_says_how_many_more(self):
        answers = {f"unknown_{n}": "yes" for n in range(200)}
        with translation.override("en"):
            problems = problems_of({"checklist": "whatsapp-business", "answers": answers})
        assert len(problems) == MAX_PROBLEMS + 1
        assert problems[-1].startswith("… and ") and problems[-1].endswith("more problems.")
        more = int(problems[-1].split()[2])
        assert more >= 200 - MAX_PROBLEMS

    def test_the_import_page_of_a_hostile_file_stays_small(self, client, django_user_model):
        user = django_user_model.objects.create_user(username="d@x.test", email="d@x.test", password="x-Passw0rt-1")
        consultant = Consultant.objects.create(user=user, display_name="D")
        muster = Client.objects.create(consultant=consultant, name="Muster")
        client.force_login(user)
        answers = {f"unknown_{n}": "x" * 200 for n in range(4_000)}
        upload = io.BytesIO(json.dumps({"checklist": "whatsapp-business", "answers": answers}).encode())
        upload.name = "check.json"
        response = client.post(f"/workspace/clients/{muster.pk}/import/", {"file": upload})
        assert response.status_code == 400
        assert len(response.content) < 100_000


# --- the details for the documents ---

GIVEN = {k: v for k, v in EVERY_DETAIL.items() if k not in ("website", "bsp_name", "bsp_location")}


@pytest.fixture
def detailed(checked):
    assessment_details_save(checked, GIVEN)
    return checked


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_the_details_go_out_and_come_back_into_a_new_check(detailed, muster, checklist, fmt):
    filename, _, content = dump_document(assessment_document(detailed), fmt)
    document = parse_import(content, filename)
    assert document.problems == []
    assert document.details == GIVEN
    imported = assessment_import(muster, checklist, document)
    assert imported.pk != detailed.pk and imported.details == GIVEN


def test_a_check_without_details_exports_an_empty_mapping_and_imports_none(checked, muster, checklist):
    doc = assessment_document(checked)
    assert doc["details"] == {}
    document = parse_import(json.dumps(doc).encode(), "check.json")
    assert document.ok and document.details == {}
    assert assessment_import(muster, checklist, document).details == {}


def test_the_client_export_carries_each_checks_details(detailed, muster):
    assert client_document(muster)["assessments"][0]["details"] == GIVEN


@pytest.mark.parametrize(
    ("details", "problem"),
    [
        ({"email": "kein-at"}, "details.email: not taken over (detail 'email' 'kein-at' is not an e-mail address)"),
        ({"privacy_url": "javascript:alert(1)"}, "details.privacy_url: not taken over (detail 'privacy_url'"),
        ({"state": "xx"}, "details.state: not taken over (detail 'state' must be one of bw, by"),
        ({"controller_name": "x" * 50_000}, "details.controller_name: not taken over (detail 'controller_name' is"),
        ({"<b>fax</b>": "1"}, "details.<b>fax</b>: unknown key (allowed: controller_name, controller_address"),
        ({"phone": {"nested": 1}}, "details.phone: not taken over (detail 'phone' must be text)"),
        ("email: a@b.de", "details: must hold keys with values"),
    ],
)
def test_a_bad_detail_is_refused_with_its_key(checked, details, problem):
    doc = assessment_document(checked) | {"details": details}
    document = parse_import(json.dumps(doc).encode(), "check.json")
    assert not document.ok
    assert any(p.startswith(problem) for p in document.problems), document.problems
    assert all(len(p) < 400 for p in document.problems)  # a 50,000-character value is not quoted back


def test_control_and_direction_characters_are_cleaned_as_the_form_cleans_them(checked):
    doc = assessment_document(checked) | {"details": {"controller_name": "Maler\u202e Muster\x07\nGmbH"}}
    document = parse_import(json.dumps(doc).encode(), "check.json")
    assert document.ok and document.details == {"controller_name": "Maler Muster, GmbH"}
