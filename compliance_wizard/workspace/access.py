"""Who may use the workspace, and which objects they may see: their own, and nothing else.

Another consultant's object answers 404 exactly like one that does not exist, so ids reveal nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache

from compliance_wizard.assessments.models import Assessment

from .models import Client, Consultant


def consultant_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        consultant = Consultant.objects.filter(user=request.user).select_related("user").first()
        if consultant is None:
            raise Http404("not a consultant")
        request.consultant = consultant
        return view(request, *args, **kwargs)

    return never_cache(login_required(wrapper))


def own_client(request: HttpRequest, pk: int) -> Client:
    return get_object_or_404(Client, pk=pk, consultant=request.consultant)


def own_assessment(request: HttpRequest, pk: int) -> Assessment:
    return get_object_or_404(
        Assessment.objects.select_related("client"),
        pk=pk,
        client__consultant=request.consultant,
    )
