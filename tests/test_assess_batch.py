"""A consultant scores a folder of answers files in one go: one PDF and one line per file, bad files named."""

import io
import json
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from compliance_wizard.catalog import registry
from tests.cases import CASES
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "malerbetrieb-muster.yaml"
KRAUSE = next(c for c in CASES if c.name.startswith("Malermeister Krause"))


@pytest.fixture(autouse=True)
def fresh_registry():
    registry.reset()
    yield
    registry.reset()


@pytest.fixture
def muster(tmp_path):
    path = tmp_path / "muster.yaml"
    shutil.copy(EXAMPLE, path)
    return path


@pytest.fixture
def krause(tmp_path):
    path = tmp_path / "krause.json"
    business = {"name": "Malermeister Krause", "website": "https://krause.example"}
    path.write_text(json.dumps({"checklist": "whatsapp-business", "business": business, "answers": KRAUSE.answers}))
    return path


@pytest.fixture
def broken(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("answers:\n  app_variant: telegram\n  colour: red\n", encoding="utf-8")
    return path


def assess(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("assess", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_good_files_get_a_pdf_each_and_a_bad_file_is_named_with_its_problems(tmp_path, muster, krause, broken):
    reports = tmp_path / "berichte"
    out, err, error = assess(muster, broken, krause, "--pdf-dir", reports)

    assert sorted(p.name for p in reports.iterdir()) == ["krause.pdf", "muster.pdf"]
    for pdf in reports.iterdir():
        assert pdf.read_bytes().startswith(b"%PDF")

    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{muster}: ") and f"PDF: {reports / 'muster.pdf'}" in lines[0]
    assert lines[1].startswith(f"{krause}: ") and f"PDF: {reports / 'krause.pdf'}" in lines[1]
    assert "/100 · " in lines[0] and "Lücken: " in lines[0] and "zu klären: " in lines[0]

    assert f"{broken}: answers: 'telegram' is not an answer to 'app_variant'" in err
    assert f"{broken}: answers: unknown question 'colour'" in err
    assert "Traceback" not in err
    assert error is not None and error.returncode == 2
    assert str(broken) in str(error) and "1 of 3 files" in str(error)


def test_the_line_gives_score_band_and_open_points_of_each_file(tmp_path, muster, krause):
    out, _, error = assess(muster, krause, "--lang", "en")
    assert error is None
    painter, krause_line = out.splitlines()
    expected = {}
    for path in (muster, krause):
        result, _, _ = assess(path, "--json", "-", "--lang", "en")
        data = json.loads(result)
        open_kinds = [f["status"] for f in data["findings"] if f["severity"] != "info"]
        expected[path] = (
            f"{path}: {data['score']}/100 · {data['band']['label']} · "
            f"gaps: {open_kinds.count('gap')}, to clarify: {open_kinds.count('to_clarify')}"
        )
    assert painter == expected[muster]
    assert krause_line == expected[krause]
    assert not list(tmp_path.glob("*.pdf"))  # no --pdf-dir, no PDFs


def test_all_good_files_exit_0(tmp_path, muster, krause):
    out, err, error = assess(muster, krause, "--pdf-dir", tmp_path / "out")
    assert error is None
    assert err == ""
    assert len(out.splitlines()) == 2
    assert (tmp_path / "out" / "muster.pdf").read_bytes().startswith(b"%PDF")


def test_an_exported_assessment_is_read_in_a_batch_too(tmp_path, muster, krause):
    exported = tmp_path / "export.json"
    data = json.loads(krause.read_text())
    exported.write_text(
        json.dumps({"format": "compliance-wizard/assessment", "format_version": 1, **data, "comments": []})
    )
    out, _, error = assess(krause, exported)
    assert error is None
    first, second = out.splitlines()
    assert first.split(": ", 1)[1] == second.split(": ", 1)[1]


@pytest.mark.parametrize("option", ["--json", "--pdf", "--docx"])
def test_json_pdf_and_docx_take_a_single_file(tmp_path, muster, krause, option):
    out, _, error = assess(muster, krause, option, tmp_path / "out")
    assert error is not None
    assert "--json, --pdf and --docx take a single answers file; for several files use --pdf-dir DIR" in str(error)
    assert out == ""


def test_two_files_that_would_write_the_same_pdf_are_refused_before_anything_is_written(tmp_path, muster):
    twin = tmp_path / "elsewhere" / "muster.yaml"
    twin.parent.mkdir()
    shutil.copy(EXAMPLE, twin)
    out, _, error = assess(muster, twin, "--pdf-dir", tmp_path / "out")
    assert error is not None and error.returncode == 2
    assert f"{muster} and {twin}" in str(error)
    assert out == ""
    assert not (tmp_path / "out").exists()


def test_a_single_file_with_pdf_dir_is_a_batch_of_one(tmp_path, muster):
    out, _, error = assess(muster, "--pdf-dir", tmp_path)
    assert error is None
    assert out.startswith(f"{muster}: ") and out.rstrip().endswith(f"PDF: {tmp_path / 'muster.pdf'}")
