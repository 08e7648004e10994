"""A chamber (Handwerkskammer) hosts the check for its members under its own name: one tenant each."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from compliance_wizard.branding.brand import Brand
from compliance_wizard.engine import UNKNOWN

HOST = RegexValidator(
    r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$", "a host name like check.hwk.de"
)


class Chamber(models.Model):
    slug = models.SlugField(max_length=50, unique=True)  # members reach it under /hwk/<slug>/
    # Optionally its own host name, e.g. dsgvo-check.hwk-musterstadt.de (must also be in ALLOWED_HOSTS).
    host = models.CharField(max_length=253, unique=True, null=True, blank=True, validators=[HOST])
    name = models.CharField(max_length=200)
    logo = models.BinaryField(null=True, blank=True, editable=False)  # re-encoded PNG, see branding.logo
    brand_color = models.CharField(max_length=7, blank=True)  # "#rrggbb", contrast checked on save
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    address = models.TextField(max_length=500, blank=True)
    # The chamber's own words, first on its members' home page; plain text, paragraphs by blank lines.
    greeting = models.TextField(max_length=1000, blank=True)
    imprint_url = models.URLField(blank=True)
    privacy_url = models.URLField(blank=True)
    accessibility_url = models.URLField(blank=True)
    # Checklist ids offered to members; empty means every checklist of the installation.
    checklists = models.JSONField(default=list, blank=True)
    # Kinds of business offered in a checklist's sector question (option ids); empty means all of them.
    sectors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def offers(self, checklist_id: str) -> bool:
        return not self.checklists or checklist_id in self.checklists

    def offers_sector(self, option_id: str) -> bool:
        # "Don't know" stays: every question offers it, and it is the careful answer.
        return not self.sectors or option_id in self.sectors or option_id == UNKNOWN

    def report_brand(self) -> Brand:
        """A member's report carries the chamber's name, logo and colour on its cover."""
        return Brand(
            name=self.name,
            address=self.address,
            logo_png=bytes(self.logo) if self.logo else None,
            accent_color=self.brand_color,
        )


class ChamberStaff(models.Model):
    """A user who may see a chamber's statistics and change its branding."""

    chamber = models.ForeignKey(Chamber, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chamber_roles")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chamber", "user"], name="one_role_per_chamber")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.chamber}"


class CheckStatistic(models.Model):
    """What a chamber may count about one finished check: month, band, score and which requirements were open.

    Written once at submit time and kept when the check itself is deleted, so the figures outlive
    the answers. It holds no token, no answers, no name and no link to the assessment.
    """

    chamber = models.ForeignKey(Chamber, on_delete=models.CASCADE, related_name="statistics")
    checklist_id = models.CharField(max_length=100)
    checklist_version = models.CharField(max_length=50, blank=True)  # the version the check was judged under
    month = models.DateField()  # the first day of the month the check was finished in
    band = models.CharField(max_length=10)
    score = models.PositiveSmallIntegerField(null=True)  # the score as shown (capped); null in rows before 1.1.0
    gaps = models.JSONField(default=list)  # requirement ids that were open (gap or to clarify); notes never
    # The kind of business answered to the checklist's sector question (an option id; empty if it has none, or in
    # rows written before it was recorded), for comparing with businesses like the member's; staff never see it.
    sector = models.CharField(max_length=100, blank=True)

    class Meta:
        indexes = [models.Index(fields=["chamber", "month"], name="statistic_month")]

    def __str__(self) -> str:
        return f"{self.chamber} {self.month:%Y-%m} {self.band}"
