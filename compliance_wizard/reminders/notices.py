"""Every write to a change notice: request (double opt-in), confirm, cancel, send, expire.

The same consent rules as for reminders (services.py): nothing but the confirmation mail before the member
clicked its link, an unconfirmed request deleted after confirm_hours(), a cancel link in every mail, the
address deleted with the check. Unlike a reminder, a notice does not keep its check: it tells of changes
while the check is kept anyway.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.assessments.services import assessment_changes

from . import mails
from .mails import LinkBuilder
from .models import ChangeNotice, ChangeNoticeSent, ConfirmationSent
from .services import AlreadySet, NotOffered, TooManyMails, caps, confirm_hours, digest, key, new_token, offered

logger = logging.getLogger(__name__)


def is_expired(notice: ChangeNotice, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return not notice.is_confirmed and notice.requested_at < now - timedelta(hours=confirm_hours())


def current(assessment: Assessment, now: datetime | None = None) -> ChangeNotice | None:
    notice = ChangeNotice.objects.filter(assessment=assessment).first()
    return None if notice is None or is_expired(notice, now) else notice


def request_notice(assessment: Assessment, email: str, link: LinkBuilder, now: datetime | None = None) -> ChangeNotice:
    """Store an unconfirmed request and mail its confirmation link; a pending request is replaced.

    The daily caps on confirmation mails are shared with reminders: one address, one check, one count.
    """
    if not offered(assessment):
        raise NotOffered
    now = now or timezone.now()
    check_key, address_key = key("check", str(assessment.pk)), key("address", email.lower())
    with transaction.atomic():
        Assessment.objects.select_for_update().filter(pk=assessment.pk).first()  # two tabs cannot both slip under
        recent = ConfirmationSent.objects.filter(sent_at__gt=now - timedelta(days=1))
        per_check, per_address = caps()
        if (
            recent.filter(check_key=check_key).count() >= per_check
            or recent.filter(address_key=address_key).count() >= per_address
        ):
            raise TooManyMails
        existing = ChangeNotice.objects.filter(assessment=assessment).first()
        if existing is not None and existing.is_confirmed:
            raise AlreadySet
        token, token_digest = new_token()
        notice, _created = ChangeNotice.objects.update_or_create(
            assessment=assessment, defaults={"email": email, "requested_at": now, "confirm_digest": token_digest}
        )
        ConfirmationSent.objects.create(check_key=check_key, address_key=address_key, sent_at=now)
        mails.send_change_confirmation(notice, token, link, valid_hours=confirm_hours())
    return notice


def find(token: str) -> ChangeNotice | None:
    """The notice a mailed link is for: the confirmation link, or the cancel link of any mail about changes."""
    if not token:
        return None
    token_digest = digest(token)
    return (
        ChangeNotice.objects.select_related("assessment__chamber")
        .filter(Q(confirm_digest=token_digest) | Q(sent__cancel_digest=token_digest))
        .first()
    )


def confirm(notice: ChangeNotice, now: datetime | None = None) -> ChangeNotice:
    """Record the consent; confirming twice keeps the first time. Changes made before are not told: the
    member has just seen the check's page, which lists them."""
    now = now or timezone.now()
    with transaction.atomic():
        if ChangeNotice.objects.filter(pk=notice.pk, confirmed_at__isnull=True).update(confirmed_at=now):
            known = assessment_changes(notice.assessment, notice.assessment.language)
            ChangeNoticeSent.objects.bulk_create(
                [ChangeNoticeSent(notice=notice, change_id=c["id"], sent_at=now, cancel_digest="") for c in known],
                ignore_conflicts=True,
            )
    notice.refresh_from_db()
    return notice


def cancel(notice: ChangeNotice) -> None:
    """Revocation: the address is deleted at once."""
    ChangeNotice.objects.filter(pk=notice.pk).delete()


def confirmed(now: datetime | None = None) -> QuerySet[ChangeNotice]:
    return ChangeNotice.objects.filter(
        confirmed_at__isnull=False, assessment__state=Assessment.State.FINISHED
    ).select_related("assessment__chamber")


def expired_requests(now: datetime | None = None) -> QuerySet[ChangeNotice]:
    now = now or timezone.now()
    return ChangeNotice.objects.filter(
        confirmed_at__isnull=True, requested_at__lt=now - timedelta(hours=confirm_hours())
    )


def untold(notice: ChangeNotice) -> list[dict[str, object]]:
    """The changes touching the notice's check that no mail has told of yet."""
    told = set(notice.sent.values_list("change_id", flat=True))
    return [c for c in assessment_changes(notice.assessment, notice.assessment.language) if c["id"] not in told]


def send_due(now: datetime | None = None) -> tuple[int, int]:
    """One mail per check with every change it has not been told of; returns (sent, failed).

    Each change is claimed for the check before the mail goes (a unique row per check and change), so two
    runs at once, on two servers, never mail the same change twice; a mail that fails gives its claims back
    and is tried again on the next run.
    """
    now = now or timezone.now()
    sent = failed = 0
    for notice in confirmed(now):
        changes = untold(notice)
        if not changes:
            continue
        token, token_digest = new_token()
        claims = [
            ChangeNoticeSent(notice=notice, change_id=str(c["id"]), sent_at=now, cancel_digest=token_digest)
            for c in changes
        ]
        try:
            with transaction.atomic():
                ChangeNoticeSent.objects.bulk_create(claims)
        except IntegrityError:
            continue  # another run claimed one of them first and mails them
        try:
            mails.send_changes(notice, token, mails.chamber_links(notice.assessment.chamber), changes)
        except Exception as error:
            ChangeNoticeSent.objects.filter(notice=notice, cancel_digest=token_digest).delete()
            # The type only: an SMTP error's text may quote the address.
            logger.error(
                "Change notice #%s could not be sent (%s); trying again on the next run.",
                notice.pk,
                type(error).__name__,
            )
            failed += 1
        else:
            sent += 1
    return sent, failed


def purge(now: datetime | None = None) -> int:
    """Delete unconfirmed requests past their time."""
    deleted, _by_model = expired_requests(now).delete()
    return deleted
