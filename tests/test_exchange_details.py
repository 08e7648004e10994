"""A check's details for its documents go out with its export and come back with its import, checked like the form."""

import json

import pytest

from compliance_wizard.assessments.services import assessment_details_save
from compliance_wizard.workspace.exchange import assessment_document, client_document, dump_document, parse_import
from compliance_wizard.workspace.services import assessment_import
from tests.test_engine_documents import EVERY_DETAIL
from tests.test_exchange import checked, checklist, english, muster  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

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
