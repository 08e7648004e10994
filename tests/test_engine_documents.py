"""Documents are data in the rule files, validated on load and filled by the engine from answers and details."""

import copy
import re

import pytest
import yaml

from compliance_wizard.engine import ChecklistError, load_checklist
from compliance_wizard.engine.details import DETAIL_LIMITS, clean_details, details_asked
from compliance_wizard.engine.documents import offered_documents, render_documents
from tests.conftest import FIXTURES, ROOT

VALID = yaml.safe_load((FIXTURES / "checklists" / "website-basics.yaml").read_text(encoding="utf-8"))
EXAMPLE = yaml.safe_load((ROOT / "examples" / "malerbetrieb-muster.yaml").read_text(encoding="utf-8"))["answers"]

EVERY_DETAIL = {
    "controller_name": "Malerbetrieb Muster GmbH",
    "controller_address": "Hauptstraße 1, 80331 München",
    "email": "info@maler-muster.de",
    "phone": "+49 89 123456",
    "dpo_name": "Erika Beispiel",
    "dpo_contact": "dsb@maler-muster.de",
    "website": "https://www.maler-muster.de/",
    "imprint_url": "https://www.maler-muster.de/impressum",
    "privacy_url": "https://www.maler-muster.de/datenschutz",
    "state": "by",
    "bsp_name": "Chat-Dienst AG, Berlin",
    "bsp_location": "Deutschland",
    "chat_deletion": "3",
}


def answers(**changes):
    return {**EXAMPLE, **changes}


def by_id(documents):
    return {d.id: d for d in documents}


def test_every_federal_state_has_its_authority(whatsapp):
    assert len(whatsapp.authorities) == 16
    assert all(a.url.startswith("https://") and a.address and a.name for a in whatsapp.authorities.values())


@pytest.mark.parametrize(
    ("state", "authority", "place"),
    [
        ("by", "Bayerisches Landesamt für Datenschutzaufsicht (BayLDA)", "91522 Ansbach"),
        ("be", "Berliner Beauftragte für Datenschutz und Informationsfreiheit", "10555 Berlin"),
        ("nw", "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen", "40213 Düsseldorf"),
        ("ni", "Landesbeauftragte für den Datenschutz Niedersachsen", "30159 Hannover"),
    ],
)
def test_the_complaint_right_names_the_authority_of_the_state(whatsapp, state, authority, place):
    for lang in ("de", "en"):
        privacy = by_id(render_documents(whatsapp, answers(), {"state": state}, lang))["privacy-section"]
        complaint = next(s for s in privacy.sections if "Art. 77" in " ".join(s.paragraphs))
        text = " ".join(complaint.paragraphs)
        assert authority in text and place in text
    assert "Landesbeauftragte für den Datenschutz (BayLfD)" not in privacy.text
    assert "München" not in privacy.text  # the BayLfD, which supervises public bodies only


def test_the_right_to_object_is_a_section_of_its_own(whatsapp):
    privacy = by_id(render_documents(whatsapp, answers(), EVERY_DETAIL, "de"))["privacy-section"]
    objection = [s for s in privacy.sections if "Art. 21" in s.heading]
    assert len(objection) == 1
    assert "widersprechen" in objection[0].paragraphs[0]
    assert all("Art. 21" not in s.heading for s in privacy.sections if s is not objection[0])


def test_no_placeholder_is_left_when_every_detail_is_given(whatsapp):
    every_branch = answers(uses_bsp="yes", sends_advertising="yes", dpo_named="yes", app_variant="platform")
    for lang in ("de", "en"):
        documents = render_documents(whatsapp, every_branch, EVERY_DETAIL, lang)
        assert {d.id for d in documents} >= {"privacy-section", "records-entry", "stop-optin", "greeting-away"}
        for document in documents:
            assert document.missing == () and document.missing_line == ""
            assert not re.search(r"\{\w+\}|noch auszufüllen|still to fill in", document.text), document.id
    privacy = by_id(render_documents(whatsapp, every_branch, EVERY_DETAIL, "de"))["privacy-section"].text
    filled = ("Malerbetrieb Muster GmbH", "info@maler-muster.de", "Erika Beispiel", "Chat-Dienst AG", "drei Monaten")
    assert all(value in privacy for value in filled)


def test_a_missing_detail_is_marked_in_the_text_and_listed_at_the_top(whatsapp):
    details = {k: v for k, v in EVERY_DETAIL.items() if k not in ("email", "state")}
    privacy = by_id(render_documents(whatsapp, answers(), details, "de"))["privacy-section"]
    assert privacy.missing == ("E-Mail-Adresse", "zuständige Datenschutz-Aufsichtsbehörde (Bundesland angeben)")
    assert privacy.text.startswith("Noch auszufüllen: E-Mail-Adresse, zuständige Datenschutz-Aufsichtsbehörde")
    assert "[noch auszufüllen: E-Mail-Adresse]" in privacy.text
    english = by_id(render_documents(whatsapp, answers(), details, "en"))["privacy-section"]
    assert english.text.startswith("Still to fill in: e-mail address")


