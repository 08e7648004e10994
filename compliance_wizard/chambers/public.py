"""What a chamber's members see of its branding: the logo and the colour, as their own small files.

The colour comes as a stylesheet rather than an inline style, so the Content-Security-Policy can
forbid inline styles everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control

from compliance_wizard.branding.colors import color_problem, normalize_hex

from .models import Chamber


def _chamber(request: HttpRequest) -> Chamber:
    chamber = getattr(request, "chamber", None)
    if chamber is None:
        raise Http404("not a chamber's site")
    return chamber


def brand_color(chamber: Chamber) -> str:
    """The chamber's colour if it is still readable on white, else nothing (the site's own then)."""
    value = chamber.brand_color.strip()
    if not value or color_problem(value):
        return ""
    return normalize_hex(value)


def brand_stylesheet(chamber: Chamber) -> HttpResponse:
    color = brand_color(chamber)
    css = f":root {{ --accent: {color}; }}\n" if color else "/* no brand colour */\n"
    return HttpResponse(css, content_type="text/css; charset=utf-8")


@cache_control(max_age=300)
def brand_css(request: HttpRequest) -> HttpResponse:
    return brand_stylesheet(_chamber(request))


@cache_control(max_age=300)
def logo(request: HttpRequest) -> HttpResponse:
    chamber = _chamber(request)
    if not chamber.logo:
        raise Http404("no logo")
    response = HttpResponse(bytes(chamber.logo), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@dataclass(frozen=True)
class BrandLinks:
    """Where a page finds the chamber's colour and logo, and where its header's name leads.

    The member site's brand files answer only under the chamber's own prefix or host; the staff pages live
    outside both, so they bring their own links (chambers.views) instead of these.
    """

    css: str
    logo: str
    home: str


def member_site_links() -> BrandLinks:
    return BrandLinks(reverse("chamber_site:brand_css"), reverse("chamber_site:logo"), reverse("start"))


def chamber_context(request: HttpRequest) -> dict[str, object]:
    """The chamber of the request for every template (header, footer links)."""
    chamber = getattr(request, "chamber", None)
    return {"chamber": chamber, "chamber_links": member_site_links() if chamber else None}
