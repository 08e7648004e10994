"""The WhatsApp Business checklist says what the two source articles say, plus the general duties, and its
verdict is no friendlier than the law."""

import re

import pytest

from compliance_wizard.engine import render_template, visible_steps

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
    "privacy notice when the business writes first": "outbound-notice",
    "WhatsApp in the website's privacy policy": "privacy-policy",
    "legal basis for contacting": "legal-basis-contact",
    "advertising only with consent": "advertising-consent",
    "no mass sending": "bulk-messaging",
    "'Stopp' honoured": "opt-out",
    "no special-category data": "special-categories",
    "no internal staff communication": "internal-communication",
    "automatic saving of media off": "media-autosave",
    "third-country transfer in the records (Art. 30)": "transfer-record",
    "permission management": "access-management",
    "archiving concept": "archiving-concept",
    "records of processing (Art. 30)": "records-of-processing",
    "lost or stolen phone (Art. 33/34)": "lost-device",
    "access and erasure requests (Art. 15, 17, 20)": "subject-requests",
    "commercial retention without cloud backup (§ 257 HGB, § 147 AO, § 14b UStG)": "commercial-retention",
    "health data over the messenger in health and care": "special-categories-health",
    "a basis under Art. 9 (2) for health data": "art9-basis",
    "data protection impact assessment (Art. 35)": "dpia",
    "data protection officer (§ 38 BDSG)": "dpo",
    "professional secrecy (§ 203 StGB)": "professional-secrecy",
}
GENERAL_DUTIES = {"records-of-processing", "lost-device", "subject-requests", "commercial-retention"}
# Duties from the law itself that the articles touch on too, and the health module, cite both kinds.
MIXED = {"transfer-record"}
HEALTH = {"special-categories-health", "art9-basis", "dpia", "dpo", "professional-secrecy"}


def requirement(whatsapp, requirement_id):
    return next(r for r in whatsapp.requirements if r.id == requirement_id)


def note(whatsapp, note_id):
    return next(n for n in whatsapp.notes if n.id == note_id)


def norms(item, lang="de"):
    return [n.get(lang) for n in item.norms]


@pytest.mark.parametrize(("topic", "requirement_id"), TOPICS.items())
def test_every_topic_has_its_own_requirement(whatsapp, topic, requirement_id):
    r = requirement(whatsapp, requirement_id)
    assert r.norms, topic
    assert len(r.remediation) >= 3, f"{topic}: remediation should be concrete steps"
    if requirement_id in GENERAL_DUTIES:
        assert r.sources == ("general-duties",)
    elif requirement_id in MIXED | HEALTH:
        assert "general-duties" in r.sources
    else:
        assert "general-duties" not in r.sources


def test_every_requirement_is_a_topic(whatsapp):
    assert {r.id for r in whatsapp.requirements} == set(TOPICS.values())


def test_the_knock_outs(whatsapp):
    critical = {r.id for r in whatsapp.requirements if r.severity.value == "critical"}
    assert critical == {
        "consumer-app",  # source 002: the private app forbids business use
        "avv-whatsapp",
        "avv-bsp",
        "contact-sync",  # source 002: uploading the whole address book excludes business use
        "special-categories-health",  # health data are the core data of health and care businesses
        "professional-secrecy",  # § 203 StGB: a criminal offence
    }


def test_health_data_are_high_elsewhere_and_critical_in_health_and_care(whatsapp):
    assert requirement(whatsapp, "special-categories").severity.value == "high"
    assert requirement(whatsapp, "special-categories-health").severity.value == "critical"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_severity_has_a_reason_that_cites_a_source_or_a_norm(whatsapp, lang):
    for item in whatsapp.requirements:
        assert re.search(r"Art\.|§|Section|Quelle|[Ss]ource", item.severity_reason.get(lang)), item.id
    for item in whatsapp.notes:
        assert re.search(r"Art\.|§|Section|Quelle|[Ss]ource", item.note_reason.get(lang)), item.id


def test_every_item_records_its_legal_review(whatsapp):
    dates = {item.reviewed for item in (*whatsapp.requirements, *whatsapp.notes)}
    assert dates and all(d.year >= 2026 for d in dates)


class TestNotes:
    def test_residual_risks_are_notes(self, whatsapp):
        assert {n.id for n in whatsapp.notes} == {"us-transfer", "processing-terms", "metadata"}

    def test_the_us_transfer_note_names_the_framework_the_court_and_the_fallback(self, whatsapp):
        risk = note(whatsapp, "us-transfer").risk
        assert "Data Privacy Framework" in risk.get("de")
        assert "T-553/23" in risk.get("de") and "T-553/23" in risk.get("en")
        assert "Standardvertragsklauseln" in risk.get("de")
        assert "standard contractual clauses" in risk.get("en")

    @pytest.mark.parametrize("lang", ["de", "en"])
    def test_notes_never_speak_of_gaps(self, whatsapp, lang):
        for n in whatsapp.notes:
            text = " ".join([n.title.get(lang), n.risk.get(lang), *(s.get(lang) for s in n.lowers_risk)])
            assert not re.search(r"Lücke|\bgap\b", text), n.id

    def test_documenting_the_transfer_is_a_small_duty_of_its_own(self, whatsapp):
        r = requirement(whatsapp, "transfer-record")
        assert r.severity.value == "low"
        assert any("Art. 30" in n for n in norms(r))