@pytest.mark.parametrize(
    ("changes", "offered", "not_offered"),
    [
        ({"sends_advertising": "yes"}, {"stop-optin"}, set()),
        ({"sends_advertising": "no"}, set(), {"stop-optin"}),
        ({"app_variant": "consumer"}, {"privacy-section", "staff-instruction"}, {"greeting-away", "filing-checklist"}),
        ({"app_variant": "business_app"}, {"greeting-away", "filing-checklist"}, set()),
    ],
)
def test_only_documents_that_fit_the_answers_are_offered(whatsapp, changes, offered, not_offered):
    ids = {d.id for d in offered_documents(whatsapp, answers(**changes), {})}
    assert offered <= ids and not (not_offered & ids)


def test_sections_follow_the_answers_and_the_details(whatsapp):
    def privacy(changes, details):
        return by_id(render_documents(whatsapp, answers(**changes), details, "de"))["privacy-section"].text

    assert "Datenschutzbeauftragte" not in privacy({"dpo_named": "no"}, {})
    assert "Erika Beispiel" in privacy({"dpo_named": "no"}, {"dpo_name": "Erika Beispiel"})
    assert "Werbung, Angebote und Einladungen" in privacy({"sends_advertising": "yes"}, {})
    assert "Werbung, Angebote und Einladungen" not in privacy({"sends_advertising": "no"}, {})
    assert "Anbindung an WhatsApp" not in privacy({"uses_bsp": "no"}, {})


def test_a_value_is_filled_once_and_never_read_as_a_placeholder(whatsapp):
    details = {"controller_name": '{email} =HYPERLINK("http://x") <b>', "email": "a@b.de"}
    text = by_id(render_documents(whatsapp, answers(), details, "de"))["records-entry"].text
    assert '{email} =HYPERLINK("http://x") <b>' in text


def test_details_are_cleaned_and_bounded():
    details, problems = clean_details(
        {"controller_name": "Muster\u202eGmbH\x07\r\nZweite Zeile", "phone": "1" * 50_000, "colour": "red"}
    )
    assert details == {"controller_name": "MusterGmbH, Zweite Zeile"}
    assert problems == [
        "detail 'phone' is longer than 40 characters",
        "unknown detail 'colour' (known: controller_name, controller_address, email, phone, dpo_name, "
        "dpo_contact, website, imprint_url, privacy_url, state, bsp_name, bsp_location, chat_deletion)",
    ]


@pytest.mark.parametrize(
    ("changes", "asks_provider"),
    [
        ({"app_variant": "platform", "uses_bsp": "yes"}, True),
        ({"app_variant": "platform", "uses_bsp": "unknown"}, True),
        ({"app_variant": "platform", "uses_bsp": "no"}, False),
        ({"app_variant": "business_app"}, False),  # uses_bsp is not asked at all
    ],
)
def test_the_provider_is_asked_only_when_the_answers_name_one(whatsapp, changes, asks_provider):
    example = {k: v for k, v in EXAMPLE.items() if k != "uses_bsp"}
    provider = {"bsp_name", "bsp_location"}
    expected = set(DETAIL_LIMITS) if asks_provider else set(DETAIL_LIMITS) - provider
    assert details_asked(whatsapp, {**example, **changes}, {}) == expected


def test_a_detail_given_already_stays_asked_whatever_the_answers(whatsapp):
    asked = details_asked(whatsapp, answers(uses_bsp="no"), {"bsp_name": "Chat-Dienst AG"})
    assert "bsp_name" in asked and "bsp_location" not in asked


def test_which_details_are_asked_comes_from_the_rule_files(tmp_path):
    rules = {**VALID, "details": [{"detail": "dpo_name", "asked_if": {"question": "has_site", "equals": "yes"}}]}
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    checklist = load_checklist(path)
    assert "dpo_name" in details_asked(checklist, {"has_site": "yes"}, {})
    assert "dpo_name" in details_asked(checklist, {"has_site": "unknown"}, {})  # open asks
    assert "dpo_name" not in details_asked(checklist, {"has_site": "no"}, {})
    # Without a `details:` section nothing is conditional, not even the provider.
    assert details_asked(load_checklist(FIXTURES / "checklists" / "website-basics.yaml"), {}, {}) == set(DETAIL_LIMITS)


# The loader: documents are checked like every other part of a rule file.

DOCUMENT = {
    "id": "notice",
    "title": {"de": "Hinweis", "en": "Notice"},
    "usage": {"de": "Einfügen.", "en": "Paste."},
    "reason": {"de": "Art. 13 DSGVO.", "en": "Art. 13 GDPR."},
    "applies_if": {"question": "has_site", "equals": "yes"},
    "sections": [
        {"heading": {"de": "Kontakt", "en": "Contact"}, "text": {"de": "{email}", "en": "{email}"}},
        {"rows": [{"label": {"de": "A", "en": "A"}, "value": {"de": "B", "en": "B"}}]},
        {"if": {"detail": "dpo_name", "given": True}, "text": {"de": "{dpo_name}", "en": "{dpo_name}"}},
    ],
}

