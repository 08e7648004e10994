"""The check itself: a start page that creates a draft, then one page per step until the result.

The steps are django-formtools' NamedUrlWizardView: every step has its own URL (/draft/<token>/<step>/)
and every post redirects, so the back button and a reload show the saved answers instead of resubmitting
a form. The answers live in the draft row (storage.DraftStorage), the steps and their conditions come
from the rule files through the engine.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlWizardView

from compliance_wizard.assessments.address_limits import TOO_MANY_STARTS, draft_allowed
from compliance_wizard.assessments.models import Assessment
from compliance_wizard.assessments.services import (
    DraftDeleted,
    DraftMoved,
    IncompleteAnswers,
    assessment_submit,
    draft_start,
)
from compliance_wizard.catalog import registry
from compliance_wizard.engine import Checklist, visible_steps

from .forms import StartForm, StepForm, step_form
from .page import questions_html, radio_questions
from .storage import DRAFT_ATTRIBUTE, DraftStorage
from .update import checklist_changed, draft_gone, draft_is_ahead, redirect_to_draft, rules_behind, rules_for


@never_cache
def start(request: HttpRequest, checklist_id: str) -> HttpResponse:
    chamber = getattr(request, "chamber", None)
    checklist = registry.get_or_404(checklist_id)
    if chamber is not None and not chamber.offers(checklist.id):
        raise Http404("not offered by this chamber")
    lang = registry.language_for(checklist)
    form = StartForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if draft_allowed(request.META.get("REMOTE_ADDR", "")):
            data = form.cleaned_data
            assessment = draft_start(checklist, lang, data["business_name"], data["website"], chamber=chamber)
            return redirect("wizard:step", token=assessment.token, step=assessment.current_step)
        form.add_error(None, TOO_MANY_STARTS)
        status = 429
    context = {
        "checklist": checklist,
        "title": checklist.title.get(lang),
        "summary": checklist.summary.get(lang),
        "question_count": len(checklist.questions),
        "minutes": max(5, round(len(checklist.questions) * 0.4)),
        "form": form,
        "retention_draft_days": settings.RETENTION_DRAFT_DAYS,
        "retention_finished_days": settings.RETENTION_FINISHED_DAYS,
    }
    return render(request, "wizard/start.html", context, status=status)


@never_cache
def draft(request: HttpRequest, token: str, step: str | None = None) -> HttpResponse:
    """What has to be settled before the wizard: the draft exists here, is not finished, and its checklist
    is still offered in the version it was answered against."""
    try:
        assessment = Assessment.objects.get(token=token)
    except Assessment.DoesNotExist:
        raise Http404("no such check") from None
    if not assessment.visible_at(getattr(request, "chamber", None)):
        raise Http404("not on this site")
    if assessment.is_finished:
        messages.info(request, _("This check is already finished. Here is its result."))
        return redirect(assessment.result_url(request.user))
    try:
        checklist = registry.get(assessment.checklist_id)
    except KeyError:
        return render(request, "wizard/unavailable.html", status=410)
    if assessment.content_hash != checklist.content_hash:
        served = rules_for(assessment, checklist)
        if served is None:
            return render(request, "wizard/unavailable.html", status=410)
        checklist = served
        if draft_is_ahead(assessment, checklist):
            return rules_behind(request, assessment, checklist)
    if assessment.content_hash != checklist.content_hash:
        answered = checklist_changed(request, assessment, checklist)
        if answered is not None:
            return answered
    # formtools builds its storage from the request alone: this is how the storage finds the draft.
    setattr(request, DRAFT_ATTRIBUTE, assessment)
    return wizard_view(checklist)(request, token=token, step=step)


_views: dict[tuple[str, str], Callable[..., HttpResponse]] = {}


def wizard_view(checklist: Checklist) -> Callable[..., HttpResponse]:
    """One view per checklist content, built on first use: the forms come from the rule files."""
    key = (checklist.id, checklist.content_hash)
    if key not in _views:
        _views[key] = CheckWizard.as_view(
            form_list=[(step.id, step_form(checklist, step)) for step in checklist.steps],
            condition_dict={step.id: _shown(step.id) for step in checklist.steps},
            url_name="wizard:step",
        )
    return _views[key]


def _shown(step_id: str) -> Callable[[CheckWizard], bool]:
    return lambda wizard: step_id in wizard.visible_step_ids()


class CheckWizard(NamedUrlWizardView):
    template_name = "wizard/step.html"
    storage_name = "compliance_wizard.wizard.storage.DraftStorage"
    storage: DraftStorage

    def get_prefix(self, request, *args, **kwargs):
        return f"check-{kwargs['token'][:12]}"  # one prefix per draft: two tabs never mix

    def get_step_url(self, step: str) -> str:
        return reverse(self.url_name, kwargs={"token": self.kwargs["token"], "step": step})

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except DraftDeleted:  # between reading the draft and saving the step: by the retention job, or in a tab
            return draft_gone(request, self.storage.checklist)
        except DraftMoved:  # between reading and saving, a worker on other rules moved it: start from the draft
            messages.warning(
                request, _("The checklist was updated while you were answering. Please answer this step again.")
            )
            return redirect_to_draft(self.storage.assessment)

    # -- which steps come, and how far the user may go -----------------------------------------

    def _path(self) -> tuple[list[str], str]:
        """The steps that may still come ("don't know" assumed for what is not answered yet), and the first
        one with an open question; worked out once per state of the answers."""
        key = self.storage.answers_version
        if getattr(self, "_path_key", None) != key:
            shown = visible_steps(self.storage.checklist, self.storage.answers, assume_unknown=True)
            ids = [step.id for step, _questions in shown]
            open_steps = [
                step.id for step, questions in shown if any(q.id not in self.storage.answers for q in questions)
            ]
            self._path_cache = (ids, open_steps[0] if open_steps else ids[-1])
            self._path_key = key
        return self._path_cache

    def visible_step_ids(self) -> list[str]:
        return self._path()[0]

    def reachable(self, step: str | None) -> bool:
        visible, furthest = self._path()
        return step in visible and visible.index(step) <= visible.index(furthest)

    def back_to_current(self, message: str | None = None) -> HttpResponse:
        """To the step the user was on, or the furthest they may go if that one is gone."""
        if message:
            messages.warning(self.request, message)
        current = self.storage.current_step
        step = current if current is not None and self.reachable(current) else self._path()[1]
        self.storage.current_step = step
        return redirect(self.get_step_url(step))

    # -- requests: formtools' own flow, after the checks a tampered or stale request must fail -----

    def get(self, *args, **kwargs):
        step = kwargs.get("step")
        if step is None:  # the resume link
            return self.back_to_current()
        if step != self.done_step_name and not self.reachable(step):
            # A step not part of this check, or one whose earlier questions are not answered yet.
            known = step in self.visible_step_ids()
            return self.back_to_current(_("Please answer the questions of this step first.") if known else None)
        return super().get(*args, **kwargs)

    def post(self, *args, **kwargs):
        step = kwargs.get("step")
        if step not in self.visible_step_ids():
            return self.back_to_current(_("This step does not exist in your check. You are back where you were."))
        # formtools answers a missing management form with a 400 and follows a mismatched one to another step;
        # a post that does not match its own page changes nothing here, and says so.
        management = ManagementForm(self.request.POST, prefix=self.prefix)
        if not management.is_valid() or management.cleaned_data["current_step"] != step:
            self.storage.current_step = step
            return self.back_to_current(
                _("Your last entry could not be read, so nothing was changed. Please answer this step again.")
            )
        if not self.reachable(step):
            return self.back_to_current(_("Please answer the questions of this step first."))
        self.storage.current_step = step
        return super().post(*args, **kwargs)

    def render_goto_step(self, goto_step, **kwargs):
        # Back keeps what was chosen on this step, even if the step is not complete yet.
        self.storage.set_step_data(self.steps.current, self.request.POST)
        return super().render_goto_step(goto_step, **kwargs)

    def render_revalidation_failure(self, failed_step, form, **kwargs):
        messages.warning(self.request, _("Please check your answers on this step."))
        return super().render_revalidation_failure(failed_step, form, **kwargs)

    def done(self, form_list, **kwargs):
        answers: dict[str, str] = {}
        for form in form_list:
            answers.update(form.answers)
        try:
            assessment = assessment_submit(self.kwargs["token"], self.storage.checklist, answers)
        except IncompleteAnswers:
            return self.back_to_current(_("Some questions are still open. Please answer them first."))
        return redirect(assessment.result_url(self.request.user))

    # -- forms and page --------------------------------------------------------------------------

    def get_form_kwargs(self, step: str | None = None) -> dict[str, object]:
        step = step or self.steps.current
        visible = self.visible_step_ids()
        earlier = visible[: visible.index(step)] if step in visible else visible
        earlier_questions = {q.id for s in self.storage.checklist.steps if s.id in earlier for q in s.questions}
        return {
            "known": {k: v for k, v in self.storage.answers.items() if k in earlier_questions},
            # A chamber may offer its members fewer kinds of business (the middleware found it for this site).
            "chamber": getattr(self.request, "chamber", None),
        }

    def get_form_initial(self, step: str) -> dict[str, str]:
        return dict(self.storage.answers)

    def process_step(self, form: StepForm) -> dict[str, list[str]]:
        prefix = self.get_form_prefix(self.steps.current, form)
        return {f"{prefix}-{key}": [value] for key, value in form.answers.items()}

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        lang = registry.language_for(self.storage.checklist)
        step = next(s for s in self.storage.checklist.steps if s.id == self.steps.current)
        questions = form.page_questions()
        number, count = self.steps.step1, self.steps.count
        context.update(
            {
                "assessment": self.storage.assessment,
                "checklist_title": self.storage.checklist.title.get(lang),
                "step": {"title": step.title.get(lang), "intro": step.intro.get(lang) if step.intro else ""},
                "fields": [q["field"] for q in questions if not q["reveal"]],  # the ones asked now
                "questions_html": questions_html(radio_questions(questions)),
                "progress": {
                    "number": number,
                    "count": count,
                    "label": _("Step %(n)s of %(m)s") % {"n": number, "m": count},  # in the title and on the page
                    "next": self.steps.next,
                    "prev": self.steps.prev,
                },
                "resume_url": self.request.build_absolute_uri(
                    reverse("wizard:draft", kwargs={"token": self.storage.assessment.token})
                ),
            }
        )
        return context
