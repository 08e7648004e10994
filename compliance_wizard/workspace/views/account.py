"""The consultant's own account settings: for now the language their mails are written in."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..access import consultant_required
from ..forms import AccountForm


@consultant_required
def account(request: HttpRequest) -> HttpResponse:
    form = AccountForm(request.POST or None, instance=request.consultant)
    if request.method == "POST" and form.is_valid():
        form.save()
        language = dict(form.fields["language"].choices)[form.instance.language]
        messages.success(request, _("Saved. Language of your e-mails: %(language)s.") % {"language": language})
        return redirect("workspace:account")
    status = 400 if request.method == "POST" else 200
    return render(request, "workspace/account.html", {"form": form}, status=status)
