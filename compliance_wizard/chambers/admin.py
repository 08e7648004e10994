"""Adding a chamber is an administrator's job: slug, host name, branding and who its staff are."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from compliance_wizard.branding.fields import AccentColorField, LogoField
from compliance_wizard.catalog import registry

from .models import Chamber, ChamberStaff


class ChamberForm(forms.ModelForm):
    logo_upload = LogoField()
    brand_color = AccentColorField(label=_("Brand colour"))
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)
    imprint_url = forms.URLField(label=_("Imprint (URL)"), required=False, assume_scheme="https")
    privacy_url = forms.URLField(label=_("Privacy policy (URL)"), required=False, assume_scheme="https")
    accessibility_url = forms.URLField(
        label=_("Accessibility statement (URL)"),
        required=False,
        assume_scheme="https",
        help_text=_("Empty: the statement of this installation."),
    )
    checklists = forms.MultipleChoiceField(
        label=_("Checklists offered"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every checklist of this installation."),
    )
    sectors = forms.MultipleChoiceField(
        label=_("Kinds of business offered"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The answers members may give to the question about their kind of business; “I don't know” is always "
            "offered. None ticked: all of them."
        ),
    )

    class Meta:
        model = Chamber
        fields = [
            "slug", "host", "name", "brand_color", "contact_name", "contact_email", "address",
            "imprint_url", "privacy_url", "accessibility_url", "checklists", "sectors",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checklists"].choices = [(c.id, c.title.get("de")) for c in registry.all_checklists()]
        self.fields["sectors"].choices = registry.sector_choices()

    def clean_host(self) -> str | None:
        host = (self.cleaned_data.get("host") or "").strip().lower()
        return host or None  # empty means "path only"; NULL keeps the unique constraint happy

    def save(self, commit: bool = True) -> Chamber:
        chamber = super().save(commit=False)
        if self.cleaned_data.get("logo_upload"):
            chamber.logo = self.cleaned_data["logo_upload"]
        elif self.cleaned_data.get("remove_logo"):
            chamber.logo = None
        if commit:
            chamber.save()
        return chamber


class StaffInline(admin.TabularInline):
    model = ChamberStaff
    extra = 1
    raw_id_fields = ("user",)
    verbose_name = _("staff member")
    verbose_name_plural = _("staff (may see the statistics and change the branding)")


@admin.register(Chamber)
class ChamberAdmin(admin.ModelAdmin):
    form = ChamberForm
    inlines = [StaffInline]
    list_display = ("name", "slug", "host", "contact_email", "created_at")
    search_fields = ("name", "slug", "host")
    prepopulated_fields = {"slug": ("name",)}
