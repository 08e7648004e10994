from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..access import consultant_required
from ..forms import BrandingForm
from ..services import branding_save


@consultant_required
def branding(request: HttpRequest) -> HttpResponse:
    consultant = request.consultant
    initial = {name: getattr(consultant, name) for name in ("display_name", "address", "accent_color", "intro")}
    form = BrandingForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        branding_save(consultant, data, data["logo"], data["remove_logo"])
        messages.success(request, _("Your branding is saved. New reports carry it."))
        return redirect("workspace:branding")
    status = 400 if request.method == "POST" else 200
    return render(request, "workspace/branding.html", {"form": form, "consultant": consultant}, status=status)


@consultant_required
def branding_logo(request: HttpRequest) -> HttpResponse:
    """The consultant's own logo for the preview; always our re-encoded PNG, never the upload."""
    logo = request.consultant.logo
    if not logo:
        raise Http404("no logo")
    response = HttpResponse(bytes(logo), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    return response
