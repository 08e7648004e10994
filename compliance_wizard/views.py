"""Site-wide error pages."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    # Most often an old tab or an expired cookie; the answers already given are safe in the draft.
    return render(request, "csrf_failure.html", status=403)
