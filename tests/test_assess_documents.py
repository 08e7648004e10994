"""`manage.py assess --docx`: the documents from the command line, filled with the answers file's `details:`."""

import io
import shutil

import pytest
import yaml
from docx import Document as read_docx

from compliance_wizard.catalog import registry
from compliance_wizard.engine import parse_answers
from compliance_wizard.workspace.management.commands import assess as command
from tests.conftest import ROOT
from tests.test_assess_batch import assess

EXAMPLE = ROOT / "examples" / "malerbetrieb-muster.yaml"
WITH_DETAILS = ROOT / "examples" / "malerbetrieb-muster-dokumente.yaml"


@pytest.fixture(autouse=True)
def fresh_registry():
    registry.reset()
    yield
    registry.reset()


def docx_text(path):
    doc = read_docx(io.BytesIO(path.read_bytes()))
    return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])


def with_details(tmp_path, details, name="check.yaml"):
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    path = tmp_path / name
    path.write_text(yaml.safe_dump({**data, "details": details}, allow_unicode=True), encoding="utf-8")
    return path


def test_the_example_with_details_gives_complete_documents_without_a_blank(tmp_path):
    out, err, error = assess(WITH_DETAILS, "--docx", tmp_path / "dokumente.docx")
    assert error is None, err
    assert f"Word: {tmp_path / 'dokumente.docx'}" in out
    text = docx_text(tmp_path / "dokumente.docx")
    assert "noch auszufüllen" not in text.lower() and "{" not in text
    assert "info@malerbetrieb-muster.de" in text and "Hauptstraße 12, 80331 München" in text
    assert "Bayerisches Landesamt für Datenschutzaufsicht (BayLDA)" in text
    assert "Art. 21" in text


def test_without_details_the_documents_mark_and_list_what_is_missing(tmp_path):
    _, err, error = assess(EXAMPLE, "--docx", tmp_path / "dokumente.docx")
    assert error is None, err
    text = docx_text(tmp_path / "dokumente.docx")
    assert "Noch auszufüllen:" in text and "[noch auszufüllen: E-Mail-Adresse]" in text
    assert "Malerbetrieb Muster GmbH" in text  # the business name stands in for the controller's


def test_the_pdf_gets_the_documents_and_whether_details_were_given(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(command, "render_pdf", lambda data, **kw: calls.append(kw) or ("r.pdf", "x", b"%PDF"))
    for path in (EXAMPLE, WITH_DETAILS):
        assert assess(path, "--pdf", tmp_path / "r.pdf")[2] is None
    assert [c["details_given"] for c in calls] == [False, True]
    assert any("info@malerbetrieb-muster.de" in d.text for d in calls[1]["documents"])


def test_a_batch_writes_a_word_file_per_answers_file(tmp_path):
    first = with_details(tmp_path, {"email": "a@example.de"}, "a.yaml")
    second = tmp_path / "b.yaml"
    shutil.copy(EXAMPLE, second)
    out, err, error = assess(first, second, "--docx-dir", tmp_path / "word")
    assert error is None, err
    assert "a@example.de" in docx_text(tmp_path / "word" / "a.docx")
    assert (tmp_path / "word" / "b.docx").exists()
    assert f"Word: {tmp_path / 'word' / 'a.docx'}" in out


def test_docx_takes_one_file_and_says_what_serves_several(tmp_path):
    _, _, error = assess(EXAMPLE, WITH_DETAILS, "--docx", tmp_path / "d.docx")
    assert error is not None and "--docx-dir" in str(error)


@pytest.mark.parametrize(
    ("details", "message"),
    [
        ({"email": "not-an-address"}, "detail 'email' 'not-an-address' is not an e-mail address"),
        ({"privacy_url": "ftp://example.de/x"}, "detail 'privacy_url' 'ftp://example.de/x' is not a web address"),
        ({"imprint_url": "javascript:alert(1)"}, "detail 'imprint_url'"),
        ({"state": "bavaria"}, "detail 'state' must be one of bw, by"),
        ({"chat_deletion": 5}, "detail 'chat_deletion' must be one of 1, 3, 6, 12"),
        ({"phone": "1" * 41}, "detail 'phone' is longer than 40 characters"),
        ({"fax": "123"}, "unknown detail 'fax' (known: controller_name"),
        ({"email": ["a@b.de"]}, "detail 'email' must be text"),
    ],
)
def test_a_bad_detail_is_named_by_its_key(tmp_path, details, message):
    _, err, error = assess(with_details(tmp_path, details), "--docx", tmp_path / "d.docx")
    assert error is not None and error.returncode == 2
    assert f"details: {message}" in err
    assert not (tmp_path / "d.docx").exists()


def test_details_must_be_a_mapping_and_are_cleaned_like_the_form_cleans_them():
    text = "answers: {}\ndetails: [email]\n"
    assert any("details: must be a mapping" in p for p in parse_answers(text, "f.yaml").problems)
    hostile = 'answers: {}\ndetails:\n  controller_name: "Maler\\u202e \\x07Muster\\nGmbH"\n  chat_deletion: 3\n'
    document = parse_answers(hostile, "f.yaml")
    assert document.details == {"controller_name": "Maler Muster, GmbH", "chat_deletion": "3"}
