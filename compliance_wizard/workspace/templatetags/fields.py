from django import template
from django.forms import BoundField

register = template.Library()


@register.simple_tag
def described_widget(field: BoundField) -> str:
    """The field's widget pointing at its help text and error, so a screen reader reads both with it."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_help")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    attrs = {"aria-describedby": " ".join(ids)} if ids else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
