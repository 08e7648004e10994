"""No form can be sent from another site: every URL of the project refuses a POST without the CSRF token.

The list of URLs comes from the resolver (tests/security/urls.py), on the main site and on a chamber's site,
for an anonymous visitor and for someone logged in with every role at once. The browser holds a CSRF cookie,
as it would after any earlier visit: a forged form from another site carries the cookie but cannot know the
token. A view exempted from the check on purpose would have to be listed in CSRF_EXEMPT with its reason.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from compliance_wizard.chambers.models import Chamber, ChamberStaff
from compliance_wizard.workspace.models import Consultant
from tests.security.urls import CHAMBER_SITE, every_url, reaches_its_pattern

pytestmark = pytest.mark.django_db

# Views deliberately exempt from the CSRF check, each with the reason. None at present.
CSRF_EXEMPT: dict[str, str] = {}

URLS = list(every_url())
REFUSED = "This page was open for too long"  # templates/csrf_failure.html


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def musterstadt(db):
    return Chamber.objects.create(slug="musterstadt", name="Handwerkskammer Musterstadt")


@pytest.fixture
def everyone(musterstadt):
    """One account with every role: administrator, consultant and staff of the Handwerkskammer Musterstadt."""
    user = get_user_model().objects.create_superuser("alle@example.org", "alle@example.org", "a-long-Passw0rd!")
    Consultant.objects.create(user=user, display_name="Datenschutz Alle")
    ChamberStaff.objects.create(chamber=musterstadt, user=user)
    return user


def forged_form_sender(user=None) -> Client:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["csrftoken"] = _get_new_csrf_string()
    if user is not None:
        client.force_login(user)
    return client


def test_the_url_list_is_complete_and_every_sample_reaches_its_own_view():
    assert len(URLS) > 50
    assert {"accounts:logout", "set_language", "admin:login", "workspace:client_delete", "reminders:confirm"} <= {
        url.name for url in URLS
    }
    for url in URLS:
        assert reaches_its_pattern(url, url.path()), url


@pytest.mark.parametrize("site", ["", CHAMBER_SITE], ids=["main site", "chamber site"])
@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged in"])
def test_every_url_refuses_a_post_without_the_csrf_token(site, logged_in, everyone):
    client = forged_form_sender(everyone if logged_in else None)
    accepted = []
    for url in URLS:
        if url.name in CSRF_EXEMPT:
            continue
        response = client.post(url.path(site=site), {"name": "Malerbetrieb Krause"})
        if response.status_code != 403 or REFUSED not in response.content.decode():
            accepted.append((url.name, response.status_code))
    assert accepted == []


def test_the_same_post_with_the_token_gets_through(everyone):
    """The control: what refuses the posts above is the missing token, not the post as such."""
    client = forged_form_sender(everyone)
    token = client.cookies["csrftoken"].value
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 302
    logout = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert logout.status_code == 302


def test_every_exemption_names_an_existing_url_and_a_reason():
    names = {url.name for url in URLS}
    for name, reason in CSRF_EXEMPT.items():
        assert name in names and len(reason) > 20, name
