"""Running the check as a public service: production settings that fail loudly, Django's deployment check,
gunicorn with hashed and compressed static files, secure cookies, HTTPS only, and the client's address
behind the reverse proxy."""

import datetime
import io
import os
import re
import subprocess
import sys
import uuid

import pypdf
import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.test import Client, RequestFactory

from compliance_wizard.engine import check_answers, score
from compliance_wizard.report.pdf import render_pdf
from compliance_wizard.security import ClientAddressMiddleware
from deploy import serve
from tests.appserver import ROOT, SITE, AppServer, Visitor, collected_static, manage, production_env
from tests.cases import CASES

SQLITE_UNUSED = "sqlite:///unused.sqlite3"  # settings and checks never open it


def load_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Import the settings the way a starting app server does; prints nothing when they load."""
    code = "from django.conf import settings; settings.SECRET_KEY"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )


def without(env: dict[str, str], name: str) -> dict[str, str]:
    return {k: v for k, v in env.items() if k != name}


# -- the deployment check -----------------------------------------------------------------------------------


def test_djangos_deployment_check_passes_with_production_settings(tmp_path):
    done = manage(production_env(SQLITE_UNUSED, tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_without_the_production_switch_the_same_check_fails(tmp_path):
    """Development settings are what the check is there to catch: this proves it looks."""
    env = without(production_env(SQLITE_UNUSED, tmp_path), "PRODUCTION")
    done = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr
    # Mail printed to the console, and links in mails without a public address to point at.
    env = {k: v for k, v in env.items() if k not in ("EMAIL_HOST", "SITE_URL")}
    done = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert "accounts.W001" in done.stderr and "accounts.W002" in done.stderr


def test_a_chamber_embedding_the_wizard_still_passes_the_deployment_check(tmp_path):
    env = production_env(SQLITE_UNUSED, tmp_path, CSP_FRAME_ANCESTORS="https://www.hwk-musterstadt.de")
    done = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr


def example_env() -> dict[str, str]:
    """deploy/production.env.example as systemd's EnvironmentFile= reads it."""
    lines = (ROOT / "deploy" / "production.env.example").read_text(encoding="utf-8").splitlines()
    pairs = (line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))
    return {name.strip(): value.strip() for name, value in pairs}


