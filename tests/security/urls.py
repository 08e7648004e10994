"""Every URL pattern of the project, as a path a client can request: derived from the resolver, so a new URL
is in every list built from here the moment it is added, and one whose arguments cannot be filled in fails."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

CHAMBER_SITE = "/hwk/musterstadt"  # the same URLs again on a chamber's site (chambers/middleware.py)

# A sample for every URL argument name in use. A new name fails `every_url()` until it gets one here.
SAMPLES: dict[str, str] = {
    "token": "x" * 43,
    "uidb64": "MQ",
    "checklist_id": "whatsapp-business",
    "step": "usage",
    "pk": "1",
    "requirement_id": "avv-whatsapp",
    "slug": "musterstadt",
    "content_type_id": "1",
    "object_id": "1",
    "id": "1",
    "app_label": "auth",
    "url": "nowhere/",
}

ROUTE_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


@dataclass(frozen=True)
class Url:
    name: str  # "namespace:name", or "namespace:(unnamed)" for a pattern without a name
    route: str  # as Django joins it, e.g. "workspace/clients/<int:pk>/"
    arguments: tuple[str, ...]

    def path(self, samples: Mapping[str, str] = SAMPLES, site: str = "") -> str:
        return site + "/" + _fill(self.route, samples)


def _fill(route: str, samples: Mapping[str, str]) -> str:
    def sample(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in samples:
            raise KeyError(f"no sample value for the URL argument {name!r}: add one to tests/security/urls.py")
        return str(samples[name])

    filled = ROUTE_ARGUMENT.sub(sample, REGEX_GROUP.sub(sample, route))
    return filled.replace("^", "").replace("$", "")


def every_url(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> Iterator[Url]:
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from every_url(entry, route, inner)
        elif isinstance(entry, URLPattern):
            assert isinstance(entry.pattern, RoutePattern | RegexPattern), entry
            regex_names = [m["name"] for m in REGEX_GROUP.finditer(route)]
            names = regex_names + [m["name"] for m in ROUTE_ARGUMENT.finditer(REGEX_GROUP.sub("", route))]
            yield Url(f"{namespace}{entry.name or '(unnamed)'}", route, tuple(names))


def reaches_its_pattern(url: Url, path: str) -> bool:
    """Whether the sample path is routed to the pattern it was built from, not to an earlier one."""
    anchors = str.maketrans("", "", "^$")  # Django leaves them out of the joined route of a regex pattern
    return resolve(path).route.translate(anchors) == url.route.translate(anchors)
