"""Fifty business owners take the check at the same moment, each in their own browser.

Promised: every one of them finishes and gets exactly their own result: the answers stored for their check
are the ones they sent, their result page shows their business and their score, and nothing of another
session crosses over. The server is the production one (gunicorn with several worker processes, sharing
one PostgreSQL database); the fifty browsers are threads with their own cookies, released together.
"""

from __future__ import annotations

import hashlib
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.engine import load_checklist, score, visible_steps
from tests.appserver import AppServer, Visitor, collected_static, postgres_url, production_env
from tests.conftest import RULES

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent sessions need a database server: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/test",
)

SESSIONS = 50
CHECKLIST = load_checklist(RULES / "whatsapp-business")


def business(number: int) -> str:
    return f"Malerbetrieb Krause Filiale {number:02d}"


def answers_of(number: int) -> dict[str, str]:
    """Each session's own answer pattern: an option per question, picked by a hash of session and question."""
    return {
        question.id: question.option_ids[pick(f"{number}/{question.id}") % len(question.option_ids)]
        for question in CHECKLIST.questions.values()
    }


def pick(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")


def asked(answers: dict[str, str]) -> dict[str, str]:
    return {q.id: answers[q.id] for _step, questions in visible_steps(CHECKLIST, answers) for q in questions}


@pytest.fixture
def server(transactional_db, tmp_path):
    # Fifty owners, all from this machine's one address: the limit on new checks per address
    # (tests/test_address_limits.py) would turn most of them away.
    env = production_env(
        postgres_url(connection.settings_dict),
        collected_static(),
        WEB_CONCURRENCY="3",
        DRAFTS_PER_ADDRESS_PER_MINUTE="1000",
    )
    app = AppServer("app", env, tmp_path)
    try:
        yield app.start()
    finally:
        app.stop()
        connection.close()  # the flush after the test must not wait for this connection


def take_the_check(server: AppServer, number: int, go: threading.Barrier) -> tuple[str, str]:
    """One owner's whole check in their own browser; returns the token and the result page."""
    owner = Visitor()
    start = owner.get(server, "/check/whatsapp-business/")
    assert start.status == 200
    go.wait(timeout=120)  # everyone starts together
    begun = owner.post(
        server,
        "/check/whatsapp-business/",
        {"csrfmiddlewaretoken": start.csrf_token(), "business_name": business(number), "website": ""},
    )
    assert begun.status == 302, begun.text[:2000]
    token = re.fullmatch(r"/draft/([^/]+)/[^/]+/", begun.location).group(1)
    answers = answers_of(number)
    location, steps = begun.location, 0
    while not location.startswith("/result/"):
        page = owner.get(server, location)
        if page.status == 302:
            location = page.location
            continue
        assert page.status == 200, page.text[:2000]
        step = location.rstrip("/").rsplit("/", 1)[-1]
        steps += 1
        assert steps < 20, f"session {number} does not finish"
        form = {f"{step}-{question}": answer for question, answer in answers.items()}
        form.update({"csrfmiddlewaretoken": page.csrf_token(), f"check-{token[:12]}-current_step": step})
        sent = owner.post(server, location, form)
        assert sent.status == 302, (number, step, sent.status, sent.text[:2000])
        location = sent.location
    assert location == f"/result/{token}/"
    result = owner.get(server, location)
    assert result.status == 200
    return token, result.text


def test_fifty_owners_at_once_each_get_their_own_result(server):
    assert len({tuple(sorted(asked(answers_of(n)).items())) for n in range(SESSIONS)}) == SESSIONS  # all differ
    go = threading.Barrier(SESSIONS)
    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        futures = [pool.submit(take_the_check, server, number, go) for number in range(SESSIONS)]
        outcomes = [future.result(timeout=600) for future in futures]  # a hang fails instead of blocking CI

    assert len({token for token, _page in outcomes}) == SESSIONS
    for number, (token, page) in enumerate(outcomes):
        assessment = Assessment.objects.get(token=token)
        expected = asked(answers_of(number))
        assert assessment.is_finished
        assert assessment.business_name == business(number)
        assert assessment.answers == expected, f"session {number} got other answers"
        expected_score = score(CHECKLIST, expected).score
        assert assessment.score == expected_score
        assert business(number) in page
        assert f'<span class="score-number">{expected_score}</span>' in page
        others = [business(other) for other in range(SESSIONS) if other != number]
        assert not any(name in page for name in others), f"session {number} sees another business"
    assert Assessment.objects.count() == SESSIONS
    assert "Traceback" not in server.tail(400), server.tail(400)
