"""Redis goes away: the wizard goes on, and the throttles that count in it let everyone through.

The cache holds only counters (wrong logins, reset mails, wrong tokens) and the chamber index, nothing a
check needs. With the cache unreachable the throttles fail open, each time with a warning in the log: a lock
for everyone would be worse than a few minutes without a limit, and an error page on every token link worse
still. Here the cache is a real Redis client pointed at a port where nothing listens.
"""

from __future__ import annotations

import logging

import pytest
import redis
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client

from compliance_wizard.chambers.models import Chamber
from tests.test_wizard_flow import KRAUSE
from tests.wizard import WizardRun

pytestmark = pytest.mark.django_db

DOWN = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/"}}
PASSWORD = "Lindenblüte-im-Mai-47"


@pytest.fixture
def redis_down(settings, caplog):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = DOWN
    with pytest.raises(redis.exceptions.ConnectionError):
        cache.get("anything")
    caplog.set_level(logging.WARNING, logger="compliance_wizard")
    return caplog


def visitor() -> Client:
    return Client(REMOTE_ADDR="198.51.100.20", HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)


def cache_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and "cache" in r.getMessage()]


def test_a_whole_check_from_start_to_result_and_its_links_work_without_the_cache(redis_down):
    run = WizardRun(visitor(), "whatsapp-business", lang="en")
    run.start("Malerbetrieb Krause")
    assert run.open().status_code == 200  # /draft/<token>/<step>/
    result = run.answer_all(KRAUSE.answers)
    assert result.status_code == 200
    assert run.client.get(f"/draft/{run.token}/").status_code in (200, 302)
    assert run.client.get(f"/result/{'x' * 43}/").status_code == 404  # a wrong token is still only a 404
    assert cache_warnings(redis_down)


def test_a_chambers_site_works_without_the_cache(redis_down):
    Chamber.objects.create(name="HWK Musterstadt", slug="musterstadt")
    assert visitor().get("/hwk/musterstadt/").status_code == 200


def test_logging_in_works_without_the_cache_and_a_wrong_password_is_still_refused(redis_down):
    get_user_model().objects.create_user(username="dana@x.test", email="dana@x.test", password=PASSWORD)
    client = visitor()
    for _ in range(6):  # more than the limit: nothing is counted, nobody is locked out
        assert client.post("/accounts/login/", {"username": "dana@x.test", "password": "falsch"}).status_code == 200
    assert client.post("/accounts/login/", {"username": "dana@x.test", "password": PASSWORD}).status_code == 302
    assert any("login-failures" in message for message in cache_warnings(redis_down))


def test_the_reset_form_mails_its_link_without_the_cache(redis_down):
    get_user_model().objects.create_user(username="dana@x.test", email="dana@x.test", password=PASSWORD)
    assert visitor().post("/accounts/password-reset/", {"email": "dana@x.test"}).status_code == 302
    assert len(mail.outbox) == 1
    assert any("reset-requests" in message for message in cache_warnings(redis_down))
