"""A chamber member may leave an e-mail address to be reminded to repeat the check: double opt-in, revocable,
deleted with the check. Everyone else stays anonymous and is never asked."""

from __future__ import annotations

import logging
import re
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.assessments.services import assessment_submit, draft_start, purge_expired
from compliance_wizard.chambers.models import Chamber
from compliance_wizard.engine.conditions import as_option_id
from compliance_wizard.reminders import mails, services
from compliance_wizard.reminders.models import Reminder
from tests.cases import CASES

pytestmark = pytest.mark.django_db

KRAUSE = next(case for case in CASES if case.name.startswith("Malermeister Krause"))
SITE = "/hwk/musterstadt"
ANNA = "anna@holzwurm.example"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://dsgvo-check.example.org/"


@pytest.fixture
def musterstadt():
    return Chamber.objects.create(
        slug="musterstadt", name="Handwerkskammer Musterstadt", contact_email="datenschutz@hwk-musterstadt.example"
    )


def finished_check(checklist, chamber=None, language="en", business="Tischlerei Holzwurm") -> Assessment:
    draft = draft_start(checklist, language, business, chamber=chamber)
    answers = {key: as_option_id(value) for key, value in KRAUSE.answers.items()}
    return assessment_submit(draft.token, checklist, answers)


@pytest.fixture
def holzwurm(whatsapp, musterstadt):
    """Anna Holz runs Tischlerei Holzwurm, a member business of the Handwerkskammer Musterstadt."""
    return finished_check(whatsapp, musterstadt)


def result_page(client, assessment, site=SITE) -> str:
    response = client.get(f"{site}/result/{assessment.token}/", **EN)
    assert response.status_code == 200
    return response.content.decode()


def ask(client, assessment, email=ANNA, months="6", site=SITE):
    return client.post(
        f"{site}/reminders/check/{assessment.token}/", {"reminder-email": email, "reminder-months": months}, **EN
    )


def link(message, kind: str) -> str:
    """The /reminders/<kind>/<token>/ link in a mail, as a path for the test client."""
    found = re.search(rf"https?://[^/\s]+(/\S*/reminders/{kind}/[\w-]+/)", message.body)
    assert found, message.body
    return found[1]


