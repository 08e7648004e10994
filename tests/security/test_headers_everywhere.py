"""The security headers of tests/test_security_headers.py are on the response of every URL the project has.

The URLs come from the resolver (tests/security/urls.py): a new URL is requested here the moment it exists.
Each is opened on the main site and on a chamber's site by someone with every role, with the arguments of
real objects where there are some (Malermeister Krause's finished check, Dana's client and her check, the
Handwerkskammer Musterstadt), so most answer with their real page, the PDFs included. Then the answers that
come from no view: an unknown address (404), a failing view (500) and the token throttle's 429.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from compliance_wizard.accounts import throttle
from compliance_wizard.assessments.services import assessment_submit, draft_start
from compliance_wizard.chambers.models import Chamber, ChamberStaff
from compliance_wizard.engine.conditions import as_option_id
from compliance_wizard.workspace.models import Consultant
from tests import test_security_headers as headers
from tests.security.urls import CHAMBER_SITE, SAMPLES, Url, every_url
from tests.test_wizard_flow import KRAUSE
from tests.workspace import add_client, finished_check, neglected_answers

pytestmark = pytest.mark.django_db

URLS = list(every_url())
POLICY, policy = headers.POLICY, headers.policy
# The production settings, as tests/test_security_headers.py reads them from a production environment.
production_values, production = headers.production_values, headers.production


@pytest.fixture(autouse=True)
def fresh_counters(monkeypatch):
    monkeypatch.setattr(throttle, "now", lambda: 1_800_000_000.0)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(production, whatsapp):
    """Real objects for the URL arguments, and one account with every role."""
    chamber = Chamber.objects.create(slug="musterstadt", name="Handwerkskammer Musterstadt", brand_color="#0b5394")
    user = get_user_model().objects.create_superuser("alle@example.org", "alle@example.org", "a-long-Passw0rd!")
    consultant = Consultant.objects.create(user=user, display_name="Datenschutz Alle")
    ChamberStaff.objects.create(chamber=chamber, user=user)
    client = add_client(consultant)
    check = finished_check(client, neglected_answers())
    krause = draft_start(whatsapp, "de", "Malerbetrieb Krause")
    krause = assessment_submit(krause.token, whatsapp, {k: as_option_id(v) for k, v in KRAUSE.answers.items()})
    return {"user": user, "token": krause.token, "client_pk": str(client.pk), "check_pk": str(check.pk)}


def samples_for(url: Url, world) -> dict[str, str]:
    pk = world["check_pk"] if "checks/" in url.route else world["client_pk"]
    return {**SAMPLES, "token": world["token"], "pk": pk}


def assert_security_headers(response, what) -> None:
    assert policy(response) == POLICY, what
    assert response["X-Frame-Options"] == "DENY", what
    assert response["X-Content-Type-Options"] == "nosniff", what
    assert response["Referrer-Policy"] == "same-origin", what
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", what
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains", what


def test_every_url_answers_with_the_security_headers(world):
    # Both sites in one test: the second asks for the PDFs the first had rendered, and gets them from the database.
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    client.force_login(world["user"])
    statuses = {}
    for site in ("", CHAMBER_SITE):
        for url in URLS:
            path = url.path(samples_for(url, world), site=site)
            response = client.get(path, secure=True)
            statuses[path] = response.status_code
            assert response.status_code < 500, (path, response.status_code)
            assert_security_headers(response, path)
    # The samples reach real pages, not just a wall of 404s: the result, both PDFs (a first click gets the page
    # saying the report is being made), the workspace, the admin.
    reached = {"assessments:result": 200, "assessments:report": 202, "workspace:assessment_report": 202}
    for name, status in {**reached, "admin:index": 200}.items():
        url = next(url for url in URLS if url.name == name)
        assert statuses[url.path(samples_for(url, world))] == status, name


def test_an_unknown_address_a_failing_view_and_the_throttle_answer_with_the_security_headers(world, settings):
    settings.ROOT_URLCONF = "tests.browser.failing_urls"
    assert_security_headers(Client().get("/no-such-page/", secure=True), "404")
    assert_security_headers(Client().get(f"{CHAMBER_SITE}/no-such-page/", secure=True), "404 on a chamber site")
    failed = Client(raise_request_exception=False).get("/test-failure/", secure=True)
    assert failed.status_code == 500
    assert_security_headers(failed, "500")

    settings.TOKEN_FAILURE_LIMIT = 1
    scanner = Client(REMOTE_ADDR="203.0.113.66")
    assert scanner.get(f"/result/{'x' * 43}/", secure=True).status_code == 404
    throttled = scanner.get(f"/result/{world['token']}/", secure=True)
    assert throttled.status_code == 429
    assert_security_headers(throttled, "429")
