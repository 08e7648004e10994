"""The database goes away while Malermeister Krause is in the middle of the check.

Promised: he gets a friendly "please try again in a moment" page (503 with Retry-After, in his language,
with the security headers of every page), not the error page; once the database is back, the very step he
sent posts fine and every answer he gave before is still there. The failure is real: on PostgreSQL a proxy
between Django and the server drops every connection and refuses new ones, on SQLite the database file
cannot be opened. Any other error still shows the plain 500 page.
"""

from __future__ import annotations

import logging
import socket
import threading

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import path

from compliance_wizard.urls import urlpatterns as app_urlpatterns
from tests.robustness.conftest import KRAUSE_BUSINESS
from tests.test_wizard_flow import KRAUSE
from tests.wizard import WizardRun

pytestmark = pytest.mark.django_db(transaction=True)

BUSINESS = KRAUSE_BUSINESS
TRY_AGAIN_DE = "Bitte versuchen Sie es gleich noch einmal"
TRY_AGAIN_EN = "Please try again in a moment"
NOT_LOST_DE = "Ihre bereits gespeicherten Antworten sind nicht verloren"


class DatabaseProxy:
    """A TCP relay in front of PostgreSQL that can be cut: open connections die, new ones are dropped at once."""

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.lock = threading.Lock()
        self.sockets: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return  # stopped
            with self.lock:
                if not self.up:
                    client.close()
                    continue
                server = socket.create_connection(self.upstream)
                self.sockets += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        for sock in (source, target):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self) -> None:
        with self.lock:
            self.up = False
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            self.sockets.clear()

    def restore(self) -> None:
        with self.lock:
            self.up = True

    def stop(self) -> None:
        self.cut()
        self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        self.thread.join(timeout=10)


class SqliteOutage:
    """The SQLite database cannot be opened: Django's connection is put aside and the name points nowhere."""

    def __init__(self, unreachable: str) -> None:
        self.unreachable = unreachable
        self.saved: tuple[object, str] | None = None

    def cut(self) -> None:
        # The test database lives in memory and would be gone with its connection: keep it, do not close it.
        self.saved = (connection.connection, connection.settings_dict["NAME"])
        connection.connection = None
        connection.settings_dict["NAME"] = self.unreachable

    def restore(self) -> None:
        assert self.saved is not None
        connection.connection, connection.settings_dict["NAME"] = self.saved
        self.saved = None


@pytest.fixture
def outage(tmp_path):
    """Something whose cut() takes the database away for real and whose restore() brings it back."""
    if connection.vendor == "sqlite":
        sqlite = SqliteOutage(str(tmp_path / "no-such-directory" / "db.sqlite3"))
        yield sqlite
        if sqlite.saved is not None:
            sqlite.restore()
        return
    settings_dict = connection.settings_dict
    original = settings_dict["HOST"], settings_dict["PORT"]
    proxy = DatabaseProxy(original[0] or "127.0.0.1", int(original[1] or 5432))
    connection.close()
    settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", str(proxy.port)
    try:
        yield proxy
    finally:
        connection.close()
        settings_dict["HOST"], settings_dict["PORT"] = original
        proxy.stop()


def next_request() -> None:
    # What the WSGI server does before every request (Django's test client leaves it out): drop a connection
    # that failed, so the next query opens a new one.
    close_old_connections()


def asked(run: WizardRun, step: str) -> dict[str, str]:
    from compliance_wizard.catalog import registry

    checklist = registry.get(run.checklist_id)
    questions = {q.id for s in checklist.steps if s.id == step for q in s.questions}
    return {key: value for key, value in run.assessment.answers.items() if key in questions}


def test_the_database_going_away_mid_check_asks_to_try_again_and_loses_nothing(krause, outage, caplog):
    before = dict(krause.assessment.answers)
    assert asked(krause, "usage") and asked(krause, "contracts")

    outage.cut()
    django_logs = logging.getLogger("django")  # it does not propagate to the root logger caplog listens on
    django_logs.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO):
            response = krause.post("devices", KRAUSE.answers)
    finally:
        django_logs.removeHandler(caplog.handler)
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert TRY_AGAIN_DE in body and NOT_LOST_DE in body
    assert '<html lang="de">' in body
    assert "Content-Security-Policy" in response and response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    # Logged once, and without the token or anything he typed.
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, [r.getMessage() for r in errors]
    assert krause.token not in errors[0].getMessage() and BUSINESS not in errors[0].getMessage()

    next_request()
    english = krause.client.get(krause.step_url("devices"), HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 503 and TRY_AGAIN_EN in english.content.decode()

    outage.restore()
    next_request()
    response = krause.post("devices", KRAUSE.answers)
    assert response.status_code == 302 and response["Location"].endswith("/information/")
    stored = krause.assessment.answers
    assert {key: stored[key] for key in before} == before
    assert asked(krause, "devices")
    assert krause.assessment.business_name == BUSINESS


def test_every_page_that_needs_the_database_answers_503_while_it_is_away(krause, outage):
    outage.cut()
    requests = [
        ("get", f"/draft/{krause.token}/", {}),
        ("get", krause.step_url("devices"), {}),
        ("post", "/check/whatsapp-business/", {"business_name": "Elektro Schmidt"}),  # a new check is a new row
    ]
    for method, address, data in requests:
        next_request()
        response = getattr(krause.client, method)(address, data)
        assert response.status_code == 503, address
        assert TRY_AGAIN_DE in response.content.decode()
    outage.restore()
    next_request()
    assert krause.client.get(krause.step_url("devices")).status_code == 200


def test_a_consultant_whose_session_cannot_be_read_gets_the_same_page(dana, outage):
    browser = Client(raise_request_exception=False)
    browser.force_login(dana.user)
    outage.cut()
    response = browser.get("/workspace/")  # the session, then the user: both live in the database
    assert response.status_code == 503
    assert TRY_AGAIN_DE in response.content.decode() and dana.display_name not in response.content.decode()
    outage.restore()
    next_request()
    assert browser.get("/workspace/").status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="cutting the database mid-request needs the proxy")
def test_the_database_going_away_while_the_step_is_saved_asks_to_try_again(krause, outage):
    before = dict(krause.assessment.answers)

    def cut_before_the_save(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("UPDATE"):
            outage.cut()  # the draft was read; now the line goes dead under the UPDATE
        return execute(sql, params, many, context)

    with connection.execute_wrapper(cut_before_the_save):
        response = krause.post("devices", KRAUSE.answers)
    assert response.status_code == 503
    assert TRY_AGAIN_DE in response.content.decode()

    outage.restore()
    next_request()
    assert krause.assessment.answers == before  # nothing half-saved
    assert krause.post("devices", KRAUSE.answers).status_code == 302
    assert asked(krause, "devices")


def fail(request):
    raise RuntimeError("a deliberate failure that has nothing to do with the database")


urlpatterns = [*app_urlpatterns, path("test-failure/", fail)]
handler500 = "compliance_wizard.views.server_error"


def test_any_other_error_still_shows_the_plain_error_page(settings):
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/test-failure/")
    assert response.status_code == 500
    assert "Es ist ein Fehler aufgetreten" in response.content.decode()
    assert "Retry-After" not in response
