"""A consultant's side of the tool: their branding, their clients, and their comments on findings."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance_wizard.branding.brand import Brand

MAX_NAME = 200
MAX_ADDRESS = 500
MAX_INTRO = 2000
MAX_NOTES = 5000
MAX_COMMENT = 2000


class Consultant(models.Model):
    """A user who may use the workspace. The branding fields are what their clients' reports carry."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultant")
    display_name = models.CharField(max_length=MAX_NAME, blank=True)  # person or firm on the report cover
    address = models.TextField(max_length=MAX_ADDRESS, blank=True)
    # A PNG re-encoded by us on upload (never the uploaded bytes), kept in the database so that
    # every app server sees it without shared disk.
    logo = models.BinaryField(null=True, blank=True, editable=False)
    accent_color = models.CharField(max_length=7, blank=True)  # "#rrggbb", contrast checked on save
    intro = models.TextField(max_length=MAX_INTRO, blank=True)
    # What the mails to the consultant (invitation, password reset) are written in: the consultant's own choice,
    # not whichever language the browser happened to ask for. A client's link goes out in the check's language.
    language = models.CharField(
        _("Language of e-mails"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # The only key to the consultant's calendar feed of due dates, which a calendar app fetches without a
    # login. A new one replaces it (the old link stops working); None while the consultant has none.
    calendar_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()

    def report_brand(self) -> Brand:
        """Their clients' reports carry the consultant's name, address, logo, colour and introduction."""
        return Brand(
            name=self.display_name or self.user.get_username(),
            address=self.address,
            logo_png=bytes(self.logo) if self.logo else None,
            accent_color=self.accent_color,
            intro=self.intro,
        )


@receiver(post_delete, sender=Consultant, dispatch_uid="workspace.delete_the_login_with_the_consultant")
def _delete_the_login(instance: Consultant, **kwargs: object) -> None:
    # Without the workspace, the login's e-mail address and password hash serve no purpose (DSGVO Art. 5(1)(e)).
    # A login that is also an administrator's or a chamber staff member's is still needed and stays.
    get_user_model()._default_manager.filter(
        pk=instance.user_id, is_staff=False, is_superuser=False, chamber_roles__isnull=True
    ).delete()


class Client(models.Model):
    consultant = models.ForeignKey(Consultant, on_delete=models.CASCADE, related_name="clients")
    name = models.CharField(max_length=MAX_NAME)
    contact_person = models.CharField(max_length=MAX_NAME, blank=True)
    website = models.CharField(max_length=300, blank=True)
    notes = models.TextField(max_length=MAX_NOTES, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["consultant", "archived_at"], name="client_list")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class FindingNote(models.Model):
    """The consultant's comment on one finding, and who closes the gap by when."""

    assessment = models.ForeignKey("assessments.Assessment", on_delete=models.CASCADE, related_name="finding_notes")
    requirement_id = models.CharField(max_length=100)
    comment = models.TextField(max_length=MAX_COMMENT, blank=True)
    due_date = models.DateField(null=True, blank=True)
    responsible = models.CharField(max_length=MAX_NAME, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "requirement_id"], name="one_note_per_finding"),
        ]

    def __str__(self) -> str:
        return f"{self.requirement_id} on #{self.assessment_id}"

    @property
    def is_empty(self) -> bool:
        return not (self.comment.strip() or self.due_date or self.responsible.strip())
