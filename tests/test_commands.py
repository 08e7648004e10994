"""validate_checklists and assess, run the way a user runs them, exit codes included."""

import json
import shutil

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.test import override_settings

from compliance_wizard.catalog import registry
from tests.conftest import FIXTURES, ROOT, RULES

EXAMPLE = ROOT / "examples" / "malerbetrieb-muster.yaml"


@pytest.fixture(autouse=True)
def fresh_registry():
    registry.reset()
    yield
    registry.reset()


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def broken_rules(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    main = folder / "whatsapp-business" / "checklist.yaml"
    data = yaml.safe_load(main.read_text(encoding="utf-8"))
    data["steps"][0]["questions"][0]["type"] = "slider"
    data["title"].pop("en")
    main.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


class TestValidateChecklists:
    def test_valid_rules_exit_0_with_a_summary(self):
        out, _ = run("validate_checklists")
        assert "whatsapp-business 1.2.0" in out
        assert "1 checklist(s) valid." in out

    def test_explicit_paths(self):
        out, _ = run("validate_checklists", str(FIXTURES / "checklists"), str(RULES / "whatsapp-business"))
        assert "website-basics" in out and "whatsapp-business" in out
        assert "2 checklist(s) valid." in out

    def test_broken_rules_exit_1_with_every_error(self, broken_rules):
        with pytest.raises(CommandError) as info:
            run("validate_checklists", str(broken_rules))
        assert info.value.returncode == 1
        assert "2 errors" in str(info.value)

    def test_errors_go_to_stderr_with_file_and_path(self, broken_rules, capsys):
        from io import StringIO

        err = StringIO()
        with pytest.raises(CommandError):
            call_command("validate_checklists", str(broken_rules), stderr=err)
        lines = err.getvalue().splitlines()
        assert any(
            "whatsapp-business/checklist.yaml: steps[0].questions[0].type: 'slider'" in line for line in lines
        ), lines
        assert any("checklist.yaml: title: missing translation 'en'" in line for line in lines), lines

    def test_a_broken_rule_file_stops_the_system_checks(self, broken_rules):
        with override_settings(CHECKLIST_DIR=broken_rules):
            with pytest.raises(SystemCheckError) as info:
                call_command("check")
        assert "'slider' is not a question type" in str(info.value)


class TestAssess:
    def test_prints_a_readable_summary(self):
        out, err = run("assess", str(EXAMPLE))
        assert out.startswith("Malerbetrieb Muster GmbH\n")
        assert "Ergebnis: " in out
        assert "Dringender Handlungsbedarf" in out or "Nachbessern" in out
        assert "Lücken (nach Risiko)" in out
        assert "Zu klären" in out
        # residual risks (the US transfer, WhatsApp's processing terms, metadata) are listed apart from the gaps
        assert "Hinweise: Risiken, die bleiben (nicht gezählt) (3)" in out
        notes = out[out.index("Hinweise: Risiken") :]
        assert "Restrisiko: Übermittlung in die USA" in notes and "So schließen Sie die Lücke" not in notes
        assert err == ""

    def test_english_output(self):
        out, _ = run("assess", str(EXAMPLE), "--lang", "en")
        assert "Gaps (by risk)" in out

    def test_json_output_holds_the_full_result(self, tmp_path):
        target = tmp_path / "result.json"
        run("assess", str(EXAMPLE), "--json", str(target))
        data = json.loads(target.read_text(encoding="utf-8"))
        assert data["checklist"]["id"] == "whatsapp-business"
        assert data["business"]["name"] == "Malerbetrieb Muster GmbH"
        assert {f["status"] for f in data["findings"]} >= {"gap", "to_clarify", "met"}
        greeting = next(t for t in data["templates"] if t["id"] == "greeting-message")
        assert "Malerbetrieb Muster GmbH" in greeting["text"]

    def test_json_to_stdout(self):
        out, _ = run("assess", str(EXAMPLE), "--json", "-")
        assert json.loads(out)["score"] >= 0

    def test_checklist_option_wins_over_the_file(self, tmp_path):
        answers = tmp_path / "a.json"
        answers.write_text(
            json.dumps({"checklist": "whatsapp-business", "answers": {"has_site": "no", "newsletter_optin": "yes"}})
        )
        with override_settings(CHECKLIST_DIR=FIXTURES / "checklists"):
            out, _ = run("assess", str(answers), "--checklist", "website-basics", "--lang", "en")
        assert "Website basics" in out

    def test_bad_answers_exit_2_with_every_problem(self, tmp_path):
        answers = tmp_path / "bad.yaml"
        answers.write_text("language: fr\nanswers:\n  app_variant: telegram\n  colour: red\n", encoding="utf-8")
        from io import StringIO

        err = StringIO()
        with pytest.raises(CommandError) as info:
            call_command("assess", str(answers), stderr=err)
        assert info.value.returncode == 2
        text = err.getvalue()
        assert "language: 'fr' is not one of de, en" in text
        assert "'telegram' is not an answer to 'app_variant'" in text
        assert "unknown question 'colour'" in text
        assert "missing answer to 'internal_use'" in text
        assert "Traceback" not in text

    @pytest.mark.parametrize(
        ("content", "fragment"),
        [
            ("answers: [\n", "YAML error"),
            ("just text\n", "must be a mapping"),
            ("answers: {}\nchecklist: nope\n", "unknown checklist 'nope'"),
        ],
    )
    def test_malformed_files_exit_2(self, tmp_path, content, fragment):
        answers = tmp_path / "bad.yaml"
        answers.write_text(content, encoding="utf-8")
        from io import StringIO

        err = StringIO()
        with pytest.raises(CommandError) as info:
            call_command("assess", str(answers), stderr=err)
        assert info.value.returncode == 2
        assert fragment in err.getvalue()

    def test_missing_file_exits_2(self, tmp_path):
        with pytest.raises(CommandError) as info:
            run("assess", str(tmp_path / "nope.yaml"))
        assert info.value.returncode == 2


class TestRegistry:
    def test_a_missing_checklist_folder_is_a_clear_error(self, tmp_path):
        with override_settings(CHECKLIST_DIR=tmp_path / "nowhere"):
            with pytest.raises(SystemCheckError) as info:
                call_command("check")
        assert "checklist folder does not exist" in str(info.value)

    def test_an_empty_folder_has_nothing_to_validate(self, tmp_path):
        with pytest.raises(CommandError) as info:
            run("validate_checklists", str(tmp_path))
        assert info.value.returncode == 1
        assert "no checklists found" in str(info.value)
