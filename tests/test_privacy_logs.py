"""The logs never hold the keys to someone's answers, nor the answers themselves."""

import logging

import pytest

from compliance_wizard.logfilters import RedactTokens, redact
from tests.test_wizard_flow import KRAUSE
from tests.wizard import WizardRun


def test_tokens_in_paths_are_redacted():
    assert redact('"GET /draft/abcdefghijklmnop1234/usage/ HTTP/1.1" 200') == '"GET /draft/[token]/usage/ HTTP/1.1" 200'
    assert redact("Not Found: /result/abcdefghijklmnop1234/report.pdf") == "Not Found: /result/[token]/report.pdf"
    assert redact("/check/whatsapp-business/") == "/check/whatsapp-business/"


def test_the_filter_redacts_message_and_arguments():
    record = logging.LogRecord(
        "django.server", logging.INFO, "", 0, '"%s" %s', ("GET /draft/secrettoken123/ HTTP/1.1", 200), None
    )
    RedactTokens().filter(record)
    assert record.getMessage() == '"GET /draft/[token]/ HTTP/1.1" 200'


@pytest.mark.django_db
def test_a_whole_check_logs_neither_token_nor_answers(client, caplog):
    caplog.set_level(logging.DEBUG)
    handler = logging.getLogger().handlers[0]
    run = WizardRun(client, "whatsapp-business")
    run.start("Malerei Geheim")
    run.answer_all(KRAUSE.answers)
    client.get("/draft/" + "y" * 43 + "/")  # a 404 is logged with its path
    lines = [handler.format(r) for r in caplog.records if all(f.filter(r) for f in handler.filters)]
    text = "\n".join(lines)
    assert "Not Found" in text
    assert run.token not in text and "y" * 43 not in text
    assert "Malerei Geheim" not in text and "business_app" not in text
