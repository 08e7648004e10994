"""Who may see a chamber's pages: its own staff, and nobody else, not even the installation's admins.

Another chamber's slug answers 404 exactly like one that does not exist, so slugs reveal nothing.
The tenant the request arrived under (request.chamber, set by the middleware) plays no part: what
counts is the staff role, so a member site's host name cannot widen or narrow anyone's access.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from .models import Chamber


def staff_chambers(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Chamber]:
    return Chamber.objects.filter(staff__user=user).distinct()


def chamber_staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view gets the chamber named by the URL's slug as its second argument, if the user is its staff."""

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        chamber = staff_chambers(request.user).filter(slug=slug).first()
        if chamber is None:
            raise Http404("not this chamber's staff")
        return view(request, chamber, *args, **kwargs)

    return never_cache(login_required(wrapper))
