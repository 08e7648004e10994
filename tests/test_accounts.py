"""Consultants log in with their e-mail address, guessing is slowed down, passwords can be reset and
changed, and an admin invites new consultants who then choose their own password."""

import logging
import re
from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.test import Client

from compliance_wizard.accounts import throttle
from compliance_wizard.chambers.models import Chamber, ChamberStaff
from compliance_wizard.workspace.models import Client as ConsultantsClient
from compliance_wizard.workspace.models import Consultant

pytestmark = pytest.mark.django_db

User = get_user_model()

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"
CHANGE = "/accounts/password-change/"
RESET = "/accounts/password-reset/"
ADD_CONSULTANT = "/admin/workspace/consultant/add/"
CONSULTANTS = "/admin/workspace/consultant/"

DANA = "dana@datenschutz-dana.de"  # Dana the data protection consultant
DANA_PASSWORD = "Lindenblüte-im-Mai-47"
WRONG = "Sommer2024"
MAILED_LINK = re.compile(r"https?://testserver(/accounts/[^\s]+/)")
LOCKED_15 = "Too many failed attempts. Please try again in 15 minutes."
NOT_CORRECT = "The e-mail address or the password is not correct."


@pytest.fixture(autouse=True)
def fresh_counters(settings):
    # The failure counters live in the cache, which outlives a test. A fast hasher keeps
    # the many failed logins below quick; what is tested here is not the hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        t = 1_800_000_000.0  # a whole number of minutes, so a window ends on the second

    monkeypatch.setattr(throttle, "now", lambda: Clock.t)
    return Clock


@pytest.fixture
def dana_account():
    """Dana the data protection consultant, with her own password (the conftest's Dana has a shared one)."""
    user = User.objects.create_user(username=DANA, email=DANA, password=DANA_PASSWORD)
    Consultant.objects.create(user=user, display_name="Datenschutz Dana", language="en")
    return user


@pytest.fixture
def ole():
    """Ole runs the installation: a superuser without a workspace of his own."""
    return User.objects.create_superuser(username="ole", email="ole@kammer.example", password="Leuchtturm-am-Deich-9")


def browser(address="192.0.2.10") -> Client:
    # English pages, so that the assertions do not depend on the state of the German catalogue.
    return Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=address)


