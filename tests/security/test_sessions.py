"""Sessions of the people who log in: consultants and chamber staff.

- Logging in gives a new session key, and the session the browser had before is deleted: a key someone planted
  in the browser beforehand (session fixation) is worth nothing.
- Logging out (a POST; a GET changes nothing) deletes the session on the server: the old cookie, replayed,
  is not logged in, and its row is gone.
- Changing the password is what Django does in PasswordChangeView (update_session_auth_hash): the changer
  stays logged in, under a new session key, while every other session of that user ends with its next
  request, because its stored password hash no longer matches. The same holds after a reset by mail.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client

from compliance_wizard.chambers.models import Chamber, ChamberStaff

pytestmark = pytest.mark.django_db

DANA, CLARA = "dana@dsb-schulz.example", "clara@hwk-musterstadt.example"
PASSWORD = "a-long-Passw0rd!"
NEW_PASSWORD = "Herbst-Nebel-88"
HOME = {DANA: "/workspace/", CLARA: "/chambers/"}


@pytest.fixture(autouse=True)
def fast_passwords_and_fresh_counters(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # the login throttle's counters outlive a test
    yield
    cache.clear()


@pytest.fixture
def clara(db):
    """Clara Becker, advisor at the Handwerkskammer Musterstadt."""
    chamber = Chamber.objects.create(slug="musterstadt", name="Handwerkskammer Musterstadt")
    user = get_user_model().objects.create_user(CLARA, CLARA, PASSWORD)
    ChamberStaff.objects.create(chamber=chamber, user=user)
    return user


def browser() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def log_in(client: Client, email: str, password: str = PASSWORD) -> None:
    response = client.post("/accounts/login/", {"username": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]


def is_logged_in(client: Client, email: str) -> bool:
    """Whether their start page opens (Clara's leads on to her chamber's dashboard) instead of the login."""
    response = client.get(HOME[email])
    if response.status_code == 302:
        return not response["Location"].startswith("/accounts/login/")
    return response.status_code == 200


def replayed(key: str) -> Client:
    """Another browser that sends a copy of an old session cookie."""
    client = browser()
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    return client


def exists(key: str) -> bool:
    return Session.objects.filter(session_key=key).exists()


@pytest.mark.parametrize("email", [DANA, CLARA], ids=["consultant", "chamber staff"])
def test_logging_in_replaces_a_planted_session_key(email, dana, clara):
    planted = SessionStore()
    planted["planted"] = "by someone else"
    planted.create()
    client = replayed(planted.session_key)

    log_in(client, email)

    assert session_key(client) != planted.session_key
    assert not exists(planted.session_key)
    assert not is_logged_in(replayed(planted.session_key), email)
    assert is_logged_in(client, email)
    assert "planted" in client.session  # Django keeps the data and only changes the key (cycle_key)


@pytest.mark.parametrize("email", [DANA, CLARA], ids=["consultant", "chamber staff"])
def test_logging_out_deletes_the_session_on_the_server(email, dana, clara):
    client = browser()
    log_in(client, email)
    old_key = session_key(client)

    assert client.get("/accounts/logout/").status_code == 405  # a link or an image cannot log anyone out
    assert is_logged_in(client, email)

    assert client.post("/accounts/logout/").status_code == 302
    assert not exists(old_key)
    assert not is_logged_in(replayed(old_key), email)
    assert not is_logged_in(client, email)


def test_changing_the_password_keeps_the_changer_logged_in_and_ends_every_other_session(dana):
    laptop, phone = browser(), browser()
    log_in(laptop, DANA)
    log_in(phone, DANA)
    laptop_key, phone_key = session_key(laptop), session_key(phone)

    response = laptop.post(
        "/accounts/password-change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302

    assert session_key(laptop) != laptop_key and not exists(laptop_key)
    assert is_logged_in(laptop, DANA)
    assert not is_logged_in(phone, DANA)
    assert not exists(phone_key)  # flushed by the request that found the hash changed
    assert not is_logged_in(replayed(laptop_key), DANA)


def test_a_new_password_by_mail_ends_every_session_of_that_user(dana):
    """Whoever could read the mail owns the account; someone logged in with the old password is out."""
    stolen = browser()
    log_in(stolen, DANA)
    user = dana.user
    user.set_password(NEW_PASSWORD)  # what PasswordResetConfirmView's form does
    user.save()
    assert not is_logged_in(stolen, DANA)
    log_in(browser(), DANA, NEW_PASSWORD)
