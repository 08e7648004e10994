"""One rule for every free-text field: bidi controls and other invisible format characters are dropped.

U+202E shows the text after it backwards; on a report cover or in a comment it can make "Frist: 2025"
read as something else. Names lost these characters already; the branding's intro and address, the
client's notes and the finding comments kept them, typed into the workspace or brought in by an import.
Line breaks stay where a field has several lines.
"""

from __future__ import annotations

import json

import pytest
from django import forms

from compliance_wizard.branding.fields import AccentColorField
from compliance_wizard.chambers.forms import ChamberSettingsForm
from compliance_wizard.chambers.models import Chamber
from compliance_wizard.engine.answers_file import clean_text
from compliance_wizard.workspace.exchange import assessment_document, parse_import
from compliance_wizard.workspace.forms import BrandingForm, ClientForm, FindingNoteForm
from compliance_wizard.workspace.models import FindingNote
from tests.workspace import MODEL_BUSINESS, add_client, answers_of, finished_check

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
TAINTED = f"Erste{BIDI} Zeile\u200f\nzweite \u202eZeile"

# Fields whose values are not free text: addresses, colours, dates, choices.
NOT_FREE_TEXT = (forms.EmailField, forms.URLField, AccentColorField)


def free_text_fields(form: forms.Form) -> list[str]:
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField) and not isinstance(field, NOT_FREE_TEXT) and name != "website"
    ]


def chamber_form(data=None):
    return ChamberSettingsForm(data, chamber=Chamber(name="HWK", slug="hwk"), checklists=[("whatsapp-business", "W")])


FORMS = {
    "branding": lambda data=None: BrandingForm(data),
    "client": lambda data=None: ClientForm(data),
    "finding note": lambda data=None: FindingNoteForm(data),
    "chamber settings": chamber_form,
}


@pytest.mark.parametrize("name", FORMS)
def test_no_free_text_field_keeps_a_bidi_control(name):
    make = FORMS[name]
    fields = free_text_fields(make())
    assert fields
    data = {field: TAINTED for field in fields} | {"accent_color": "#0b5394", "brand_color": "#0b5394"}
    data |= {"checklists": ["whatsapp-business"], "sectors": ["construction"]}
    form = make(data)
    form.is_valid()
    for field in fields:
        assert field in form.cleaned_data, (field, form.errors.get(field))
        value = form.cleaned_data[field]
        assert not set(value) & set(BIDI + "\u200f"), (field, value)
        assert "Erste Zeile" in value and "zweite Zeile" in value


def test_multi_line_text_keeps_its_lines_and_loses_every_control_but_the_line_break():
    assert clean_text("Hallo\u202e Welt\r\n\r\nZweite\x07 Zeile\t ") == "Hallo Welt\n\nZweite Zeile"


def test_an_imported_comment_loses_its_bidi_controls(dana):
    check = finished_check(add_client(dana, "Tischlerei Holzwurm"), answers_of(MODEL_BUSINESS))
    requirement = next(f["id"] for f in check.result["de"]["findings"] if f["status"] in ("gap", "met"))
    FindingNote.objects.create(assessment=check, requirement_id=requirement, comment="x", responsible="y")
    exported = assessment_document(check)
    exported["comments"][0] |= {"comment": TAINTED, "responsible": f"Anna{BIDI} Holz"}
    document = parse_import(json.dumps(exported, default=str).encode(), "check.json")
    assert document.ok, document.problems
    assert document.comments[0]["comment"] == "Erste Zeile\nzweite Zeile"
    assert document.comments[0]["responsible"] == "Anna Holz"
