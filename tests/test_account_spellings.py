"""Every spelling that reaches an account shares that account's login lock and its limit of reset mails.

An account is looked up case-insensitively (iexact), and PostgreSQL folds more than ASCII: it upper-cases
`ſ` (long s) to `S` and `ı` (dotless i) to `I`, so `ſiſi@x.test` logs in as `sisi@x.test`. Django's reset
form compares addresses NFKC-normalised and case-folded, so a fullwidth spelling mails the account's owner.
Were the failures counted under the name as typed, each spelling would bring five fresh guesses and three
fresh mails. Run on PostgreSQL too (DATABASE_URL=postgres://postgres@127.0.0.1:5432/test): the dotless i
reaches the account only there.
"""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client

from compliance_wizard.accounts import throttle

pytestmark = pytest.mark.django_db

User = get_user_model()

LOGIN = "/accounts/login/"
RESET = "/accounts/password-reset/"
PASSWORD = "Lindenblüte-im-Mai-47"
WRONG = "Sommer2024"

# (the account as stored, a look-alike spelling of it)
SPELLINGS = {
    "long s": ("sisi@x.test", "ſiſi@x.test"),
    "dotless i": ("sisi@x.test", "sısı@x.test"),
    "fullwidth": ("sisi@x.test", "ｓｉｓｉ＠ｘ.ｔｅｓｔ"),
    "upper case": ("sisi@x.test", "SiSI@X.Test"),
    "combining marks": ("anna@müller.test", "anna@mu\u0308ller.test"),
}
# Spellings the database's iexact does not fold reach no account there: nothing to lock.
NEEDS_POSTGRESQL = {"dotless i"}

_addresses = (f"192.0.2.{n}" for n in itertools.cycle(range(1, 255)))


@pytest.fixture(autouse=True)
def fresh_counters(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(params=sorted(SPELLINGS))
def spelling(request):
    if request.param in NEEDS_POSTGRESQL and connection.vendor != "postgresql":
        pytest.skip("SQLite's iexact folds ASCII only: this spelling reaches no account there")
    stored, lookalike = SPELLINGS[request.param]
    User.objects.create_user(username=stored, email=stored, password=PASSWORD)
    return stored, lookalike


def browser() -> Client:
    # A new client address for every request: only the per-account count may stop these attempts.
    return Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=next(_addresses))


def log_in(username: str, password: str) -> int:
    return browser().post(LOGIN, {"username": username, "password": password}).status_code


def test_five_failures_under_a_look_alike_spelling_lock_the_account(spelling):
    stored, lookalike = spelling
    for _ in range(5):
        assert log_in(lookalike, WRONG) == 200
    assert log_in(stored, PASSWORD) == 429
    assert log_in(lookalike, PASSWORD) == 429


def test_a_look_alike_spelling_does_not_get_past_a_lock_on_the_account(spelling):
    stored, lookalike = spelling
    for _ in range(5):
        assert log_in(stored, WRONG) == 200
    assert log_in(lookalike, PASSWORD) == 429
    assert log_in(stored, PASSWORD) == 429


def test_look_alike_spellings_share_the_accounts_limit_of_reset_mails(spelling):
    """Three requests an hour for one account, however it is spelt (the form refuses some spellings as
    addresses: those send nothing and count for nothing)."""
    stored, lookalike = spelling
    answers = [browser().post(RESET, {"email": email}).status_code for email in [lookalike, stored] * 3]
    assert answers.count(302) == 3
    assert browser().post(RESET, {"email": stored}).status_code == 429
    assert len(mail.outbox) <= 3


def test_names_without_an_account_are_counted_case_folded_and_normalised():
    """No account to resolve to: the typed name, NFKC-normalised and case-folded, is the key."""
    assert throttle.account_key("ＮＩＥＭＡＮＤ@Example.de ") == throttle.account_key("niemand@example.de")
    assert throttle.account_key("Straße@x.test") == throttle.account_key("STRASSE@x.test")
    assert throttle.account_key("ſiſi@x.test") == throttle.account_key("sisi@x.test")
    assert throttle.account_key("zoe\u0308@x.test") == throttle.account_key("zoë@x.test")
    assert throttle.account_key("anna@x.test") != throttle.account_key("anne@x.test")