def test_the_example_environment_file_passes_the_deployment_check_once_its_secret_is_filled_in(tmp_path):
    example = example_env()
    base = {k: v for k, v in production_env(SQLITE_UNUSED, tmp_path).items() if k not in example}
    refused = load_settings({**base, **example})
    assert "SECRET_KEY must be set in production" in refused.stderr
    filled_in = {**base, **example, "SECRET_KEY": serve.production_env({})[0]["SECRET_KEY"]}
    filled_in["DATABASE_URL"] = SQLITE_UNUSED  # the example's server does not exist here; the check does not connect
    done = manage(filled_in, "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_cron_example_runs_the_retention_reminder_notice_and_session_commands_that_exist():
    from django.core.management import get_commands

    lines = [line for line in (ROOT / "deploy" / "crontab.example").read_text().splitlines() if line[:1].isdigit()]
    commands = [line.rsplit("manage.py ", 1)[1].split()[0] for line in lines]
    assert commands == ["purge_assessments", "send_reminders", "send_change_notices", "clearsessions"]
    assert set(commands) <= set(get_commands())


# -- fail loudly ---------------------------------------------------------------------------------------------


def test_development_and_the_tests_need_no_environment_at_all():
    unset = ("PRODUCTION", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")
    env = {k: v for k, v in production_env(SQLITE_UNUSED, "/nowhere").items() if k not in unset}
    done = load_settings(env)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("name", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SITE_URL", "EMAIL_HOST"])
def test_production_refuses_to_start_without_a_value_that_has_no_safe_default(name):
    done = load_settings(without(production_env(SQLITE_UNUSED, "/nowhere"), name))
    assert done.returncode != 0
    assert f"ImproperlyConfigured: {name} must be set in production" in done.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SECRET_KEY", "too-short-to-be-secret", "SECRET_KEY must be at least 50 characters long"),
        ("DEBUG", "1", "DEBUG must be off when PRODUCTION is set"),
        ("PRODUCTION", "maybe", "PRODUCTION must be one of"),
        ("SECURE_HSTS_SECONDS", "a year", "SECURE_HSTS_SECONDS must be a whole number"),
        ("CSP_FRAME_ANCESTORS", "*", "CSP_FRAME_ANCESTORS: '*' is not an origin"),
        # A ";" would start a directive of its own in the header: the value is refused, not passed on.
        ("CSP_FRAME_ANCESTORS", "https://hwk.example; script-src *", "is not an origin"),
        ("CSP_FRAME_ANCESTORS", "https://hwk.example/wizard", "is not an origin"),
        ("SITE_URL", "dsgvo-check.example.org", "SITE_URL must be an https:// address"),
        ("SITE_URL", "http://dsgvo-check.example.org/", "SITE_URL must be an https:// address"),
        ("EMAIL_DISABLED", "perhaps", "EMAIL_DISABLED must be one of"),
    ],
)
def test_a_wrong_value_stops_the_start_with_a_message_naming_the_variable(variable, value, message):
    done = load_settings(production_env(SQLITE_UNUSED, "/nowhere", **{variable: value}))
    assert done.returncode != 0
    assert message in done.stderr


def test_production_without_mail_starts_only_when_mail_is_switched_off_and_the_check_says_so(tmp_path):
    """No mail server and no EMAIL_DISABLED: refused (reset and invitation links would go to the log). With
    EMAIL_DISABLED=1 no mail is sent at all, and the deployment check reminds of what that switches off."""
    env = {**without(production_env(SQLITE_UNUSED, tmp_path), "EMAIL_HOST"), "EMAIL_DISABLED": "1"}
    assert load_settings(env).returncode == 0
    done = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "accounts.I001" in done.stdout + done.stderr
    backend = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    printed = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {backend}"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert printed.stdout.strip() == "django.core.mail.backends.dummy.EmailBackend"


# -- make serve ----------------------------------------------------------------------------------------------


def test_serve_makes_up_a_throwaway_secret_key_only_when_none_is_set_and_says_so():
    env, warnings = serve.production_env({})
    assert env["PRODUCTION"] == "1"
    assert len(env["SECRET_KEY"]) >= 50
    assert env["DATABASE_URL"] == "postgres://postgres@127.0.0.1:5432/compliance_wizard"
    assert "SECRET_KEY is not set" in warnings[0]

    mine = "k" * 10 + "e" * 10 + "y" * 10 + "s" * 10 + "!" * 10
    env, warnings = serve.production_env(
        {"SECRET_KEY": mine, "DATABASE_URL": "postgres://db.internal/cw", "EMAIL_HOST": "smtp.example"}
    )
    assert env["SECRET_KEY"] == mine and env["DATABASE_URL"] == "postgres://db.internal/cw"
    assert warnings == []


def test_serve_switches_mail_off_when_no_mail_server_is_set_and_says_so():
    env, warnings = serve.production_env({"SECRET_KEY": "s" * 50})
    assert env["EMAIL_DISABLED"] == "1" and env["SITE_URL"] == "https://localhost/"
    assert len(warnings) == 1 and "EMAIL_HOST is not set" in warnings[0]
    assert load_settings({**os.environ, **env, "DATABASE_URL": SQLITE_UNUSED}).returncode == 0


@pytest.mark.django_db
def test_serve_creates_the_postgresql_database_once():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (CI runs the suite on it too: DATABASE_URL=postgres://…/test)")
    import psycopg

    from tests.appserver import postgres_url

    name = f"cw_serve_{uuid.uuid4().hex[:8]}"
    url = postgres_url({**connection.settings_dict, "NAME": name})
    try:
        assert serve.ensure_database(url) is True
        assert serve.ensure_database(url) is False
    finally:
        with psycopg.connect(postgres_url({**connection.settings_dict, "NAME": "postgres"}), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_serve_leaves_other_databases_alone():
    assert serve.ensure_database("sqlite:///somewhere.sqlite3") is False


# -- the production server -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn with deploy/gunicorn.conf.py and production settings, on a migrated SQLite file."""
    workdir = tmp_path_factory.mktemp("production")
    env = production_env(f"sqlite:///{workdir / 'db.sqlite3'}", collected_static())
    migrated = manage(env, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    app = AppServer("production", env, workdir).start()
    yield app
    app.stop()


def test_plain_http_is_redirected_to_https(server):
    response = Visitor().get(server, "/check/whatsapp-business/", https=False)
    assert response.status == 301
    assert response.location == f"https://{SITE}/check/whatsapp-business/"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_over_https_the_browser_is_told_to_stay_on_https_for_a_year(server):
    response = Visitor().get(server, "/")
    assert response.status == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_every_cookie_is_secure_httponly_and_samesite(server):
    visitor = Visitor()
    start = visitor.get(server, "/check/whatsapp-business/")
    begun = visitor.post(server, "/check/whatsapp-business/", {"csrfmiddlewaretoken": start.csrf_token()})
    assert begun.status == 302
    step = visitor.get(server, visitor.get(server, begun.location).location)
    switched = visitor.post(server, "/i18n/setlang/", {"csrfmiddlewaretoken": step.csrf_token(), "language": "en"})
    assert switched.status == 302
    names = {header.split("=", 1)[0] for header in visitor.set_cookies}
    assert {"csrftoken", "django_language"} <= names
    for header in visitor.set_cookies:
        attributes = {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}
        assert {"secure", "httponly", "samesite"} <= attributes, header
        assert "samesite=lax" in header.lower()


def test_static_files_have_hashed_names_are_compressed_and_cached_for_ever(server):
    page = Visitor().get(server, "/").text
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page links the stylesheet under its hashed name"
    visitor = Visitor()
    response = visitor.request(server, "GET", stylesheet.group(1))
    assert response.status == 200
    assert "max-age=315360000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_static_files_are_sent_compressed_to_browsers_that_accept_it(server):
    page = Visitor().get(server, "/").text
    path = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page).group(1)
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", path, headers={"Host": SITE, "X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert body[:2] == b"\x1f\x8b"


def test_an_unknown_page_is_a_404_with_the_same_headers(server):
    response = Visitor().get(server, "/no-such-page/")
    assert response.status == 404
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Strict-Transport-Security"]


def test_the_server_writes_no_tracebacks(server):
    assert "Traceback" not in server.tail(400)


# -- the report under hashed static names ---------------------------------------------------------------------


def test_the_report_finds_its_stylesheet_and_fonts_under_their_hashed_names(settings, whatsapp):
    settings.STATIC_ROOT = collected_static()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    assert re.fullmatch(r"/static/report/report\.[0-9a-f]{12}\.css", staticfiles_storage.url("report/report.css"))
    assert re.fullmatch(r"/static/fonts/DejaVuSans\.[0-9a-f]{12}\.ttf", staticfiles_storage.url("fonts/DejaVuSans.ttf"))
    krause = next(case for case in CASES if case.name.startswith("Malermeister Krause"))
    data = score(whatsapp, check_answers(whatsapp, krause.answers).answers).to_dict("de", "Malermeister Krause")
    # The renderer stops on any file it cannot load (fail_on_errors): that it finishes is the first proof.
    _, _, content = render_pdf(data, generated_on=datetime.date(2026, 11, 23))
    reader = pypdf.PdfReader(io.BytesIO(content))
    fonts = {
        str(font["/BaseFont"]).split("+", 1)[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all(name.startswith("Report-Sans") for name in fonts), fonts
    assert "Malermeister Krause" in reader.pages[0].extract_text()


# -- behind the reverse proxy ----------------------------------------------------------------------------------


def address_seen(remote: str, forwarded: str | None = None, proxies=("127.0.0.1", "::1")) -> str:
    from django.test import override_settings

    with override_settings(TRUSTED_PROXIES=list(proxies)):
        middleware = ClientAddressMiddleware(lambda request: request.META["REMOTE_ADDR"])
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return middleware(RequestFactory().get("/", **extra))


def test_behind_the_proxy_the_client_address_comes_from_x_forwarded_for():
    assert address_seen("127.0.0.1", "203.0.113.7") == "203.0.113.7"


def test_addresses_a_client_wrote_into_x_forwarded_for_itself_are_ignored():
    # The proxy appends the address it saw; whatever stands left of it came from the client.
    assert address_seen("127.0.0.1", "198.51.100.99, 203.0.113.7") == "203.0.113.7"


def test_a_chain_of_trusted_proxies_is_walked_back_to_the_client():
    assert address_seen("10.0.0.6", "203.0.113.7, 10.0.0.5", proxies=["10.0.0.0/24"]) == "203.0.113.7"


def test_a_request_that_did_not_come_through_a_trusted_proxy_keeps_its_own_address():
    assert address_seen("198.51.100.2", "203.0.113.7") == "198.51.100.2"


def test_garbage_in_x_forwarded_for_leaves_the_proxy_address():
    assert address_seen("127.0.0.1", "unknown") == "127.0.0.1"
    assert address_seen("127.0.0.1", "") == "127.0.0.1"


@pytest.mark.django_db
def test_one_guesser_behind_the_proxy_does_not_lock_everybody_else_out(settings):
    """Every request reaches the app from the proxy's address; the throttle must still tell people apart."""
    from django.contrib.auth import get_user_model

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 3
    cache.clear()
    get_user_model().objects.create_user("dana@dsb-schulz.example", "dana@dsb-schulz.example", "Lindenblüte-im-Mai-47")

    def via_proxy(client_address: str) -> Client:
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=client_address, HTTP_ACCEPT_LANGUAGE="en")

    guesser = via_proxy("198.51.100.7")
    for name in ("a@example.de", "b@example.de", "c@example.de"):
        guesser.post("/accounts/login/", {"username": name, "password": "Sommer2024"})
    locked = guesser.post("/accounts/login/", {"username": "x@example.de", "password": "Sommer2024"})
    assert locked.status_code == 429
    dana = via_proxy("203.0.113.9").post(
        "/accounts/login/", {"username": "dana@dsb-schulz.example", "password": "Lindenblüte-im-Mai-47"}
    )
    assert dana.status_code == 302
    cache.clear()