@pytest.mark.parametrize(
    ("requirement_id", "norm"),
    [
        ("avv-whatsapp", "Art. 28"),
        ("impressum-link", "§ 5 Digitale-Dienste-Gesetz"),
        ("advertising-consent", "§ 7 Abs. 3 UWG"),
        ("special-categories", "Art. 9"),
        ("first-contact-notice", "Art. 13"),
        ("outbound-notice", "Art. 13"),
        ("opt-out", "Art. 21"),
        ("records-of-processing", "Art. 30"),
        ("lost-device", "Art. 33"),
        ("commercial-retention", "§ 257 HGB"),
        ("commercial-retention", "§ 147 AO"),
        ("commercial-retention", "§ 14b UStG"),
        ("art9-basis", "Art. 9 Abs. 2"),
        ("dpia", "Art. 35"),
        ("dpo", "§ 38"),
        ("professional-secrecy", "§ 203"),
    ],
)
def test_requirements_cite_their_legal_norm(whatsapp, requirement_id, norm):
    assert any(norm in n for n in norms(requirement(whatsapp, requirement_id)))


def test_norms_are_written_the_way_each_language_writes_them(whatsapp):
    for item in (*whatsapp.requirements, *whatsapp.notes):
        for n in item.norms:
            assert "GDPR" not in n.get("de"), n.get("de")
            assert not re.search(r"DSGVO|Abs\.|lit\.|Nr\.|\bff\.", n.get("en")), n.get("en")
            if "DSGVO" in n.get("de"):
                assert n.get("en").endswith("GDPR"), n.get("en")


def all_texts(whatsapp):
    texts = []
    for r in whatsapp.requirements:
        texts += [r.title, r.why, r.clarify, r.severity_reason, *r.remediation, *r.norms]
        texts += [rule.reason for rule in r.clarify_if]
    for n in whatsapp.notes:
        texts += [n.title, n.risk, n.note_reason, *n.lowers_risk, *n.norms]
    for t in whatsapp.templates.values():
        texts += [t.title, t.usage, *(p.text for p in t.parts)]
    for q in whatsapp.questions.values():
        texts += [q.text, q.help, *(o.label for o in q.options)]
    return texts


@pytest.mark.parametrize(
    ("lang", "forbidden"),
    [
        ("de", r"Verzeichnis(ses)? der Verarbeitungstätigkeiten"),  # one term: "Verzeichnis von …"
        ("de", r"Unterauftrag"),  # one term: "weiterer Auftragsverarbeiter"
        ("en", r"Digital Services Act"),  # the DDG is the Digitale-Dienste-Gesetz, not the EU's DSA
        ("en", r"sub-?contractor"),  # one term: "sub-processor"
        ("de", r"\bTODO\b"),
        ("en", r"\bTODO\b"),
    ],
)
def test_one_term_for_each_thing(whatsapp, lang, forbidden):
    found = [t.get(lang)[:80] for t in all_texts(whatsapp) if re.search(forbidden, t.get(lang))]
    assert found == []


def test_every_question_offers_dont_know(whatsapp):
    assert all("unknown" in q.option_ids for q in whatsapp.questions.values())


def asked(whatsapp, answers):
    return {q.id for _, questions in visible_steps(whatsapp, answers) for q in questions}


class TestQuestionnaire:
    def test_the_kind_of_business_is_asked_first(self, whatsapp):
        first = whatsapp.steps[0].questions[0]
        assert whatsapp.sector_question == first.id == "sector"
        assert set(first.option_ids) == {"health_care", "personal_services", "construction", "other", "unknown"}

    @pytest.mark.parametrize("sector", ["personal_services", "construction", "other"])
    def test_other_sectors_get_no_extra_questions(self, whatsapp, sector):
        health = {q.id for q in next(s for s in whatsapp.steps if s.id == "health").questions}
        assert not health & asked(whatsapp, {"sector": sector, "special_categories": "sometimes"})

    @pytest.mark.parametrize("sector", ["health_care", "unknown"])
    def test_health_and_care_get_the_module(self, whatsapp, sector):
        questions = asked(whatsapp, {"sector": sector, "special_categories": "sometimes"})
        assert {"art9_basis", "dpia", "staff_count", "dpo_named", "professional_secrecy"} <= questions

    def test_no_address_book_or_backup_questions_for_the_business_platform(self, whatsapp):
        questions = asked(whatsapp, {"app_variant": "platform", "uses_bsp": "yes", "platform_phones": "no"})
        assert not {"company_devices", "contact_access", "cloud_backup", "media_autosave_off"} & questions
        assert {"avv_bsp", "bsp_checked", "bsp_location"} <= questions

    @pytest.mark.parametrize("phones", ["yes", "unknown"])
    def test_the_platform_through_phones_gets_the_device_questions(self, whatsapp, phones):
        questions = asked(whatsapp, {"app_variant": "platform", "uses_bsp": "yes", "platform_phones": phones})
        assert {"company_devices", "media_autosave_off", "lost_device_plan"} <= questions
        assert not {"contact_access", "cloud_backup"} & questions  # the Platform syncs no address book

    def test_no_provider_questions_without_a_provider(self, whatsapp):
        assert not {"avv_bsp", "bsp_checked", "bsp_location"} & asked(whatsapp, {"app_variant": "business_app"})
        assert not {"avv_bsp", "bsp_checked"} & asked(whatsapp, {"app_variant": "platform", "uses_bsp": "no"})

    def test_follow_up_questions_only_when_they_matter(self, whatsapp):
        assert not {"optin", "outbound_notice"} & asked(whatsapp, {"first_contact": "customer"})
        assert {"optin", "outbound_notice"} <= asked(whatsapp, {"first_contact": "business"})
        assert "advertising_basis" not in asked(whatsapp, {"sends_advertising": "no"})

    def test_advertising_answers_separate_consent_from_the_existing_customer_exception(self, whatsapp):
        assert whatsapp.questions["advertising_basis"].option_ids == (
            "consent",
            "existing_checked",
            "existing_unchecked",
            "all_contacts",
            "unknown",
        )


