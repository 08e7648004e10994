"""Fixtures shared by the robustness tests."""

import pytest
from django.test import Client

from tests.test_wizard_flow import KRAUSE
from tests.wizard import WizardRun

KRAUSE_BUSINESS = "Malermeister Krause"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Examples log in and set passwords by the hundred; the hashing is not what is tested here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def krause(db):
    """Malermeister Krause has answered the first two steps; his browser shows error pages instead of raising."""
    run = WizardRun(Client(raise_request_exception=False), "whatsapp-business")
    run.start(KRAUSE_BUSINESS)
    assert run.post("usage", KRAUSE.answers).status_code == 302
    assert run.post("contracts", KRAUSE.answers).status_code == 302
    return run
