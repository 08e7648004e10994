"""A chamber member's wish to be reminded to repeat a check: the only e-mail address a member ever leaves."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    class Interval(models.IntegerChoices):
        HALF_YEAR = 6, _("in 6 months")
        YEAR = 12, _("in 12 months")

    # One per check, and it goes when the check goes: the address never outlives what it was left for.
    assessment = models.OneToOneField("assessments.Assessment", on_delete=models.CASCADE, related_name="reminder")
    email = models.EmailField()
    months = models.PositiveSmallIntegerField(choices=Interval.choices)
    requested_at = models.DateTimeField(default=timezone.now)
    # SHA-256 of the token in the confirmation mail; the token itself is only ever in that mail.
    confirm_digest = models.CharField(max_length=64, unique=True)
    # When the member clicked "confirm": the proof of consent (Art. 7 (1) GDPR). Nothing is mailed before.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)  # set on confirmation, counted from then
    sent_at = models.DateTimeField(null=True, blank=True)
    # SHA-256 of the token of the cancel link in the reminder mail (a new token: the first is not stored).
    sent_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "due_on"], name="reminder_due")]

    def __str__(self) -> str:
        return f"reminder #{self.pk} for assessment #{self.assessment_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


class ConfirmationSent(models.Model):
    """One confirmation mail, remembered for a day to cap how many go to one check and to one address.

    Kept apart from Reminder so that replacing, cancelling or deleting a request does not reset the
    count. Keyed hashes (HMAC with SECRET_KEY) only: the table holds no readable address.
    """

    check_key = models.CharField(max_length=64, db_index=True)
    address_key = models.CharField(max_length=64, db_index=True)
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"confirmation mail at {self.sent_at:%Y-%m-%d %H:%M}"


class ChangeNotice(models.Model):
    """A chamber member's wish to hear when something their check was judged on changes (the checklist's
    changelog): double opt-in like a reminder, every mail with a cancel link, deleted with the check."""

    assessment = models.OneToOneField("assessments.Assessment", on_delete=models.CASCADE, related_name="change_notice")
    email = models.EmailField()
    requested_at = models.DateTimeField(default=timezone.now)
    confirm_digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the confirmation link's token
    confirmed_at = models.DateTimeField(null=True, blank=True)  # the proof of consent; nothing is mailed before

    def __str__(self) -> str:
        return f"change notice #{self.pk} for assessment #{self.assessment_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class ChangeNoticeSent(models.Model):
    """One change told to one check's address: claimed before the mail goes, so that no change is mailed twice,
    even by two servers running the daily command at once."""

    notice = models.ForeignKey(ChangeNotice, on_delete=models.CASCADE, related_name="sent")
    change_id = models.CharField(max_length=64)
    sent_at = models.DateTimeField(default=timezone.now)
    # SHA-256 of the cancel link's token in the mail that told of it (one mail may tell of several changes).
    cancel_digest = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "change_id"], name="one_mail_per_change")]

    def __str__(self) -> str:
        return f"change {self.change_id} told to notice #{self.notice_id}"