class TestTemplates:
    def test_the_report_offers_these_texts(self, whatsapp):
        assert set(whatsapp.templates) == {
            "greeting-message",
            "first-message",
            "stop-reply",
            "privacy-policy-paragraph",
            "double-optin-request",
            "records-entry",
        }

    def test_every_text_names_the_business(self, whatsapp):
        for template in whatsapp.templates.values():
            text = render_template(template, {}, "de", "{business_name}") + render_template(template, {}, "en")
            assert "[" in text or "{business_name}" in text, template.id

    @pytest.mark.parametrize("lang", ["de", "en"])
    def test_no_hard_coded_addresses_of_legal_pages(self, whatsapp, lang):
        for template in whatsapp.templates.values():
            for part in template.parts:
                assert not re.search(r"/(impressum|datenschutz)\b", part.text.get(lang)), template.id

    def test_the_stop_reply_keeps_the_number_on_the_do_not_contact_list(self, whatsapp):
        reply = whatsapp.templates["stop-reply"]
        de, en = render_template(reply, {}, "de"), render_template(reply, {}, "en")
        assert "Sperrliste" in de and "do-not-contact list" in en
        assert not re.search(r"Nummer[^.]*lösch", de) and not re.search(r"delete[^.]*number", en)

    def privacy(self, whatsapp, answers, lang="de"):
        return render_template(whatsapp.templates["privacy-policy-paragraph"], answers, lang, "Maler Krause")

    def test_the_privacy_section_sets_the_right_to_object_apart(self, whatsapp):
        text = self.privacy(whatsapp, {})
        assert "\n\nIhr Widerspruchsrecht (Art. 21 DSGVO):" in text
        assert "\n\nYour right to object (Art. 21 GDPR):" in self.privacy(whatsapp, {}, "en")

    def test_the_privacy_section_words_the_transfer_basis_as_in_whatsapps_terms(self, whatsapp):
        assert "in seinen jeweils aktuellen Bedingungen" in self.privacy(whatsapp, {})

    def test_a_named_data_protection_officer_gets_a_line(self, whatsapp):
        assert "Unsere Datenschutzbeauftragte oder unseren" in self.privacy(whatsapp, {"dpo_named": "yes"})
        assert "[Nur falls" in self.privacy(whatsapp, {})  # not asked: a marked hint
        assert "Datenschutzbeauftragte" not in self.privacy(whatsapp, {"dpo_named": "no"})

    def test_the_providers_server_location_is_stated(self, whatsapp):
        eu = self.privacy(whatsapp, {"uses_bsp": "yes", "bsp_location": "eu"})
        assert "[Name und Anschrift des Dienstleisters]" in eu and "Server stehen in der Europäischen Union" in eu
        assert "[Land]" in self.privacy(whatsapp, {"uses_bsp": "yes", "bsp_location": "third_country"})
        assert "Dienstleister" not in self.privacy(whatsapp, {"app_variant": "business_app"})

    def test_advertising_sentences_follow_the_answers(self, whatsapp):
        assert "eingewilligt" not in self.privacy(whatsapp, {"sends_advertising": "no"})
        assert "§ 7 Abs. 3 UWG" in self.privacy(
            whatsapp, {"sends_advertising": "yes", "advertising_basis": "existing_checked"}
        )


def test_the_consumer_app_is_replaced_without_moving_a_private_number(whatsapp):
    steps = [s.get("de") for s in requirement(whatsapp, "consumer-app").remediation]
    assert "nie die private Handynummer" in steps[0]


def test_texts_are_finished(whatsapp):
    """No placeholder text slipped through: every text is written out in both languages."""
    for lang in ("de", "en"):
        for text in all_texts(whatsapp):
            assert not re.search(r"\bTODO\b", text.get(lang)), text.get(lang)[:60]