ASKED_IF = {"detail": "bsp_name", "asked_if": {"question": "site_kind", "one_of": ["shop", "unknown"]}}


def errors_for(tmp_path, mutate):
    data = copy.deepcopy(VALID)
    data["documents"] = [copy.deepcopy(DOCUMENT)]
    data["details"] = [copy.deepcopy(ASKED_IF)]
    mutate(data)
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ChecklistError) as info:
        load_checklist(path)
    return [(e.file, e.path, e.message) for e in info.value.errors]


def test_a_valid_document_loads_and_does_not_change_the_content_hash(tmp_path):
    plain = tmp_path / "plain.yaml"
    plain.write_text(yaml.safe_dump(VALID, allow_unicode=True), encoding="utf-8")
    with_document = tmp_path / "documents.yaml"
    rules = {**VALID, "documents": [DOCUMENT], "details": [ASKED_IF]}
    with_document.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    checklist = load_checklist(with_document)
    assert [d.id for d in checklist.documents] == ["notice"]
    assert list(checklist.details_asked_if) == ["bsp_name"]
    assert checklist.content_hash == load_checklist(plain).content_hash


@pytest.mark.parametrize(
    ("mutate", "path", "fragment"),
    [
        (lambda d: d["documents"][0].update(titel={}), "documents[0].titel", "did you mean 'title'"),
        (lambda d: d["documents"][0].pop("reason"), "documents[0]", "missing key 'reason'"),
        (
            lambda d: d["documents"][0]["sections"][0]["text"].update(de="{fax}"),
            "documents[0].sections[0].text.de",
            "unknown placeholder '{fax}'",
        ),
        (
            lambda d: d["documents"][0].update(applies_if={"question": "has_shop", "equals": "yes"}),
            "documents[0].applies_if.question",
            "unknown question 'has_shop'",
        ),
        (
            lambda d: d["documents"][0]["sections"][2].update(**{"if": {"detail": "fax", "given": True}}),
            "documents[0].sections[2].if.detail",
            "unknown detail 'fax'",
        ),
        (
            lambda d: d["documents"][0]["sections"][1].update(text={"de": "x", "en": "x"}),
            "documents[0].sections[1]",
            "either 'text' or 'rows'",
        ),
        (
            lambda d: d["documents"][0]["sections"][1]["rows"][0].pop("value"),
            "documents[0].sections[1].rows[0]",
            "missing key 'value'",
        ),
        (lambda d: d["documents"].append(copy.deepcopy(DOCUMENT)), "documents[1].id", "duplicate document id"),
        (lambda d: d["documents"][0]["title"].pop("en"), "documents[0].title", "missing translation 'en'"),
        (
            lambda d: d.update(authorities=[{"state": "by", "state_name": {"de": "Bayern", "en": "Bavaria"}}]),
            "authorities[0]",
            "missing key 'name'",
        ),
        (
            lambda d: d.update(
                authorities=[
                    {
                        "state": "by",
                        "state_name": {"de": "Bayern", "en": "Bavaria"},
                        "name": "BayLDA",
                        "address": "Promenade 18, 91522 Ansbach",
                        "url": "https://www.lda.bayern.de",
                    }
                ]
            ),
            "authorities",
            "missing the authority of: bw, be",
        ),
        (
            lambda d: d["details"][0]["asked_if"].update(question="uses_bsp"),
            "details[0].asked_if.question",
            "unknown question 'uses_bsp'",
        ),
        (
            lambda d: d["details"][0]["asked_if"].update(one_of=["shop", "blog"]),
            "details[0].asked_if.one_of[1]",
            "'blog' is not an option of question 'site_kind'",
        ),
        (lambda d: d["details"][0].update(detail="fax"), "details[0].detail", "unknown detail 'fax'"),
        (lambda d: d["details"][0].update(detail="authority"), "details[0].detail", "derived from the federal state"),
        (lambda d: d["details"][0].update(asked_iff={}), "details[0].asked_iff", "did you mean 'asked_if'"),
        (lambda d: d["details"][0].pop("asked_if"), "details[0]", "missing key 'asked_if'"),
        (lambda d: d["details"].append(copy.deepcopy(ASKED_IF)), "details[1].detail", "duplicate detail 'bsp_name'"),
        (
            # Asked on the answers alone: the form would otherwise change under the owner's hands.
            lambda d: d["details"][0].update(asked_if={"detail": "dpo_name", "given": True}),
            "details[0].asked_if",
            "a condition needs 'question'",
        ),
        (lambda d: d.update(details={"bsp_name": "yes"}), "details", "must be a non-empty list"),
    ],
)
def test_bad_documents_are_reported_with_file_and_path(tmp_path, mutate, path, fragment):
    errors = errors_for(tmp_path, mutate)
    assert any(p == path and fragment in m for _, p, m in errors), errors
    assert all(f.endswith("rules.yaml") for f, _, _ in errors)
