"""Form fields shared by the consultant's, the chamber staff's and the admin's forms: branding, free text."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from compliance_wizard.engine.answers_file import clean_text

from .colors import color_problem, normalize_hex
from .logo import LogoError, reencode_logo


class FreeTextField(forms.CharField):
    """Text over several lines (an address, an introduction, notes, a comment), kept by the one rule of every
    free-text field (engine.answers_file.clean_text): lines stay, bidi and other control characters go."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return clean_text(super().to_python(value))


class LogoField(forms.FileField):
    """An upload that comes out as our own re-encoded PNG bytes (or None), never as the uploaded file."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Logo"))
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", _("PNG or JPEG, at most 2 MB. It is converted and shrunk to fit 800×400 pixels.")
        )
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> bytes | None:
        upload = super().clean(data, initial)
        if not upload:
            return None
        try:
            return reencode_logo(upload)
        except LogoError as exc:
            raise forms.ValidationError(exc.message) from None


class AccentColorField(forms.CharField):
    """A "#rrggbb" colour dark enough for white text on it and for itself as text on white."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault(
            "help_text", _("A hex colour such as #0b5394. It must be dark enough for white text (contrast 4.5:1).")
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if not value:
            return ""
        if problem := color_problem(value):
            raise forms.ValidationError(problem)
        return normalize_hex(value)
