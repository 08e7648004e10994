from __future__ import annotations

from typing import Any

from django import template

from compliance_wizard.chambers import peers

register = template.Library()


@register.simple_tag
def peer_comparison(assessment: peers.FinishedCheck, data: dict[str, Any]) -> dict[str, Any] | None:
    """The result page's "Betriebe wie Ihrer" box, or None where there is nothing to compare with."""
    return peers.box(assessment, data)
