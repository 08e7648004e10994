"""{% documents_of assessment lang as documents %}: the documents of a check for the page it is on.

A tag rather than view context, so that the result page and the consultant's check page show the same section
from one include.
"""

from __future__ import annotations

from django import template

from ..documents import assessment_documents
from ..models import Assessment

register = template.Library()


@register.simple_tag
def documents_of(assessment: Assessment, lang: str) -> list[object]:
    return list(assessment_documents(assessment, lang))
