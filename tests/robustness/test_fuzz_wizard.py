"""Whatever is posted to the check, it answers with a message, a refusal or a redirect, never a 500,
and the draft stays intact: the answers saved before are still there (or validly changed), the draft
points at a real step, and Malermeister Krause can still finish his check afterwards.

The posts come from Hypothesis: random and repeated keys, wrong types, 100 kB values, NUL bytes,
bytes that are not UTF-8, right-to-left overrides, emoji, and hostile values in the wizard's own
management field and in the back button's "wizard_goto_step". These tests run on SQLite and on
PostgreSQL, which refuses NUL in text and JSON.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.catalog import registry
from tests.robustness.hostile import (
    FORM,
    NASTY_TEXT,
    as_multidict,
    assert_answered,
    browser,
    form_data,
    raw_bodies,
    text_values,
    urlencoded,
)
from tests.test_wizard_flow import KRAUSE
from tests.wizard import WizardRun

pytestmark = pytest.mark.django_db

CHECKLIST = registry.get("whatsapp-business")
STEP_IDS = [step.id for step in CHECKLIST.steps]
OPTIONS = {q.id: set(q.option_ids) for step in CHECKLIST.steps for q in step.questions}
MANAGEMENT = "@management"  # stands for the draft's own management field, whose prefix comes with the token
# Every field name a step page knows, so that the hostile values reach the code that reads them.
FIELD_NAMES = [MANAGEMENT, "wizard_goto_step", "csrfmiddlewaretoken"] + [
    f"{step.id}-{q.id}" for step in CHECKLIST.steps for q in step.questions
]
TARGETS = st.sampled_from(["usage", "contracts", "devices", "content", "no-such-step", "x" * 120])


def krause_halfway() -> tuple[WizardRun, dict[str, str]]:
    """Malermeister Krause has answered the first two steps and is on "devices"."""
    cache.clear()  # every example starts a check from one address: the limit on new checks a minute would refuse
    run = WizardRun(browser(), "whatsapp-business")
    run.start("Malerei Krause", "www.malerei-krause.de")
    run.post("usage", KRAUSE.answers)
    run.post("contracts", KRAUSE.answers)
    saved = dict(run.assessment.answers)
    assert run.assessment.current_step == "devices" and saved
    return run, saved


def assert_draft_intact(run: WizardRun, before: dict[str, str], target: str) -> None:
    assessment = Assessment.objects.get(token=run.token)
    assert assessment.state == Assessment.State.DRAFT
    assert assessment.current_step in STEP_IDS
    for question, option in assessment.answers.items():
        assert question in OPTIONS and option in OPTIONS[question], (question, option)
    # A post may change only the answers of the step it was made on (the back button keeps that step's
    # choices as posted, complete or not); every other saved answer is still there.
    posted_step = {q.id for s in CHECKLIST.steps if s.id == target for q in s.questions}
    for question, option in before.items():
        if question not in posted_step:
            assert assessment.answers.get(question) == option, question


def finish(run: WizardRun) -> None:
    result = run.answer_all(KRAUSE.answers)
    assert result.status_code == 200
    assert Assessment.objects.get(token=run.token).state == Assessment.State.FINISHED


def with_management(run: WizardRun, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(f"{run.prefix}-current_step" if k == MANAGEMENT else k, v) for k, v in pairs]


@given(
    pairs=form_data(FIELD_NAMES),
    target=TARGETS,
    management=st.sampled_from([None, "own", "hostile"]),
    goto=st.one_of(st.none(), st.sampled_from(STEP_IDS), text_values),
)
@settings(max_examples=40)
def test_hostile_form_data_on_a_step_leaves_the_draft_intact_and_finishable(pairs, target, management, goto):
    run, before = krause_halfway()
    data = with_management(run, pairs)
    if management == "own":
        data.insert(0, (f"{run.prefix}-current_step", target))
    elif management == "hostile":
        data.append((f"{run.prefix}-current_step", "\x00" + target))
    if goto is not None:
        data.append(("wizard_goto_step", goto))
    response = run.client.post(run.step_url(target), as_multidict(data))
    assert_answered(response, f"POST {target}")
    assert_draft_intact(run, before, target)
    finish(run)


@given(pairs=form_data(FIELD_NAMES), target=TARGETS, goto=st.booleans())
def test_hostile_values_are_refused_even_when_encoded_by_hand(pairs, target, goto):
    # The test client would turn a NUL in a dict into an encoding it chooses; here the body is exactly ours.
    run, before = krause_halfway()
    data = [(f"{run.prefix}-current_step", target), *with_management(run, pairs)]
    if goto:
        data.append(("wizard_goto_step", "usage"))
    response = run.client.post(run.step_url(target), urlencoded(data), content_type=FORM)
    assert_answered(response, f"POST {target}")
    assert_draft_intact(run, before, target)


@given(body=raw_bodies(FIELD_NAMES), target=TARGETS, goto=st.booleans())
def test_a_body_that_is_not_utf8_is_answered_and_changes_nothing_invalid(body, target, goto):
    run, before = krause_halfway()
    head = f"{run.prefix}-current_step={target}&".encode()
    tail = b"&wizard_goto_step=usage" if goto else b""
    response = run.client.post(run.step_url(target), head + body + tail, content_type=FORM)
    assert_answered(response, f"POST {target}")
    assert_draft_intact(run, before, target)


@pytest.mark.parametrize("value", [v for v in NASTY_TEXT if v] + ["devices\x00", "usage/../content"])
def test_the_back_button_with_a_hostile_target_keeps_the_answers_and_the_way_forward(value):
    run, before = krause_halfway()
    for body in (
        urlencoded(
            [(f"{run.prefix}-current_step", "devices"), ("devices-company_devices", value), ("wizard_goto_step", value)]
        ),
        urlencoded([(f"{run.prefix}-current_step", value), ("wizard_goto_step", "usage")]),
    ):
        response = run.client.post(run.step_url("devices"), body, content_type=FORM)
        assert_answered(response, "back")
        assert_draft_intact(run, before, "devices")
    finish(run)


@given(pairs=form_data(["business_name", "website", "csrfmiddlewaretoken"]), raw=st.booleans())
def test_the_start_form_stores_only_clean_values(pairs, raw):
    client = browser()
    url = "/check/whatsapp-business/"
    if raw:
        response = client.post(url, urlencoded(pairs), content_type=FORM)
    else:
        response = client.post(url, as_multidict(pairs))
    assert_answered(response, "start")
    if response.status_code == 302:
        token = re.search(r"/draft/([^/]+)/", response["Location"])[1]
        assessment = Assessment.objects.get(token=token)
        assert "\x00" not in assessment.business_name and len(assessment.business_name) <= 200
        assert assessment.website == "" or assessment.website.startswith(("https://", "http://"))
        assert len(assessment.website) <= 300


@given(body=raw_bodies(["business_name", "website"]))
def test_the_start_form_answers_a_body_that_is_not_utf8(body):
    response = browser().post("/check/whatsapp-business/", body, content_type=FORM)
    assert_answered(response, "start")


@pytest.mark.parametrize("token", ["%00", "a%00b", "%E2%80%AE", "x" * 5000, "%FF%FE", "%ED%A0%80"])
def test_a_hostile_token_in_the_address_is_not_found(token):
    cache.clear()  # earlier wrong tokens from the test client's address would lock it out (429)
    client = browser()
    for path in (f"/draft/{token}/", f"/draft/{token}/usage/", f"/reminders/check/{token}/"):
        assert client.get(path).status_code == 404
        assert client.post(path, {"x": "y"}).status_code == 404
