"""A draft started on an earlier version of its checklist: say what the update means, then go on with it.

The draft keeps its version and hash until the user has read what changed and chosen to continue, so a
second look (or another tab) shows the same notice; answers the update does not touch are never lost.

The other way round, a draft on later rules than this worker's (moved on by a worker of a newer deploy, or
one started after the files changed), never goes back: this worker reads its files again if they changed
on disk, or else answers 503 so that the next try lands on a worker with the current rules.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.assessments.services import DraftDeleted, draft_adopt_checklist
from compliance_wizard.catalog import registry
from compliance_wizard.engine import Checklist, ChecklistUpdate, checklist_update
from compliance_wizard.engine.changelog import compare_versions

logger = logging.getLogger(__name__)

ADOPT_FIELD = "adopt_checklist"
# Long enough for a proxy to try another server or a restarted worker to come up, short enough for a person.
RULES_BEHIND_RETRY_SECONDS = 5
ANSWERS_STILL_APPLY = gettext_lazy(
    "The checklist has been updated to version %(version)s since you started. Your answers still apply."
)


def summary(update: ChecklistUpdate) -> str:
    """E.g. "The checklist has been updated since you started: 2 new questions, 1 question is no longer asked."."""
    parts = []
    if update.new_questions:
        n = len(update.new_questions)
        parts.append(ngettext("%(count)d new question", "%(count)d new questions", n) % {"count": n})
    if update.removed_questions:
        n = len(update.removed_questions)
        parts.append(
            ngettext("%(count)d question is no longer asked", "%(count)d questions are no longer asked", n)
            % {"count": n}
        )
    if update.withdrawn_answers:
        n = len(update.withdrawn_answers)
        parts.append(
            ngettext("%(count)d answer has to be given again", "%(count)d answers have to be given again", n)
            % {"count": n}
        )
    return _("The checklist has been updated since you started: %(changes)s.") % {"changes": ", ".join(parts)}


def checklist_changed(request: HttpRequest, assessment: Assessment, checklist: Checklist) -> HttpResponse | None:
    """The answer while the draft's content hash is not the checklist's; None: go on into the wizard."""
    update = checklist_update(checklist, assessment.answers or {}, assessment.outline or None)
    try:
        if not update.affects_answers:
            # Only the rules behind the questions changed: every answer still stands, nothing to decide.
            if draft_adopt_checklist(assessment, checklist, update):
                messages.info(request, ANSWERS_STILL_APPLY % {"version": checklist.version})
            return None if assessment.content_hash == checklist.content_hash else redirect_to_draft(assessment)
        if request.method == "POST" and request.POST.get(ADOPT_FIELD) == checklist.content_hash:
            draft_adopt_checklist(assessment, checklist, update)
            messages.info(request, _("Your answers were carried over to the updated checklist."))
            return redirect_to_draft(assessment)
    except DraftDeleted:
        return draft_gone(request, checklist)
    if request.method == "POST":
        # A step sent from a page of the old version: its questions may be gone. Show what changed first.
        return redirect_to_draft(assessment)
    lang = registry.language_for(checklist)
    context = {
        "assessment": assessment,
        "checklist": checklist,
        "checklist_title": checklist.title.get(lang),
        "summary": summary(update),
        "new_questions": [checklist.questions[q].text.get(lang) for q in update.new_questions],
        "withdrawn": [checklist.questions[q].text.get(lang) for q in update.withdrawn_answers],
        "adopt_field": ADOPT_FIELD,
    }
    return render(request, "wizard/checklist_changed.html", context)


def draft_gone(request: HttpRequest, checklist: Checklist) -> HttpResponse:
    """The draft was deleted while its user was answering (the retention job, or deleted in another tab)."""
    context = {"checklist_id": checklist.id, "retention_draft_days": settings.RETENTION_DRAFT_DAYS}
    return render(request, "wizard/deleted.html", context, status=410)


def redirect_to_draft(assessment: Assessment) -> HttpResponse:
    return redirect("wizard:draft", token=assessment.token)


def rules_for(assessment: Assessment, checklist: Checklist) -> Checklist | None:
    """The rules to serve a draft with: this worker's, read again from disk first if the draft is on a later
    version or on another content of the same version. None if the checklist is no longer offered.

    Same version, other hash: the version number is the only order two servers agree on, so neither content
    counts as the older one. The files are read again (one worker restarted after an edit that kept the
    version: then the disk holds what the draft has); if the draft's content is still not there, the usual
    update notice applies, which drops no answer without showing it and asking first.
    """
    if compare_versions(assessment.checklist_version, checklist.version) < 0:
        return checklist  # an older draft: the update notice moves it forward
    if registry.reload_if_changed():
        try:
            return registry.get(assessment.checklist_id)
        except KeyError:
            return None
    return checklist


def draft_is_ahead(assessment: Assessment, checklist: Checklist) -> bool:
    return compare_versions(assessment.checklist_version, checklist.version) > 0


def rules_behind(request: HttpRequest, assessment: Assessment, checklist: Checklist) -> HttpResponse:
    """503 "try again": this worker's rule files are older than the draft's, on disk too (a deploy under way)."""
    logger.warning(
        "draft on checklist %s %s, this worker has %s: answered 503",
        checklist.id,
        assessment.checklist_version,
        checklist.version,
    )
    response = render(request, "503.html", status=503)
    response["Retry-After"] = str(RULES_BEHIND_RETRY_SECONDS)
    return response
