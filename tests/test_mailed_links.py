"""Every link in a mail points at the installation's own address (SITE_URL), never at the Host the request
came in under: a reset asked for on a chamber's host name, or under a Host header someone chose, must not
send a link (with its token) anywhere else. A chamber's links go to the chamber's configured host name, or
to SITE_URL/hwk/<slug>/, as the cron job builds them."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client

from compliance_wizard.assessments.services import assessment_submit, draft_start
from compliance_wizard.chambers.models import Chamber
from compliance_wizard.engine.conditions import as_option_id
from compliance_wizard.workspace.models import Consultant
from tests.cases import CASES

pytestmark = pytest.mark.django_db

SITE_URL = "https://dsgvo-check.example.org/"
NORDHEIM = "dsgvo.hwk-nordheim.example"  # a chamber's own host name
OTHER = "127.0.0.1"  # allowed, but not the site's public address
KRAUSE = next(case for case in CASES if case.name.startswith("Malermeister Krause"))
LINK = re.compile(r"https?://\S+")


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE_URL
    settings.ALLOWED_HOSTS = [NORDHEIM, OTHER, "testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    Chamber.objects.create(slug="nordheim", name="HWK Nordheim", host=NORDHEIM)
    Chamber.objects.create(slug="musterstadt", name="HWK Musterstadt")
    get_user_model().objects.create_user(username="dana@x.test", email="dana@x.test", password="Lange-Passw0rt!")
    yield
    cache.clear()


def links(message) -> list[str]:
    found = LINK.findall(message.body)
    assert found, message.body
    return found


@pytest.mark.parametrize(
    ("host", "path"),
    [(NORDHEIM, "/accounts/password-reset/"), (OTHER, "/hwk/musterstadt/accounts/password-reset/")],
)
def test_a_reset_link_is_on_the_sites_address_whatever_host_it_was_asked_for_under(host, path):
    response = Client(HTTP_HOST=host).post(path, {"email": "dana@x.test"})
    assert response.status_code == 302
    (link,) = links(mail.outbox[0])
    assert link.startswith(f"{SITE_URL}accounts/reset/"), link


def test_an_invitation_link_is_on_the_sites_address(settings):
    admin = get_user_model().objects.create_superuser(username="ole", email="ole@x.test", password="Leucht-turm-9!")
    client = Client(HTTP_HOST=NORDHEIM)
    client.force_login(admin)
    response = client.post(
        "/admin/workspace/consultant/add/", {"email": "bernd@x.test", "display_name": "Roth", "language": "de"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Consultant.objects.filter(user__email="bernd@x.test").exists()
    (link,) = links(mail.outbox[0])
    assert link.startswith(f"{SITE_URL}accounts/invite/"), link


def test_a_reminders_confirmation_links_are_on_the_chambers_configured_address(whatsapp):
    musterstadt = Chamber.objects.get(slug="musterstadt")
    draft = draft_start(whatsapp, "en", "Tischlerei Holzwurm", chamber=musterstadt)
    answers = {key: as_option_id(value) for key, value in KRAUSE.answers.items()}
    check = assessment_submit(draft.token, whatsapp, answers)
    response = Client(HTTP_HOST=OTHER).post(
        f"/hwk/musterstadt/reminders/check/{check.token}/",
        {"reminder-email": "anna@holzwurm.example", "reminder-months": "6"},
    )
    assert response.status_code == 302
    for link in links(mail.outbox[0]):
        assert link.startswith(f"{SITE_URL}hwk/musterstadt/reminders/"), link
