"""Each consultant has a language of their own: the admin chooses it when inviting them, the consultant can
change it, and the mails to them go out in it, whatever language the browser that caused the mail speaks."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from compliance_wizard.workspace.models import Consultant

pytestmark = pytest.mark.django_db

ADD_CONSULTANT = "/admin/workspace/consultant/add/"


@pytest.fixture
def ole():
    return get_user_model().objects.create_superuser("ole", "ole@kammer.example", "Leuchtturm-am-Deich-9")


def english_admin(ole) -> Client:
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(ole)
    return browser


def invite(browser: Client, language: str) -> Consultant:
    response = browser.post(
        ADD_CONSULTANT, {"email": "dana@dsb-dana.de", "display_name": "Datenschutz Dana", "language": language}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Consultant.objects.get(user__email="dana@dsb-dana.de")


def test_the_invitation_form_offers_the_sites_languages(ole):
    page = english_admin(ole).get(ADD_CONSULTANT).content.decode()
    assert 'name="language"' in page
    assert '<option value="de" selected>Deutsch</option>' in page and '<option value="en">English</option>' in page


def test_an_english_speaking_admin_invites_a_german_consultant_in_german(ole):
    dana = invite(english_admin(ole), "de")
    assert dana.language == "de"
    (message,) = mail.outbox
    assert message.subject == "Ihre Einladung in den Arbeitsbereich für Datenschutzberatung des DSGVO-Checks"
    assert message.body.startswith("Guten Tag Datenschutz Dana,")
    assert "Hello" not in message.body and "invited" not in message.body


def test_a_german_speaking_admin_invites_an_english_consultant_in_english(ole):
    browser = Client(HTTP_ACCEPT_LANGUAGE="de")
    browser.force_login(ole)
    invite(browser, "en")
    (message,) = mail.outbox
    assert message.subject == "Your invitation to the consultant workspace of the GDPR check"
    assert message.body.startswith("Hello Datenschutz Dana,")


def test_an_invitation_without_a_language_is_not_sent(ole):
    response = english_admin(ole).post(ADD_CONSULTANT, {"email": "dana@dsb-dana.de", "display_name": "Dana"})
    assert response.status_code == 200
    assert not Consultant.objects.exists() and mail.outbox == []


def test_the_reset_mail_follows_the_consultant_not_the_browser_that_asked(dana):
    assert dana.language == "de"
    Client(HTTP_ACCEPT_LANGUAGE="en").post("/accounts/password-reset/", {"email": dana.user.email})
    (message,) = mail.outbox
    assert message.subject == "Ihr neues Passwort für den DSGVO-Check"
    assert message.body.startswith("Guten Tag,")


def test_dana_switches_her_mails_to_english_on_her_account_page(dana):
    browser = Client(HTTP_ACCEPT_LANGUAGE="de")
    browser.force_login(dana.user)
    page = browser.get("/workspace/account/").content.decode()
    assert '<option value="de" selected>Deutsch</option>' in page
    assert "/accounts/password-change/" in page  # the password is changed from here too

    response = browser.post("/workspace/account/", {"language": "en"}, follow=True)
    assert response.redirect_chain == [("/workspace/account/", 302)]
    assert "Sprache Ihrer E-Mails: English" in response.content.decode()
    dana.refresh_from_db()
    assert dana.language == "en"

    Client(HTTP_ACCEPT_LANGUAGE="de").post("/accounts/password-reset/", {"email": dana.user.email})
    assert mail.outbox[0].subject == "Your new password for the GDPR check"


def test_a_language_the_site_does_not_offer_is_refused(dana):
    browser = Client(HTTP_ACCEPT_LANGUAGE="de")
    browser.force_login(dana.user)
    response = browser.post("/workspace/account/", {"language": "fr"})
    assert response.status_code == 400
    assert 'id="id_language_error"' in response.content.decode()
    dana.refresh_from_db()
    assert dana.language == "de"


def test_the_account_page_is_only_for_consultants(staff_user):
    browser = Client()
    assert browser.get("/workspace/account/").status_code == 302  # to the login
    browser.force_login(staff_user)
    assert browser.get("/workspace/account/").status_code == 404
