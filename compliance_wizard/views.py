"""Site-wide error pages."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def csrf_failure(request, reason=""):
    # Most often an old tab or an expired cookie; the answers already given are safe in the draft.
    return render(request, "csrf_failure.html", status=403)


def server_error(request: HttpRequest) -> HttpResponseBase:
    """handler500: a database that is away for a moment is a "try again" (503), anything else the plain 500 page."""
    error = sys.exc_info()[1]
    if not isinstance(error, (OperationalError, InterfaceError)):
        return defaults.server_error(request)
    # The class name only: a driver's message may quote the statement and with it someone's answers.
    logger.error("Database unavailable (%s): answered 503", type(error).__name__)
    # No context processors and no request in the context: the session, the user and the chamber may all
    # need the database that just failed. The language comes from the cookie or the browser, as usual.
    language = translation.get_language_from_request(request)
    with translation.override(language):
        body = loader.get_template("503.html").render({"LANGUAGE_CODE": language})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response._has_been_logged = True  # logged above, without the statement
    return response