def at_noon(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def confirmed(client, assessment) -> Reminder:
    ask(client, assessment)
    client.post(link(mail.outbox[-1], "confirm"))
    return Reminder.objects.get(assessment=assessment)


def test_a_member_asks_confirms_is_reminded_once_and_revokes(client, holzwurm):
    body = result_page(client, holzwurm)
    assert "Remind me to repeat the check" in body
    assert f'action="{SITE}/reminders/check/{holzwurm.token}/"' in body
    assert "Art. 6 (1) (a) GDPR" in body and "Art. 7 (3) GDPR" in body  # what is stored, why, how to revoke

    response = ask(client, holzwurm)
    assert response.status_code == 302
    assert response["Location"] == f"{SITE}/result/{holzwurm.token}/#reminder"
    body = client.get(response["Location"], **EN).content.decode()
    assert f"We have sent a confirmation link to {ANNA}" in body
    assert "within 48 hours" in body

    (confirmation,) = mail.outbox
    assert confirmation.to == [ANNA]
    assert confirmation.reply_to == ["datenschutz@hwk-musterstadt.example"]
    assert "Handwerkskammer Musterstadt" in confirmation.body and "in 6 months" in confirmation.body
    confirm_path = link(confirmation, "confirm")
    assert confirm_path.startswith(f"{SITE}/reminders/confirm/")

    page = client.get(confirm_path, **EN).content.decode()
    assert "Confirm your reminder" in page and "Yes, remind me" in page
    assert Reminder.objects.get().confirmed_at is None  # opening the link is not yet consent

    before = timezone.now()
    response = client.post(confirm_path, **EN)
    assert response.status_code == 302
    reminder = Reminder.objects.get()
    assert before <= reminder.confirmed_at <= timezone.now()  # the proof of consent
    month = f"{reminder.due_on:%B %Y}"
    assert reminder.due_on == services.add_months(timezone.localdate(reminder.confirmed_at), 6)
    assert f"In {month} we will send you one e-mail" in client.get(confirm_path, **EN).content.decode()
    assert f"A reminder is set for {month}" in result_page(client, holzwurm)

    services.send_due(now=at_noon(reminder.due_on - timedelta(days=1)))
    assert len(mail.outbox) == 1  # not yet due
    assert services.send_due(now=at_noon(reminder.due_on)) == (1, 0)
    assert services.send_due(now=at_noon(reminder.due_on)) == (0, 0)  # once only
    assert services.send_due(now=at_noon(reminder.due_on + timedelta(days=1))) == (0, 0)
    reminded = mail.outbox[1]
    assert reminded.to == [ANNA]
    assert "Time to repeat your check “WhatsApp in your business: GDPR check”" == reminded.subject
    assert "https://dsgvo-check.example.org/hwk/musterstadt/check/whatsapp-business/" in reminded.body
    assert f"https://dsgvo-check.example.org/hwk/musterstadt/result/{holzwurm.token}/" in reminded.body
    assert "We sent you the reminder on" in result_page(client, holzwurm)

    cancel_path = link(reminded, "cancel")
    page = client.get(cancel_path, **EN).content.decode()
    assert "Cancel the reminder?" in page
    assert Reminder.objects.exists()
    response = client.post(cancel_path, **EN)
    assert response["Location"] == f"{SITE}/reminders/cancelled/"
    assert "Your e-mail address has been deleted" in client.get(response["Location"], **EN).content.decode()
    assert not Reminder.objects.exists()
    assert client.get(cancel_path, **EN).status_code == 404
    assert "Remind me" in result_page(client, holzwurm)


def test_an_unconfirmed_request_is_never_mailed_and_expires_after_48_hours(client, holzwurm):
    ask(client, holzwurm)
    confirm_path = link(mail.outbox[0], "confirm")
    reminder = Reminder.objects.get()

    a_year_later = reminder.requested_at + timedelta(days=400)
    assert services.send_due(now=a_year_later) == (0, 0)
    assert len(mail.outbox) == 1  # the confirmation mail, nothing else

    assert services.purge(now=reminder.requested_at + timedelta(hours=47)) == 0
    assert client.get(confirm_path, **EN).status_code == 200
    assert services.purge(now=reminder.requested_at + timedelta(hours=49)) == 1
    assert not Reminder.objects.exists()
    page = client.get(confirm_path, **EN)
    assert page.status_code == 404 and "This link is no longer valid" in page.content.decode()


def test_an_expired_request_can_still_be_deleted_at_once(client, holzwurm):
    ask(client, holzwurm)
    (confirmation,) = mail.outbox
    Reminder.objects.update(requested_at=timezone.now() - timedelta(hours=49))
    assert client.post(link(confirmation, "confirm")).status_code == 404  # too late to consent
    assert Reminder.objects.get().confirmed_at is None
    assert "Remind me" in result_page(client, holzwurm)  # the box offers a new request
    client.post(link(confirmation, "cancel"))
    assert not Reminder.objects.exists()


def test_the_daily_command_deletes_expired_requests_and_a_dry_run_only_counts(client, holzwurm, capsys):
    three_days_ago = timezone.now() - timedelta(days=3)
    services.request_reminder(holzwurm, ANNA, 6, mails.chamber_links(holzwurm.chamber), now=three_days_ago)

    call_command("send_reminders", "--dry-run")
    assert "Would send 0 reminder(s) and delete 1 unconfirmed request(s)." in capsys.readouterr().out
    assert Reminder.objects.exists()

    call_command("send_reminders")
    assert "Sent 0 reminder(s) and deleted 1 unconfirmed request(s)." in capsys.readouterr().out
    assert not Reminder.objects.exists()
    assert len(mail.outbox) == 1


def test_the_daily_command_sends_a_due_reminder_once(client, holzwurm, capsys):
    half_a_year_ago = timezone.now() - timedelta(days=200)
    reminder = services.request_reminder(holzwurm, ANNA, 6, mails.chamber_links(holzwurm.chamber), now=half_a_year_ago)
    services.confirm(reminder, now=half_a_year_ago + timedelta(hours=1))

    call_command("send_reminders", "--dry-run")
    assert "Would send 1 reminder(s)" in capsys.readouterr().out
    assert len(mail.outbox) == 1

    call_command("send_reminders")
    call_command("send_reminders")
    out = capsys.readouterr().out
    assert "Sent 1 reminder(s)" in out and "Sent 0 reminder(s)" in out
    assert len(mail.outbox) == 2


def test_opening_mailed_links_changes_nothing_only_the_buttons_do(client, holzwurm):
    """A mail scanner that follows every link must neither give consent nor revoke it."""
    ask(client, holzwurm)
    (confirmation,) = mail.outbox
    for _ in range(2):
        assert client.get(link(confirmation, "confirm"), **EN).status_code == 200
        assert client.get(link(confirmation, "cancel"), **EN).status_code == 200
        assert client.get(f"{SITE}/reminders/check/{holzwurm.token}/cancel/", **EN).status_code == 200
    reminder = Reminder.objects.get()
    assert reminder.confirmed_at is None

    client.post(link(confirmation, "confirm"))
    for _ in range(2):
        client.get(link(confirmation, "cancel"), **EN)
    assert Reminder.objects.get().confirmed_at is not None

    # The confirmation mail's own cancel link revokes, too: every mail carries one.
    client.post(link(confirmation, "cancel"))
    assert not Reminder.objects.exists()


def test_cancelling_on_the_result_page_takes_one_button(client, holzwurm):
    confirmed(client, holzwurm)
    body = result_page(client, holzwurm)
    assert f'action="{SITE}/reminders/check/{holzwurm.token}/cancel/"' in body and "Cancel the reminder" in body

    response = client.post(f"{SITE}/reminders/check/{holzwurm.token}/cancel/", **EN)
    assert response["Location"] == f"{SITE}/result/{holzwurm.token}/#reminder"
    assert not Reminder.objects.exists()
    body = client.get(response["Location"], **EN).content.decode()
    assert "The reminder is cancelled and your e-mail address deleted." in body
    assert "A reminder is set" not in body


def test_deleting_the_check_deletes_the_reminder(client, holzwurm):
    confirmed(client, holzwurm)
    client.post(f"{SITE}/result/{holzwurm.token}/delete/")
    assert not Assessment.objects.filter(pk=holzwurm.pk).exists()
    assert not Reminder.objects.exists()


def test_reminders_are_not_offered_outside_a_chamber(client, whatsapp):
    """An anonymous visitor of the installation itself is never asked for an address."""
    visitor = finished_check(whatsapp)
    assert "Remind me" not in result_page(client, visitor, site="")
    assert ask(client, visitor, site="").status_code == 404
    assert not Reminder.objects.exists() and not mail.outbox


def test_reminders_are_not_offered_for_a_draft_or_on_another_chambers_site(client, whatsapp, holzwurm):
    Chamber.objects.create(slug="nachbarstadt", name="Handwerkskammer Nachbarstadt")
    assert ask(client, holzwurm, site="/hwk/nachbarstadt").status_code == 404
    draft = draft_start(whatsapp, "en", chamber=holzwurm.chamber)
    assert ask(client, draft).status_code == 404
    assert not Reminder.objects.exists()

    ask(client, holzwurm)
    confirm_path = link(mail.outbox[0], "confirm").replace(SITE, "/hwk/nachbarstadt")
    assert client.post(confirm_path).status_code == 404
    assert Reminder.objects.get().confirmed_at is None


def test_an_invalid_email_address_is_explained_at_the_field(client, holzwurm):
    response = ask(client, holzwurm, email="anna@holzwurm")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body
    assert '<a href="#id_reminder-email">' in body
    assert 'id="id_reminder-email_error"' in body and "Enter a valid email address." in body
    field = re.search(r"<input[^>]*name=\"reminder-email\"[^>]*>", body)[0]
    assert 'aria-describedby="id_reminder-email_help id_reminder-email_error"' in field
    assert 'aria-invalid="true"' in field and 'value="anna@holzwurm"' in field
    assert not Reminder.objects.exists() and not mail.outbox


def test_entered_text_is_escaped(client, holzwurm):
    hostile = '"><script>alert(1)</script>@x.example'
    body = ask(client, holzwurm, email=hostile).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_asking_again_replaces_the_pending_request(client, holzwurm):
    ask(client, holzwurm, email="anna@holzwurn.example")  # a typo
    ask(client, holzwurm, email=ANNA, months="12")
    first, second = mail.outbox
    reminder = Reminder.objects.get()
    assert (reminder.email, reminder.months) == (ANNA, 12)
    assert client.post(link(first, "confirm")).status_code == 404  # the mistyped address cannot confirm
    client.post(link(second, "confirm"))
    assert Reminder.objects.get().confirmed_at is not None


def test_a_set_reminder_is_not_replaced_by_asking_again(client, holzwurm):
    confirmed(client, holzwurm)
    response = ask(client, holzwurm, email="someone@else.example")
    assert response["Location"].endswith("#reminder")
    assert "A reminder is already set for this check" in client.get(response["Location"], **EN).content.decode()
    assert Reminder.objects.get().email == ANNA
    assert len(mail.outbox) == 1


def test_at_most_three_confirmation_mails_a_day_for_one_check(client, holzwurm):
    for _ in range(3):
        assert ask(client, holzwurm).status_code == 302
    response = ask(client, holzwurm)
    assert response.status_code == 200
    assert "We have already sent several confirmation e-mails today" in response.content.decode()
    assert len(mail.outbox) == 3

    tomorrow = timezone.now() + timedelta(days=1, minutes=1)
    services.request_reminder(holzwurm, ANNA, 6, mails.chamber_links(holzwurm.chamber), now=tomorrow)
    assert len(mail.outbox) == 4


def test_one_address_gets_at_most_five_confirmation_mails_a_day(whatsapp, musterstadt):
    """Nobody can flood a stranger's mailbox by starting check after check."""
    links = mails.chamber_links(musterstadt)
    for _ in range(5):
        services.request_reminder(finished_check(whatsapp, musterstadt), ANNA, 6, links)
    with pytest.raises(services.TooManyMails):
        services.request_reminder(finished_check(whatsapp, musterstadt), ANNA.upper(), 6, links)
    assert len(mail.outbox) == 5


def test_a_mail_that_cannot_be_sent_stores_nothing_and_a_reminder_is_tried_again(client, holzwurm, settings):
    reminder = confirmed(client, holzwurm)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens

    assert services.send_due(now=at_noon(reminder.due_on)) == (0, 1)
    assert Reminder.objects.get().sent_at is None

    client.post(f"{SITE}/reminders/check/{holzwurm.token}/cancel/")
    response = ask(client, holzwurm)
    assert "The confirmation e-mail could not be sent" in response.content.decode()
    assert not Reminder.objects.exists()


def test_the_command_fails_loudly_when_mails_cannot_be_sent(client, holzwurm, settings):
    reminder = services.request_reminder(
        holzwurm, ANNA, 6, mails.chamber_links(holzwurm.chamber), now=timezone.now() - timedelta(days=200)
    )
    services.confirm(reminder, now=timezone.now() - timedelta(days=199))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with pytest.raises(CommandError, match="1 reminder"):
        call_command("send_reminders")


def test_each_mail_is_in_the_language_the_check_was_taken_in(client, whatsapp, musterstadt):
    german = finished_check(whatsapp, musterstadt, language="de", business="Bäckerei Korn")
    ask(client, german)  # the member's browser is set to English meanwhile
    client.post(link(mail.outbox[0], "confirm"))
    reminder = Reminder.objects.get()
    services.send_due(now=at_noon(reminder.due_on))
    confirmation, reminded = mail.outbox
    for message in (confirmation, reminded):
        assert "WhatsApp im Betrieb: DSGVO-Check" in message.body
        assert "WhatsApp in your business" not in message.body


def test_a_confirmed_reminder_keeps_its_check_until_it_was_sent(client, holzwurm, whatsapp, musterstadt):
    """Anonymous checks go after 90 days; one with a reminder stays until the reminder can link to it."""
    unconfirmed = finished_check(whatsapp, musterstadt, business="Unentschlossen")
    ask(client, unconfirmed)
    reminder = confirmed(client, holzwurm)
    due = at_noon(reminder.due_on)

    purge_expired(now=due - timedelta(days=1))
    assert not Assessment.objects.filter(pk=unconfirmed.pk).exists()
    assert Assessment.objects.filter(pk=holzwurm.pk).exists()

    services.send_due(now=due)
    purge_expired(now=due + timedelta(days=services.keep_result_days() - 1))
    assert Reminder.objects.filter(pk=reminder.pk).exists()
    purge_expired(now=due + timedelta(days=services.keep_result_days() + 1))
    assert not Assessment.objects.filter(pk=holzwurm.pk).exists()
    assert not Reminder.objects.exists()


def test_neither_tokens_nor_the_address_reach_the_logs(client, holzwurm, caplog):
    caplog.set_level(logging.DEBUG)
    handler = logging.getLogger().handlers[0]
    ask(client, holzwurm)
    confirmation = mail.outbox[0]
    client.get(link(confirmation, "confirm"))
    client.post(link(confirmation, "confirm"))
    client.get(f"{SITE}/reminders/confirm/{'z' * 43}/")  # a 404 is logged with its path
    client.get(f"{SITE}/reminders/check/{'y' * 43}/")
    reminder = Reminder.objects.get()
    services.send_due(now=at_noon(reminder.due_on))
    cancel_path = link(mail.outbox[1], "cancel")
    client.post(cancel_path)
    client.get(cancel_path)  # gone: 404, logged

    lines = [handler.format(r) for r in caplog.records if all(f.filter(r) for f in handler.filters)]
    text = "\n".join(lines)
    assert "Not Found" in text
    tokens = [path.rstrip("/").rsplit("/", 1)[-1] for path in (link(confirmation, "confirm"), cancel_path)]
    for secret in [holzwurm.token, *tokens, "z" * 43, "y" * 43, ANNA]:
        assert secret not in text


def test_with_mail_switched_off_neither_reminders_nor_change_notices_are_offered(client, holzwurm, settings):
    """EMAIL_DISABLED=1: an offer whose confirmation mail could never arrive is not made."""
    settings.EMAIL_DISABLED = True
    page = result_page(client, holzwurm)
    assert "Remind me" not in page and "changes-email" not in page
    assert ask(client, holzwurm).status_code == 404
    changes = client.post(f"{SITE}/reminders/check/{holzwurm.token}/changes/", {"changes-email": ANNA}, **EN)
    assert changes.status_code == 404
    assert not Reminder.objects.exists() and not mail.outbox
