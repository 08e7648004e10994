"""An assessment is one row from the first wizard step to the result: a draft until it is submitted."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from django.db import models
from django.urls import reverse
from django.utils import timezone

from .fields import CompressedJSONField

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    from compliance_wizard.chambers.models import Chamber


def new_token() -> str:
    # 32 random bytes = 256 bits; the token is the only key to a draft and its result.
    return secrets.token_urlsafe(32)


class Assessment(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft"
        FINISHED = "finished"

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    checklist_id = models.CharField(max_length=100)
    checklist_version = models.CharField(max_length=50)
    content_hash = models.CharField(max_length=64)
    language = models.CharField(max_length=5)
    business_name = models.CharField(max_length=200, blank=True)
    website = models.CharField(max_length=300, blank=True)
    # Option ids by question id; for a draft also answers of a step not yet completed.
    answers = models.JSONField(default=dict)
    current_step = models.CharField(max_length=100, blank=True)
    # The question ids of the checklist content (content_hash) the draft is answered against: when the rule
    # files change mid-check, this tells new questions apart from ones merely not answered yet.
    outline = models.JSONField(default=list, blank=True)
    # What the owner gave for the documents (engine/details.py: name, contact, Bundesland, ...), cleaned and
    # validated by DetailsForm; kept in this row so that it goes with the check under every retention rule.
    details = models.JSONField(default=dict, blank=True)
    # For a finished assessment: Result.to_dict() per language, frozen at submit time so the
    # report stays what was assessed even after the rule files change. Compressed (fields.py): it is most of a check's
    # bytes at rest (bench/README.md, figure 10).
    result = CompressedJSONField(null=True, blank=True)
    # Copied out of `result` so that lists and statistics can filter and count without reading JSON.
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    band = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Set while one request renders the report (reports.report_pdf_once): every other click waits for that one
    # render instead of starting its own. A marker older than a render may take is a render whose worker died.
    report_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The owner: a consultant's client, or a chamber whose member took the check anonymously, or
    # neither (an anonymous visitor). In every case the token is the member's only key.
    client = models.ForeignKey(
        "workspace.Client", null=True, blank=True, on_delete=models.CASCADE, related_name="assessments"
    )
    chamber = models.ForeignKey(
        "chambers.Chamber", null=True, blank=True, on_delete=models.CASCADE, related_name="assessments"
    )
    # The assessment this one repeats, so the report can show what changed since.
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["state", "updated_at"], name="assessment_retention")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(client__isnull=True) | models.Q(chamber__isnull=True), name="at_most_one_owner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.checklist_id} {self.state} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.state == self.State.FINISHED

    def visible_at(self, chamber: Chamber | None) -> bool:
        """A chamber member's check opens only on that chamber's site, any other check only outside one."""
        return self.chamber_id == (chamber.pk if chamber is not None else None)

    def belongs_to_consultant(self, user: AbstractBaseUser | AnonymousUser) -> bool:
        """True if `user` is the consultant whose client this check is for."""
        return bool(self.client_id and user.is_authenticated and self.client.consultant.user_id == user.pk)

    def result_url(self, user: AbstractBaseUser | AnonymousUser) -> str:
        """Where a finished check is shown: in the consultant's workspace for them, else behind the token."""
        if self.belongs_to_consultant(user):
            return reverse("workspace:assessment", kwargs={"pk": self.pk})
        return reverse("assessments:result", kwargs={"token": self.token})

    def result_for(self, lang: str) -> dict[str, Any]:
        """The frozen result in `lang`, else in the language the check was taken in."""
        results: dict[str, dict[str, Any]] = self.result or {}
        return results.get(lang) or results.get(self.language) or next(iter(results.values()))


class ReportFile(models.Model):
    """A rendered PDF, so a second download does not render again. Deleted with its assessment, or when
    nobody has downloaded it for a while."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reports")
    key = models.CharField(max_length=120)  # language, content hash and renderer version
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)
    # A stored PDF is as large as the rest of the check several times over: the retention job deletes it
    # REPORT_CACHE_DAYS after its last download (reports.purge_unused_reports); a later click renders it again.
    last_downloaded_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "key"], name="one_report_per_key")]

    def __str__(self) -> str:
        return self.filename
