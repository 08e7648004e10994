"""Clients whose latest check a change of the rule files touches: whom to tell, and whose check to repeat."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from ..access import consultant_required
from ..services import clients_affected_by_changes


@consultant_required
def affected(request: HttpRequest) -> HttpResponse:
    lang = (get_language() or "de")[:2]
    rows = clients_affected_by_changes(request.consultant, lang)
    return render(request, "workspace/changes.html", {"rows": rows})
