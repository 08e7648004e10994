"""Every response carries the security headers, whoever produced it: a page, a redirect, the PDF, a static file,
the 404 and 500 pages, a CSRF failure, the admin. Pages holding someone's answers are never stored.

The requests run in this process under the production settings, read from the settings module started
with a production environment (see `production`), over HTTPS as the reverse proxy passes them on.
"""

import json
import subprocess
import sys

import pytest
from django.test import Client

from compliance_wizard.chambers.models import Chamber
from compliance_wizard.workspace.models import Consultant
from tests.appserver import ROOT, production_env
from tests.downloads import download
from tests.test_wizard_flow import KRAUSE
from tests.wizard import WizardRun

pytestmark = pytest.mark.django_db

SECURITY_SETTINGS = [
    "MIDDLEWARE",
    "CONTENT_SECURITY_POLICY",
    "X_FRAME_OPTIONS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_HTTPONLY",
    "LANGUAGE_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE",
    "LANGUAGE_COOKIE_SAMESITE",
]

POLICY = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
EMBEDDING_CHAMBER = "https://www.hwk-musterstadt.de"


def production_settings(**env: str) -> dict[str, object]:
    code = (
        "import json, sys; from django.conf import settings; "
        "print(json.dumps({name: getattr(settings, name) for name in sys.argv[1:]}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *SECURITY_SETTINGS],
        env=production_env("sqlite:///unused.sqlite3", "/nowhere", **env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def production_values():
    return production_settings()


@pytest.fixture
def production(settings, production_values):
    for name, value in production_values.items():
        setattr(settings, name, value)
    return settings


def browser(**kwargs) -> Client:
    # Over HTTPS, as the reverse proxy passes requests on; German pages.
    return Client(HTTP_ACCEPT_LANGUAGE="de", **kwargs)


def secure_get(client, path):
    return client.get(path, secure=True)


def wizard(client) -> WizardRun:
    run = WizardRun(client, "whatsapp-business")
    run.headers = {**run.headers, "secure": True}
    return run


def started(client) -> WizardRun:
    run = wizard(client)
    run.start()
    return run


def finished(client) -> WizardRun:
    run = started(client)
    run.answer_all(KRAUSE.answers)
    return run


def home(client):
    return secure_get(client, "/")


def check_start(client):
    return secure_get(client, "/check/whatsapp-business/")


def wizard_step(client):
    run = started(client)
    return secure_get(client, run.step_url(run.current_step()))


def start_redirect(client):
    return wizard(client).start()


def draft_redirect(client):
    return secure_get(client, f"/draft/{started(client).token}/")


def slash_redirect(client):
    return secure_get(client, "/barrierefreiheit")


def https_redirect(client):
    return client.get("/check/whatsapp-business/", secure=False)


def result(client):
    return secure_get(client, f"/result/{finished(client).token}/")


def pdf_waiting(client):
    return secure_get(client, f"/result/{finished(client).token}/report.pdf")


def pdf(client):
    return download(client, f"/result/{finished(client).token}/report.pdf", secure=True)


def not_found(client):
    return secure_get(client, "/no-such-page/")


def unknown_draft(client):
    return secure_get(client, "/draft/no-such-token/")


def unknown_chamber(client):
    # Answered by the chamber middleware itself, before any view.
    return secure_get(client, "/hwk/no-such-chamber/")


def server_error(client):
    return Client(raise_request_exception=False).get("/test-failure/", secure=True)


def csrf_failure(client):
    return Client(enforce_csrf_checks=True).post("/check/whatsapp-business/", {}, secure=True)


def admin_login(client):
    return secure_get(client, "/admin/login/")


def accounts_login(client):
    return secure_get(client, "/accounts/login/")


def workspace(client):
    client.force_login(Consultant.objects.get().user)
    return secure_get(client, "/workspace/")


def chamber_start(client):
    return secure_get(client, "/hwk/musterstadt/")


def chamber_stylesheet(client):
    return secure_get(client, "/hwk/musterstadt/brand/colour.css")


def static_file(client):
    return secure_get(client, "/static/css/site.css")


URL_KINDS = {
    "home": (home, 200),
    "check start": (check_start, 200),
    "wizard step": (wizard_step, 200),
    "redirect after starting": (start_redirect, 302),
    "redirect to the current step": (draft_redirect, 302),
    "redirect to the address with a slash": (slash_redirect, 301),
    "redirect to https": (https_redirect, 301),
    "result": (result, 200),
    "pdf being made": (pdf_waiting, 202),
    "pdf": (pdf, 200),
    "404": (not_found, 404),
    "404 for an unknown draft": (unknown_draft, 404),
    "404 for an unknown chamber": (unknown_chamber, 404),
    "500": (server_error, 500),
    "csrf failure": (csrf_failure, 403),
    "admin login": (admin_login, 200),
    "accounts login": (accounts_login, 200),
    "workspace": (workspace, 200),
    "chamber start page": (chamber_start, 200),
    "chamber stylesheet": (chamber_stylesheet, 200),
    "static file": (static_file, 200),
}
# Pages with a token in their address, someone's answers or a login form: a shared or back-button cache
# must not keep them.
NEVER_STORED = [
    "check start",
    "wizard step",
    "redirect after starting",
    "redirect to the current step",
    "result",
    "pdf being made",
    "pdf",
    "admin login",
    "accounts login",
    "workspace",
]


@pytest.fixture
def client_for(production, dana):
    Chamber.objects.create(slug="musterstadt", name="Handwerkskammer Musterstadt", brand_color="#0b5394")
    production.ROOT_URLCONF = "tests.browser.failing_urls"  # adds /test-failure/, which raises

    def request(kind: str):
        visit, status = URL_KINDS[kind]
        response = visit(browser())
        assert response.status_code == status, (kind, response.status_code)
        return response

    return request


def policy(response) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return {name: value for name, value in directives}


@pytest.mark.parametrize("kind", URL_KINDS)
def test_every_response_carries_the_security_headers(client_for, kind):
    response = client_for(kind)
    assert policy(response) == POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    if kind != "redirect to https":  # browsers take HSTS only from an HTTPS response
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.parametrize("kind", NEVER_STORED)
def test_pages_with_someones_answers_or_a_login_are_never_stored(client_for, kind):
    cache_control = {part.strip() for part in client_for(kind)["Cache-Control"].split(",")}
    assert {"no-store", "no-cache", "private"} <= cache_control


def test_the_policy_allows_nothing_from_other_hosts_and_no_inline_code():
    for value in POLICY.values():
        assert "unsafe" not in value and "http" not in value and "*" not in value


def test_the_templates_contain_no_inline_script_or_style():
    """The policy forbids them: one would silently stop working in every browser."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        if path.parts[-2] == "report":
            continue  # rendered by WeasyPrint into the PDF, never shown by a browser
        text = path.read_text(encoding="utf-8")
        for pattern in (" style=", "<style", " onclick=", " onload=", " onchange=", " onsubmit=", "javascript:"):
            if pattern in text:
                offenders.append(f"{path.relative_to(ROOT)}: {pattern.strip()}")
        for tag in text.split("<script")[1:]:
            if " src=" not in tag.split(">", 1)[0]:
                offenders.append(f"{path.relative_to(ROOT)}: inline <script>")
    assert offenders == []


def test_every_cookie_is_secure_httponly_and_lax(production, dana):
    client = browser()
    responses = [
        client.get("/check/whatsapp-business/", secure=True),
        client.post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True),
        client.post("/accounts/login/", {"username": dana.user.email, "password": "a-long-Passw0rd!"}, secure=True),
    ]
    assert responses[-1].status_code == 302  # logged in
    cookies = {name: morsel for response in responses for name, morsel in response.cookies.items()}
    assert {"csrftoken", "django_language", "sessionid"} <= set(cookies)
    for name, morsel in cookies.items():
        assert morsel["secure"] is True, name
        assert morsel["httponly"] is True, name
        assert morsel["samesite"] == "Lax", name


# -- a chamber that embeds the wizard in its own site ----------------------------------------------------------


@pytest.fixture
def embedding(settings):
    for name, value in production_settings(CSP_FRAME_ANCESTORS=EMBEDDING_CHAMBER).items():
        setattr(settings, name, value)


def test_a_chamber_named_in_csp_frame_ancestors_may_show_the_wizard_in_a_frame(embedding):
    response = browser().get("/check/whatsapp-business/", secure=True)
    assert policy(response)["frame-ancestors"] == EMBEDDING_CHAMBER
    # X-Frame-Options can only say DENY or SAMEORIGIN, either of which would block the chamber's site.
    assert "X-Frame-Options" not in response
    assert policy(response)["default-src"] == "'self'"


def test_without_csp_frame_ancestors_no_site_may_frame_the_wizard(production):
    response = browser().get("/check/whatsapp-business/", secure=True)
    assert policy(response)["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
