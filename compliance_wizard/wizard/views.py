"""The check itself: a start page that creates a draft, then one page per step until the result.

Every step has its own URL (/draft/<token>/<step>/) and every successful post redirects, so the
browser's back button and a reload show the saved answers instead of resubmitting a form.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import StepsHelper, WizardView

from compliance_wizard.assessments import hotpath
from compliance_wizard.assessments.models import Assessment
from compliance_wizard.assessments.services import DraftDeleted, IncompleteAnswers, assessment_submit, draft_start
from compliance_wizard.catalog import registry
from compliance_wizard.engine import Checklist, visible_steps

from .forms import StartForm, StepForm, step_form
from .page import questions_html, radio_questions
from .storage import DraftStorage
from .update import checklist_changed, draft_gone


@never_cache
def start(request: HttpRequest, checklist_id: str) -> HttpResponse:
    chamber = getattr(request, "chamber", None)
    checklist = registry.get_or_404(checklist_id)
    if chamber is not None and not chamber.offers(checklist.id):
        raise Http404("not offered by this chamber")
    lang = registry.language_for(checklist)
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assessment = draft_start(checklist, lang, data["business_name"], data["website"], chamber=chamber)
        # Straight to the step the draft starts on; the resume link (wizard:draft) would only redirect there.
        return redirect("wizard:step", token=assessment.token, step=assessment.current_step)
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
    return render(request, "wizard/start.html", context)


@never_cache
def draft(request: HttpRequest, token: str, step: str | None = None) -> HttpResponse:
    assessment = _assessment_or_404(token)
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
        answered = checklist_changed(request, assessment, checklist)
        if answered is not None:
            return answered
    return _wizard_view(checklist)(request, assessment=assessment, step=step)


def _assessment_or_404(token: str) -> Assessment:
    found = hotpath.draft_by_token(token)
    if found is None:
        raise Http404("no such check")
    return found


_views: dict[tuple[str, str], object] = {}


def _wizard_view(checklist: Checklist):  # type: ignore[no-untyped-def]
    """One view per checklist content, built on first use: the forms come from the rule files."""
    key = (checklist.id, checklist.content_hash)
    if key not in _views:
        _views[key] = CheckWizard.as_view(
            form_list=[(step.id, step_form(checklist, step)) for step in checklist.steps],
            condition_dict={step.id: _condition(step.id) for step in checklist.steps},
            checklist=checklist,
        )
    return _views[key]


def _condition(step_id: str):  # type: ignore[no-untyped-def]
    return lambda wizard: step_id in wizard.visible_step_ids()


class CheckWizard(WizardView):
    template_name = "wizard/step.html"
    checklist: Checklist | None = None

    # -- state ---------------------------------------------------------------------------------

    def dispatch(self, request, *args, assessment: Assessment, step: str | None = None, **kwargs):
        self.assessment = assessment
        self.prefix = f"check-{assessment.token[:12]}"  # one prefix per assessment: tabs never mix
        self.storage = DraftStorage(self.prefix, request, assessment, self.checklist)
        self.steps = StepsHelper(self)
        self.url_step = step
        try:
            response = super(WizardView, self).dispatch(request, *args, **kwargs)
            self.storage.update_response(response)
        except DraftDeleted:  # between reading the draft and saving the step
            return draft_gone(request, self.checklist)
        return response

    def _path(self) -> tuple[list[str], str]:
        """The steps that may still come, and the first one with an open question (computed once per answers)."""
        answers = self.storage.answers
        key = (id(self.storage), self.storage.answers_version)
        if getattr(self, "_path_key", None) != key:
            shown = visible_steps(self.checklist, answers, assume_unknown=True)
            ids = [step.id for step, _questions in shown]
            open_steps = [step.id for step, questions in shown if any(q.id not in answers for q in questions)]
            self._path_cache = (ids, open_steps[0] if open_steps else ids[-1])
            self._path_key = key
        return self._path_cache

    def visible_step_ids(self) -> list[str]:
        return self._path()[0]

    def furthest_step(self) -> str:
        """The first step with an unanswered question: no step after it can be reached yet."""
        return self._path()[1]

    def reachable(self, step: str | None) -> bool:
        visible = self.visible_step_ids()
        return step in visible and visible.index(step) <= visible.index(self.furthest_step())

    def _forget_form_list(self) -> None:
        for attr in ("_resolved_form_list", "_cache_signature"):
            self.__dict__.pop(attr, None)

    def step_url(self, step: str) -> str:
        return reverse("wizard:step", kwargs={"token": self.assessment.token, "step": step})

    def redirect_to(self, step: str | None = None, message: str | None = None) -> HttpResponse:
        if message:
            messages.warning(self.request, message)
        if not self.reachable(step):
            current = self.storage.current_step
            step = current if self.reachable(current) else self.furthest_step()
        self.storage.current_step = step
        return redirect(self.step_url(step))

    # -- forms ---------------------------------------------------------------------------------

    def get_form_kwargs(self, step: str | None = None) -> dict:
        step = step or self.steps.current
        visible = self.visible_step_ids()
        earlier = visible[: visible.index(step)] if step in visible else visible
        earlier_questions = {q.id for s in self.checklist.steps if s.id in earlier for q in s.questions}
        return {
            "known": {k: v for k, v in self.storage.answers.items() if k in earlier_questions},
            # A chamber may offer its members fewer kinds of business (the middleware found it for this site).
            "chamber": getattr(self.request, "chamber", None),
        }

    def get_form_initial(self, step: str) -> dict:
        return dict(self.storage.answers)

    def process_step(self, form: StepForm) -> dict[str, list[str]]:
        prefix = self.get_form_prefix(self.steps.current, form)
        return {f"{prefix}-{key}": [value] for key, value in form.answers.items()}

    # -- requests ------------------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        if self.url_step is None or not self.reachable(self.url_step):
            if self.url_step is not None:
                messages.info(request, _("Please answer the questions of this step first."))
            return self.redirect_to(self.storage.current_step)
        self.storage.current_step = self.url_step
        return self.render(self.get_form())

    def post(self, *args, **kwargs):
        if self.url_step is None or self.url_step not in self.visible_step_ids():
            return self.redirect_to(message=_("This step does not exist in your check. You are back where you were."))

        management = ManagementForm(self.request.POST, prefix=self.prefix)
        if not management.is_valid() or management.cleaned_data["current_step"] != self.url_step:
            return self.redirect_to(
                self.url_step,
                _("Your last entry could not be read, so nothing was changed. Please answer this step again."),
            )
        if not self.reachable(self.url_step):
            return self.redirect_to(message=_("Please answer the questions of this step first."))
        self.storage.current_step = self.url_step

        back_to = self.request.POST.get("wizard_goto_step")
        if back_to:
            # Back keeps what was chosen on this step, even if the step is not complete yet.
            self.storage.set_step_data(self.url_step, self.request.POST)
            self._forget_form_list()
            return self.redirect_to(back_to)

        form = self.get_form(data=self.request.POST)
        if not form.is_valid():
            return self.render(form)
        self.storage.set_step_data(self.url_step, self.process_step(form))
        self._forget_form_list()
        if self.steps.current == self.steps.last:
            return self.render_done(form, **kwargs)
        return self.redirect_to(self.steps.next)

    def render_revalidation_failure(self, failed_step, form, **kwargs):
        return self.redirect_to(failed_step, _("Please check your answers on this step."))

    def done(self, form_list, **kwargs):
        answers: dict[str, str] = {}
        for form in form_list:
            answers.update(form.answers)
        try:
            assessment_submit(self.assessment.token, self.checklist, answers)
        except IncompleteAnswers:
            return self.redirect_to(message=_("Some questions are still open. Please answer them first."))
        self.storage.changed = False  # the answers now belong to the finished assessment
        return redirect(self.assessment.result_url(self.request.user))

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        # The same hidden input formtools' ManagementForm renders, without the four form templates it takes.
        name = f"{self.prefix}-current_step"
        context["wizard"]["management_form"] = format_html(
            '<input type="hidden" name="{}" value="{}" id="id_{}">', name, self.steps.current, name
        )
        lang = registry.language_for(self.checklist)
        step = next(s for s in self.checklist.steps if s.id == self.steps.current)
        questions = form.page_questions()
        number, count = self.steps.step1, self.steps.count
        context.update(
            {
                "assessment": self.assessment,
                "checklist_title": self.checklist.title.get(lang),
                "step": {"title": step.title.get(lang), "intro": step.intro.get(lang) if step.intro else ""},
                "fields": [q["field"] for q in questions if not q["reveal"]],  # the ones asked now
                "questions_html": questions_html(radio_questions(questions)),
                # Each of formtools' step properties walks the step conditions again: once here, not per use.
                "progress": {
                    "number": number,
                    "count": count,
                    "label": _("Step %(n)s of %(m)s") % {"n": number, "m": count},  # in the title and on the page
                    "next": self.steps.next,
                    "prev": self.steps.prev,
                },
                "resume_url": self.request.build_absolute_uri(
                    reverse("wizard:draft", kwargs={"token": self.assessment.token})
                ),
            }
        )
        return context