def log_in(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def is_logged_in(client) -> bool:
    return client.get(CHANGE).status_code == 200


def mailed_path(message) -> str:
    return MAILED_LINK.search(message.body).group(1)


# Logging in


def test_dana_logs_in_with_her_email_address_in_any_case_and_lands_in_her_workspace(dana_account):
    client = browser()
    response = log_in(client, "  Dana@Datenschutz-Dana.DE", DANA_PASSWORD)
    assert response.status_code == 302 and response.url == "/workspace/"
    assert is_logged_in(client)


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(dana_account):
    client = browser()
    wrong_password = log_in(client, DANA, WRONG).content.decode()
    unknown_account = log_in(client, "niemand@example.de", WRONG).content.decode()
    assert NOT_CORRECT in wrong_password and NOT_CORRECT in unknown_account
    assert 'role="alert"' in wrong_password
    assert f'value="{DANA}"' in wrong_password  # she need not type it again ...
    assert WRONG not in wrong_password  # ... but the password is never sent back
    assert not is_logged_in(client)


def test_after_five_failures_even_the_right_password_is_refused_until_the_window_has_passed(dana_account, clock):
    client = browser()
    for _ in range(5):
        assert NOT_CORRECT in log_in(client, DANA, WRONG).content.decode()

    checked = []
    user_login_failed.connect(lambda **kw: checked.append(kw), dispatch_uid="test-checked", weak=False)
    try:
        refused = log_in(client, DANA, DANA_PASSWORD)
        assert refused.status_code == 429
        assert LOCKED_15 in refused.content.decode()
        log_in(client, DANA, WRONG)
        assert checked == []  # while locked, no password is even looked at
    finally:
        user_login_failed.disconnect(dispatch_uid="test-checked")
    assert not is_logged_in(client)

    clock.t += 14 * 60 + 59
    assert "Please try again in 1 minute." in log_in(client, DANA, DANA_PASSWORD).content.decode()
    clock.t += 1
    assert log_in(client, DANA, DANA_PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_the_lock_tells_nothing_about_whether_the_account_exists(dana_account, clock):
    client = browser()
    for name in (DANA, "niemand@example.de"):
        for _ in range(5):
            log_in(client, name, WRONG)
    existing, unknown = log_in(client, DANA, WRONG), log_in(client, "niemand@example.de", WRONG)
    assert existing.status_code == unknown.status_code == 429
    assert LOCKED_15 in existing.content.decode() and LOCKED_15 in unknown.content.decode()


def test_a_successful_login_forgets_the_earlier_failures_for_that_name(dana_account, clock):
    for _ in range(4):
        log_in(browser(), DANA, WRONG)
    assert log_in(browser(), DANA, DANA_PASSWORD).status_code == 302
    for _ in range(4):
        log_in(browser(), DANA, WRONG)
    assert log_in(browser(), DANA, DANA_PASSWORD).status_code == 302


def test_guessing_many_names_from_one_address_locks_that_address_only(dana_account, settings, caplog):
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 3
    caplog.set_level(logging.DEBUG)
    guesser = browser("198.51.100.7")
    for name in ("a@example.de", "b@example.de", "c@example.de"):
        assert NOT_CORRECT in log_in(guesser, name, WRONG).content.decode()
    refused = log_in(guesser, DANA, DANA_PASSWORD)
    assert refused.status_code == 429 and LOCKED_15 in refused.content.decode()
    assert log_in(browser("203.0.113.9"), DANA, DANA_PASSWORD).status_code == 302
    assert "198.51.100.7" not in caplog.text


def test_logging_in_gives_the_browser_a_new_session_key(dana_account):
    client = browser()
    session = client.session
    session["seen_start_page"] = True
    session.save()
    before = session.session_key
    log_in(client, DANA, DANA_PASSWORD)
    assert client.cookies["sessionid"].value != before
    assert not Session.objects.filter(session_key=before).exists()


def test_a_safe_next_page_is_followed_and_one_on_another_host_is_ignored(dana_account):
    assert log_in(browser(), DANA, DANA_PASSWORD, next=CHANGE).url == CHANGE
    assert log_in(browser(), DANA, DANA_PASSWORD, next="https://evil.example/").url == "/workspace/"
    page = browser().get(LOGIN, {"next": CHANGE}).content.decode()
    assert f'name="next" value="{CHANGE}"' in page


def test_staff_without_a_workspace_go_to_the_admin_and_other_users_to_the_start_page(ole):
    assert log_in(browser(), "ole", "Leuchtturm-am-Deich-9").url == "/admin/"
    User.objects.create_user(username="kim@example.de", email="kim@example.de", password="Birkenweg-12-Kim")
    assert log_in(browser(), "kim@example.de", "Birkenweg-12-Kim").url == "/"


# Logging out


def test_logging_out_by_post_ends_the_session_on_the_server(dana_account):
    client = browser()
    log_in(client, DANA, DANA_PASSWORD)
    old_key = client.cookies["sessionid"].value

    response = client.post(LOGOUT, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "You have been logged out." in response.content.decode()
    assert not is_logged_in(client)

    # Someone who copied the old cookie gets nothing from it.
    copy = browser()
    copy.cookies["sessionid"] = old_key
    assert not is_logged_in(copy)
    assert not Session.objects.filter(session_key=old_key).exists()


def test_logging_out_by_get_is_refused(dana_account):
    client = browser()
    log_in(client, DANA, DANA_PASSWORD)
    assert client.get(LOGOUT).status_code == 405
    assert is_logged_in(client)


# Forgotten and changed passwords


def test_dana_resets_her_forgotten_password_with_the_mailed_link(dana_account):
    client = browser()
    response = client.post(RESET, {"email": "DANA@datenschutz-dana.de"}, follow=True)
    assert "Check your e-mail" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [DANA]
    assert message.subject == "Your new password for the GDPR check"
    assert "3 days" in message.body and "&amp;" not in message.body

    form = client.get(mailed_path(message), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Neue-Kastanie-2025", "new_password2": "Neue-Kastanie-2025"},
        follow=True,
    )
    assert "Your new password is saved" in done.content.decode()
    assert log_in(browser(), DANA, "Neue-Kastanie-2025").status_code == 302
    assert NOT_CORRECT in log_in(browser(), DANA, DANA_PASSWORD).content.decode()

    again = client.get(mailed_path(message)).content.decode()
    assert "This link no longer works" in again and "used already or has expired" in again


def test_a_new_password_from_the_mailed_link_lifts_a_lock_someone_else_caused(dana_account, clock):
    for _ in range(5):
        log_in(browser("198.51.100.7"), DANA, WRONG)
    client = browser()
    client.post(RESET, {"email": DANA})
    form = client.get(mailed_path(mail.outbox[0]), follow=True)
    client.post(
        form.redirect_chain[-1][0], {"new_password1": "Neue-Kastanie-2025", "new_password2": "Neue-Kastanie-2025"}
    )
    assert log_in(client, DANA, "Neue-Kastanie-2025").status_code == 302


def test_reset_mails_are_limited_so_the_form_cannot_flood_an_inbox(dana_account, clock):
    """Someone asks for Dana's new password over and over: three mails an hour reach her, then the form says
    how long to wait; a different client address cannot send a fourth either. An hour later it works again."""
    for _ in range(3):
        assert browser().post(RESET, {"email": DANA}).status_code == 302
    refused = browser("198.51.100.7").post(RESET, {"email": DANA})
    assert refused.status_code == 429 and int(refused["Retry-After"]) <= 3600
    page = refused.content.decode()
    assert "Too many requests for a new password. Please try again in 60 minutes." in page
    assert 'aria-describedby="id_email_error"' in page or "id_email_error" in page
    assert len(mail.outbox) == 3

    clock.t += 3600
    assert browser().post(RESET, {"email": DANA}).status_code == 302
    assert len(mail.outbox) == 4


def test_one_client_address_cannot_send_reset_mails_to_many_addresses(dana_account, clock, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 4
    for n in range(4):
        assert browser().post(RESET, {"email": f"kunde{n}@example.de"}).status_code == 302
    assert browser().post(RESET, {"email": DANA}).status_code == 429
    assert mail.outbox == []  # none of the four had an account, and Dana got nothing either
    assert browser("198.51.100.7").post(RESET, {"email": DANA}).status_code == 302
    assert len(mail.outbox) == 1


def test_an_unknown_address_sees_the_same_page_and_no_mail_is_sent(dana_account):
    response = browser().post(RESET, {"email": "niemand@example.de"}, follow=True)
    assert response.status_code == 200
    assert "If an account exists for the address you entered" in response.content.decode()
    assert mail.outbox == []


def test_dana_changes_her_password(dana_account):
    client = browser()
    log_in(client, DANA, DANA_PASSWORD)
    wrong_old = client.post(
        CHANGE, {"old_password": WRONG, "new_password1": "Herbst-Nebel-88", "new_password2": "Herbst-Nebel-88"}
    )
    assert 'aria-invalid="true"' in wrong_old.content.decode()
    response = client.post(
        CHANGE,
        {"old_password": DANA_PASSWORD, "new_password1": "Herbst-Nebel-88", "new_password2": "Herbst-Nebel-88"},
        follow=True,
    )
    assert "Your new password is saved" in response.content.decode()
    assert is_logged_in(client)  # changing the password does not throw her out here ...
    assert log_in(browser(), DANA, "Herbst-Nebel-88").status_code == 302
    assert NOT_CORRECT in log_in(browser(), DANA, DANA_PASSWORD).content.decode()


def test_changing_the_password_needs_a_login():
    response = browser().get(CHANGE)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


# Invitations


@pytest.fixture
def admin_browser(ole):
    client = browser()
    client.force_login(ole)
    return client


def invite_dana(admin_browser):
    return admin_browser.post(
        ADD_CONSULTANT, {"email": DANA, "display_name": "Datenschutz Dana", "language": "en", "_save": "Save"}
    )


def accept(path, password="Erster-Schnee-31"):
    invitee = browser()
    form = invitee.get(path, follow=True)
    response = invitee.post(form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})
    return invitee, form, response


def test_ole_invites_dana_who_chooses_her_password_and_lands_in_her_workspace(admin_browser):
    response = invite_dana(admin_browser)
    assert response.status_code == 302
    consultant = Consultant.objects.get(user__username=DANA)
    assert consultant.display_name == "Datenschutz Dana" and consultant.user.email == DANA
    assert not consultant.user.has_usable_password()

    changelist = admin_browser.get(CONSULTANTS).content.decode()
    assert DANA in changelist and "Datenschutz Dana" in changelist
    assert "Invitation accepted" in changelist and "icon-no" in changelist

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [DANA]
    assert "Hello Datenschutz Dana," in message.body and "3 days" in message.body

    dana_browser, form, accepted = accept(mailed_path(message))
    assert "Welcome – choose your password" in form.content.decode()
    assert accepted.status_code == 302 and accepted.url == "/workspace/"
    assert is_logged_in(dana_browser)
    assert log_in(browser(), DANA, "Erster-Schnee-31").status_code == 302
    assert "icon-yes" in admin_browser.get(CONSULTANTS).content.decode()


def test_an_invitation_link_works_only_once(admin_browser):
    invite_dana(admin_browser)
    path = mailed_path(mail.outbox[0])
    accept(path)
    second = browser().get(path, follow=True)
    assert second.status_code == 200
    assert "This invitation link no longer works" in second.content.decode()
    assert 'name="new_password1"' not in second.content.decode()


def test_an_expired_invitation_link_explains_itself(admin_browser, monkeypatch):
    invite_dana(admin_browser)
    in_four_days = datetime.now() + timedelta(days=4)
    monkeypatch.setattr(default_token_generator, "_now", lambda: in_four_days)
    page = browser().get(mailed_path(mail.outbox[0]), follow=True)
    assert page.status_code == 200
    body = page.content.decode()
    assert "This invitation link no longer works" in body and "3 days" in body
    assert "ask the person who invited you" in body


def test_sending_the_invitation_again_mails_a_new_link_and_retires_the_old_one(admin_browser):
    invite_dana(admin_browser)
    consultant = Consultant.objects.get(user__username=DANA)
    response = admin_browser.post(
        CONSULTANTS, {"action": "send_invitation_again", "_selected_action": [consultant.pk]}, follow=True
    )
    assert "1 invitation was sent." in response.content.decode()
    assert len(mail.outbox) == 2
    old, new = mailed_path(mail.outbox[0]), mailed_path(mail.outbox[1])
    assert "This invitation link no longer works" in browser().get(old, follow=True).content.decode()
    assert accept(new)[2].url == "/workspace/"

    again = admin_browser.post(
        CONSULTANTS, {"action": "send_invitation_again", "_selected_action": [consultant.pk]}, follow=True
    )
    assert "already accepted the invitation" in again.content.decode()
    assert len(mail.outbox) == 2


def test_an_address_with_an_account_cannot_be_invited_again(admin_browser, dana_account):
    response = admin_browser.post(ADD_CONSULTANT, {"email": "DANA@datenschutz-dana.de", "display_name": "Zweite Dana"})
    assert response.status_code == 200
    assert "There is already an account with this e-mail address." in response.content.decode()
    assert Consultant.objects.count() == 1 and mail.outbox == []


def test_deleting_dana_in_the_admin_takes_her_login_and_her_clients_with_her(admin_browser, dana_account):
    consultant = dana_account.consultant
    ConsultantsClient.objects.create(consultant=consultant, name="Malerbetrieb Krause")
    page = admin_browser.post(f"{CONSULTANTS}{consultant.pk}/delete/", {"post": "yes"}, follow=True)
    assert page.status_code == 200
    assert not User.objects.filter(email=DANA).exists()
    assert not ConsultantsClient.objects.exists()
    assert log_in(browser(), DANA, DANA_PASSWORD).status_code == 200  # the login form again: no such account


def test_a_consultant_who_also_administers_or_works_for_a_chamber_keeps_that_login(admin_browser, ole):
    chamber = Chamber.objects.create(slug="hwk-nord", name="Handwerkskammer Nord")
    staff = User.objects.create_user(username="kai", email="kai@hwk-nord.example", password=DANA_PASSWORD)
    ChamberStaff.objects.create(chamber=chamber, user=staff)
    for user in (ole, staff):
        Consultant.objects.create(user=user, display_name=user.username)
    admin_browser.post(
        CONSULTANTS,
        {
            "action": "delete_selected",
            "_selected_action": [*Consultant.objects.values_list("pk", flat=True)],
            "post": "yes",
        },
    )
    assert not Consultant.objects.exists()
    assert set(User.objects.values_list("username", flat=True)) == {"ole", "kai"}


# What every page of the accounts offers


class Page(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def all(self, tag):
        return [attrs for t, attrs in self.tags if t == tag]


@pytest.fixture
def pages(dana_account, admin_browser):
    client = browser()
    collected = {
        "login": client.get(LOGIN),
        "login error": log_in(client, DANA, ""),
        "reset": client.get(RESET),
        "reset sent": client.post(RESET, {"email": DANA}, follow=True),
        "reset link invalid": client.get("/accounts/reset/MQ/set-password/"),
        "invitation invalid": client.get("/accounts/invite/MQ/abc-def/"),
        "reset complete": client.get("/accounts/reset/done/"),
    }
    collected["reset form"] = client.get(mailed_path(mail.outbox[0]), follow=True)
    collected["reset mismatch"] = client.post(
        collected["reset form"].redirect_chain[-1][0], {"new_password1": "Eins-Zwei-33", "new_password2": "Drei-44"}
    )
    log_in(client, DANA, DANA_PASSWORD)
    collected["change"] = client.get(CHANGE)
    collected["change done"] = client.get("/accounts/password-change/done/")
    admin_browser.post(ADD_CONSULTANT, {"email": "jo@beratung-jo.de", "display_name": "Jo", "language": "en"})
    collected["invitation"] = browser().get(mailed_path(mail.outbox[-1]), follow=True)
    return {name: response.content.decode() for name, response in collected.items()}


def test_account_pages_load_nothing_from_another_host(pages):
    for name, html in pages.items():
        hosts = re.findall(r"https?://([^/\s\"'<>]+)", html)
        assert set(hosts) <= {"testserver"}, f"{name}: {hosts}"


def test_every_account_field_has_a_label_and_the_right_autocomplete(pages):
    expected = {"username": "username", "password": "current-password", "email": "email"}
    expected |= {"old_password": "current-password", "new_password1": "new-password", "new_password2": "new-password"}
    for name, html in pages.items():
        page = Page(html)
        assert re.search(r'<html lang="(de|en)">', html), name
        labelled = {attrs.get("for") for attrs in page.all("label")}
        for attrs in page.all("input"):
            if attrs.get("type") in ("hidden", "submit"):
                continue
            assert attrs.get("id") in labelled, f"{name}: {attrs.get('name')} has no label"
            assert attrs.get("autocomplete") == expected[attrs["name"]], f"{name}: {attrs['name']}"


def test_errors_are_announced_and_tied_to_their_fields(pages):
    for name in ("login error", "reset mismatch"):
        html = pages[name]
        page = Page(html)
        assert any(a.get("role") == "alert" for a in page.all("div")), name
        invalid = [a for a in page.all("input") if a.get("aria-invalid") == "true"]
        assert invalid, name
        for attrs in invalid:
            for described_by in attrs["aria-describedby"].split():
                assert f'id="{described_by}"' in html, f"{name}: {described_by}"


def test_the_invitation_page_welcomes_the_invitee_by_address(pages):
    assert "Welcome – choose your password" in pages["invitation"]
    assert "jo@beratung-jo.de" in pages["invitation"]
    assert "This link no longer works" in pages["reset link invalid"]
    assert "This invitation link no longer works" in pages["invitation invalid"]


def test_with_mail_switched_off_the_reset_page_says_so_and_sends_nothing(dana_account, settings):
    """EMAIL_DISABLED=1: the page does not promise a mail that would never come."""
    settings.EMAIL_DISABLED = True
    page = browser().get(RESET).content.decode()
    assert "This installation sends no e-mail" in page and 'name="email"' not in page
    posted = browser().post(RESET, {"email": DANA})
    assert posted.status_code == 200 and "This installation sends no e-mail" in posted.content.decode()
    assert mail.outbox == []


def test_with_mail_switched_off_an_invitation_says_that_none_was_sent(admin_browser, settings):
    settings.EMAIL_DISABLED = True
    invite_dana(admin_browser)
    page = admin_browser.get(CONSULTANTS).content.decode()
    assert "This installation sends no e-mail: no invitation went to" in page
    assert Consultant.objects.filter(user__email=DANA).exists() and mail.outbox == []
