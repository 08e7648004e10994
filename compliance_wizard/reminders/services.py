"""Every write to a reminder goes through here: request (double opt-in), confirm, cancel, send, expire.

Consent rules (Art. 6 (1) (a), Art. 7 GDPR): nothing but the confirmation mail is sent before the member
clicked its link; an unconfirmed request is deleted after confirm_hours(); every mail can revoke; and a
reminder is deleted with its check. In return a confirmed reminder keeps its check (see `assessments_held`),
otherwise the retention period of anonymous checks would delete it before it is due.
"""

from __future__ import annotations

import calendar
import hashlib
import logging
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac

from compliance_wizard.assessments.models import Assessment

from . import mails
from .mails import LinkBuilder
from .models import ConfirmationSent, Reminder

logger = logging.getLogger(__name__)


# Overridable in the settings; the defaults are what the consent note on the result page promises.
def confirm_hours() -> int:
    return getattr(settings, "REMINDER_CONFIRM_HOURS", 48)


def keep_result_days() -> int:
    return getattr(settings, "REMINDER_KEEP_RESULT_DAYS", 30)


def caps() -> tuple[int, int]:
    """Confirmation mails a day: per check, per address."""
    return getattr(settings, "REMINDER_CONFIRMATIONS_PER_CHECK", 3), getattr(
        settings, "REMINDER_CONFIRMATIONS_PER_ADDRESS", 5
    )


class NotOffered(Exception):
    """Reminders are for finished checks of a chamber's members only."""


class AlreadySet(Exception):
    """A confirmed reminder is not replaced by a new request: it is cancelled first."""


class TooManyMails(Exception):
    """The daily cap of confirmation mails for this check or this address is reached."""


def offered(assessment: Assessment) -> bool:
    # Without mail (EMAIL_DISABLED) the confirmation could never arrive: nothing to offer.
    if settings.EMAIL_DISABLED:
        return False
    return assessment.is_finished and assessment.chamber_id is not None and assessment.client_id is None


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)  # 256 bits
    return token, digest(token)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def key(purpose: str, value: str) -> str:
    return salted_hmac(f"reminders.{purpose}", value, algorithm="sha256").hexdigest()


def is_expired(reminder: Reminder, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return not reminder.is_confirmed and reminder.requested_at < now - timedelta(hours=confirm_hours())


def current(assessment: Assessment, now: datetime | None = None) -> Reminder | None:
    """The reminder the result page talks about; an expired request counts as none."""
    reminder = Reminder.objects.filter(assessment=assessment).first()
    if reminder is None or is_expired(reminder, now):
        return None
    return reminder


def request_reminder(
    assessment: Assessment, email: str, months: int, link: LinkBuilder, now: datetime | None = None
) -> Reminder:
    """Store an unconfirmed request and mail its confirmation link; a pending request is replaced.

    If the mail cannot be sent, nothing is stored (the exception propagates).
    """
    if not offered(assessment):
        raise NotOffered
    now = now or timezone.now()
    check_key, address_key = key("check", str(assessment.pk)), key("address", email.lower())
    with transaction.atomic():
        # Locks the check, so two tabs cannot both slip under the cap.
        Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        since = now - timedelta(days=1)
        recent = ConfirmationSent.objects.filter(sent_at__gt=since)
        per_check, per_address = caps()
        if (
            recent.filter(check_key=check_key).count() >= per_check
            or recent.filter(address_key=address_key).count() >= per_address
        ):
            raise TooManyMails
        existing = Reminder.objects.filter(assessment=assessment).first()
        if existing is not None and existing.is_confirmed:
            raise AlreadySet
        token, token_digest = new_token()
        reminder, _created = Reminder.objects.update_or_create(
            assessment=assessment,
            defaults={"email": email, "months": months, "requested_at": now, "confirm_digest": token_digest},
        )
        ConfirmationSent.objects.create(check_key=check_key, address_key=address_key, sent_at=now)
        mails.send_confirmation(reminder, token, link, valid_hours=confirm_hours())
    return reminder


def find(token: str) -> Reminder | None:
    """The reminder a mailed link is for: the confirmation link or the cancel link of the reminder mail."""
    if not token:
        return None
    token_digest = digest(token)
    return (
        Reminder.objects.select_related("assessment__chamber")
        .filter(Q(confirm_digest=token_digest) | Q(sent_digest=token_digest))
        .first()
    )


def confirm(reminder: Reminder, now: datetime | None = None) -> Reminder:
    """Record the consent and fix the date. Confirming twice keeps the first time."""
    now = now or timezone.now()
    Reminder.objects.filter(pk=reminder.pk, confirmed_at__isnull=True).update(
        confirmed_at=now, due_on=add_months(timezone.localdate(now), reminder.months)
    )
    reminder.refresh_from_db()
    return reminder


def cancel(reminder: Reminder) -> None:
    """Revocation: the address is deleted at once; the check falls back to its normal retention."""
    Reminder.objects.filter(pk=reminder.pk).delete()


def due(now: datetime | None = None) -> QuerySet[Reminder]:
    now = now or timezone.now()
    return Reminder.objects.filter(
        confirmed_at__isnull=False, sent_at__isnull=True, due_on__lte=timezone.localdate(now)
    ).select_related("assessment__chamber")


def expired_requests(now: datetime | None = None) -> QuerySet[Reminder]:
    now = now or timezone.now()
    return Reminder.objects.filter(confirmed_at__isnull=True, requested_at__lt=now - timedelta(hours=confirm_hours()))


def send_due(now: datetime | None = None) -> tuple[int, int]:
    """Mail every due reminder once; returns (sent, failed). A failed one is tried again on the next run."""
    now = now or timezone.now()
    sent = failed = 0
    for reminder in due(now):
        token, token_digest = new_token()
        # Claimed by a conditional update, so two runs at once never mail the same reminder twice.
        claimed = Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(
            sent_at=now, sent_digest=token_digest
        )
        if not claimed:
            continue
        reminder.sent_at = now
        result_until = max(
            reminder.assessment.finished_at + timedelta(days=settings.RETENTION_FINISHED_DAYS),
            now + timedelta(days=keep_result_days()),
        )
        try:
            mails.send_reminder(reminder, token, mails.chamber_links(reminder.assessment.chamber), result_until)
        except Exception as error:
            Reminder.objects.filter(pk=reminder.pk).update(sent_at=None, sent_digest=None)
            # The type only: an SMTP error's text may quote the address.
            logger.error(
                "Reminder #%s could not be sent (%s); trying again on the next run.", reminder.pk, type(error).__name__
            )
            failed += 1
        else:
            sent += 1
    return sent, failed


def purge(now: datetime | None = None) -> int:
    """Delete unconfirmed requests past their time and forget the mail counts of yesterday."""
    now = now or timezone.now()
    ConfirmationSent.objects.filter(sent_at__lte=now - timedelta(days=1)).delete()
    deleted, _by_model = expired_requests(now).delete()
    return deleted


def assessments_held(now: datetime | None = None) -> QuerySet[Reminder]:
    """Ids of checks a confirmed reminder still needs: until it is sent, then keep_result_days() for its link.

    A retention hold (assessments.hooks), registered by RemindersConfig.ready().
    """
    now = now or timezone.now()
    return (
        Reminder.objects.filter(confirmed_at__isnull=False)
        .filter(Q(sent_at__isnull=True) | Q(sent_at__gt=now - timedelta(days=keep_result_days())))
        .values("assessment_id")
    )
