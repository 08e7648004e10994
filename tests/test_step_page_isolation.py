"""The questions of a step page (compliance_wizard/wizard/page.py) never show one visitor what belongs to
another: their chosen answers, their error messages, their language, or the questions their earlier answers
reveal."""

import pytest
from django.test import Client
from django.utils import translation

from compliance_wizard.wizard.page import Option, RadioQuestion, questions_html
from tests.test_wizard_flow import KRAUSE, SCHMIDT
from tests.wizard import WizardRun

pytestmark = pytest.mark.django_db


def visitor(lang: str = "de") -> WizardRun:
    run = WizardRun(Client(), "whatsapp-business", lang)
    run.start()
    return run


def test_what_krause_chose_is_not_shown_to_the_next_visitor():
    krause, yilmaz = visitor(), visitor()
    krause.post("usage", KRAUSE.answers)
    krause.post("contracts", {"avv_whatsapp": "filed"}, {"wizard_goto_step": "usage"})

    assert 'value="business_app" id="id_usage-app_variant_1" checked' in krause.open("usage").content.decode()
    fresh = yilmaz.open("usage").content.decode()
    assert "checked" not in fresh
    # And the other way round: her empty page does not stick to his.
    assert 'id="id_usage-app_variant_1" checked' in krause.open("usage").content.decode()


def test_an_error_shown_to_one_visitor_is_not_shown_to_the_next():
    hasty, careful = visitor(), visitor()
    rejected = hasty.post("usage", {"app_variant": "business_app"}).content.decode()
    assert 'id="id_usage-internal_use_error"' in rejected

    page = careful.open("usage").content.decode()
    assert "id_usage-internal_use_error" not in page and 'aria-invalid="true"' not in page
    # The same error again comes from the reused block, and still says what is wrong.
    again = careful.post("usage", {"app_variant": "business_app"}).content.decode()
    assert 'aria-describedby="id_usage-internal_use_error" aria-invalid="true"' in again


def test_each_language_gets_its_own_block():
    german, english = visitor("de"), visitor("en")
    assert "Was ist damit gemeint?" in german.open("usage").content.decode()
    page = english.open("usage").content.decode()
    assert "What does this mean?" in page and "Was ist damit gemeint?" not in page
    assert "Was ist damit gemeint?" in german.open("usage").content.decode()


def test_the_same_questions_get_the_page_texts_of_each_visitors_language():
    # A checklist written only in German shows its German questions to everyone; the page's own texts
    # ("What does this mean?") still follow the visitor's language.
    question = RadioQuestion(
        name="usage-team",
        label="Nutzt Ihr Team WhatsApp?",
        help="Auch auf privaten Handys.",
        errors="",
        error_id="id_usage-team_error",
        reveal=None,
        options=(Option("id_usage-team_0", "yes", "Ja", False), Option("id_usage-team_1", "no", "Nein", False)),
    )
    with translation.override("de"):
        german = questions_html((question,))
    with translation.override("en"):
        english = questions_html((question,))
    assert "Was ist damit gemeint?" in german and "What does this mean?" not in german
    assert "What does this mean?" in english and "Was ist damit gemeint?" not in english


def test_the_questions_asked_follow_each_visitors_own_earlier_answers():
    # The Business Platform skips the device step, and the contract step asks other questions.
    app, platform = visitor(), visitor()
    app.post("usage", KRAUSE.answers)
    platform.post("usage", SCHMIDT.answers)
    asked_app = app.open("contracts").context["fields"]
    asked_platform = platform.open("contracts").context["fields"]
    assert [f.name for f in asked_app] != [f.name for f in asked_platform]
    for run, asked in ((app, asked_app), (platform, asked_platform)):
        page = run.open("contracts").content.decode()
        for field in asked:
            assert f'name="contracts-{field.name}"' in page
