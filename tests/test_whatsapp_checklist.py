"""The WhatsApp Business checklist says what the two source articles say, plus the general duties."""

import re

import pytest

from compliance_wizard.engine import visible_steps

# Each topic of the articles (and the general duties a consultant would add) has its own requirement.
TOPICS = {
    "consumer WhatsApp used for business": "consumer-app",
    "processing agreement with WhatsApp": "avv-whatsapp",
    "processing agreement with the Business Solution Provider": "avv-bsp",
    "the provider complies, servers in the EU": "bsp-compliance",
    "address book synchronisation": "contact-sync",
    "cloud backup off": "cloud-backup",
    "company devices only": "company-devices",
    "Impressum through a speaking link": "impressum-link",
    "privacy notice on first contact": "first-contact-notice",
    "WhatsApp in the website's privacy policy": "privacy-policy",
    "legal basis for contacting": "legal-basis-contact",
    "advertising only with consent": "advertising-consent",
    "no mass sending": "bulk-messaging",
    "'Stopp' honoured": "opt-out",
    "no special-category data": "special-categories",
    "no internal staff communication": "internal-communication",
    "automatic saving of media off": "media-autosave",
    "third-country transfer (information)": "third-country-transfer",
    "permission management": "access-management",
    "archiving concept": "archiving-concept",
    "records of processing (Art. 30)": "records-of-processing",
    "lost or stolen phone (Art. 33/34)": "lost-device",
    "access and erasure requests (Art. 15, 17, 20)": "subject-requests",
    "commercial retention without cloud backup (§ 257 HGB, § 147 AO)": "commercial-retention",
}
GENERAL_DUTIES = {"records-of-processing", "lost-device", "subject-requests", "commercial-retention"}


def requirement(whatsapp, requirement_id):
    return next(r for r in whatsapp.requirements if r.id == requirement_id)


@pytest.mark.parametrize(("topic", "requirement_id"), TOPICS.items())
def test_every_topic_has_its_own_requirement(whatsapp, topic, requirement_id):
    r = requirement(whatsapp, requirement_id)
    assert r.norms, topic
    assert len(r.remediation) >= 3, f"{topic}: remediation should be concrete steps"
    if requirement_id in GENERAL_DUTIES:
        assert r.sources == ("general-duties",)
    else:
        assert "general-duties" not in r.sources


def test_knock_outs_are_the_missing_contracts_and_the_consumer_app(whatsapp):
    critical = {r.id for r in whatsapp.requirements if r.severity.value == "critical"}
    assert critical == {"consumer-app", "avv-whatsapp", "avv-bsp"}


def test_the_transfer_risk_is_information(whatsapp):
    assert requirement(whatsapp, "third-country-transfer").severity.value == "info"


@pytest.mark.parametrize(
    ("requirement_id", "norm"),
    [
        ("avv-whatsapp", "Art. 28"),
        ("impressum-link", "§ 5 DDG"),
        ("advertising-consent", "§ 7"),
        ("special-categories", "Art. 9"),
        ("first-contact-notice", "Art. 13"),
        ("opt-out", "Art. 21"),
        ("records-of-processing", "Art. 30"),
        ("lost-device", "Art. 33"),
        ("commercial-retention", "§ 257 HGB"),
        ("commercial-retention", "§ 147 AO"),
        ("third-country-transfer", "Art. 44"),
    ],
)
def test_requirements_cite_their_legal_norm(whatsapp, requirement_id, norm):
    assert any(norm in n for n in requirement(whatsapp, requirement_id).norms)


def test_every_question_offers_dont_know(whatsapp):
    assert all("unknown" in q.option_ids for q in whatsapp.questions.values())


def asked(whatsapp, answers):
    return {q.id for _, questions in visible_steps(whatsapp, answers) for q in questions}


def test_no_device_questions_for_the_business_platform(whatsapp):
    questions = asked(whatsapp, {"app_variant": "platform", "uses_bsp": "yes"})
    assert "contact_access" not in questions
    assert "cloud_backup_off" not in questions
    assert {"avv_bsp", "bsp_checked", "bsp_location"} <= questions


def test_no_provider_questions_without_a_provider(whatsapp):
    assert not {"avv_bsp", "bsp_checked", "bsp_location"} & asked(whatsapp, {"app_variant": "business_app"})
    assert not {"avv_bsp", "bsp_checked"} & asked(whatsapp, {"app_variant": "platform", "uses_bsp": "no"})


def test_follow_up_questions_only_when_they_matter(whatsapp):
    assert "optin" not in asked(whatsapp, {"first_contact": "customer"})
    assert "optin" in asked(whatsapp, {"first_contact": "business"})
    assert "advertising_basis" not in asked(whatsapp, {"sends_advertising": "no"})


def test_templates_offer_the_texts_the_report_needs(whatsapp):
    assert set(whatsapp.templates) == {
        "greeting-message",
        "stop-reply",
        "privacy-policy-paragraph",
        "double-optin-request",
        "records-entry",
    }
    for template in whatsapp.templates.values():
        assert "{business_name}" in template.text.get("de") + template.text.get("en"), template.id


def test_texts_are_finished(whatsapp):
    """No placeholder text slipped through: every text is written out in both languages."""
    texts = []
    for r in whatsapp.requirements:
        texts += [r.title, r.why, r.clarify, *r.remediation]
    for t in whatsapp.templates.values():
        texts += [t.title, t.usage, t.text]
    for lang in ("de", "en"):
        for text in texts:
            assert not re.search(r"\bTODO\b", text.get(lang)), text.get(lang)[:60]
