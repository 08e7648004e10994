"""Every request asks which chamber its host name or /hwk/ prefix belongs to. The answer comes from an index
of all chambers in Django's cache instead of the database each time, and a chamber that is saved or deleted
is served as it is now, at once.

These tests run outside a test transaction (`transactional_db`), as requests do in production: inside
one, the middleware asks the database every time.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance_wizard.chambers.middleware import ChamberMiddleware, forget_chambers
from compliance_wizard.chambers.models import Chamber

HOST = "dsgvo.hwk-musterstadt.de"
NEW_HOST = "check.hwk-musterstadt.de"


@pytest.fixture
def musterstadt(transactional_db, settings):
    settings.ALLOWED_HOSTS = [HOST, NEW_HOST, "testserver"]
    forget_chambers()  # nothing remembered from an earlier test
    yield Chamber.objects.create(slug="musterstadt", host=HOST, name="Handwerkskammer Musterstadt")
    forget_chambers()


def chamber_queries(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "chambers_chamber" in q["sql"]]


def test_the_start_page_asks_for_the_chamber_once_and_then_remembers_it(client, musterstadt):
    with CaptureQueriesContext(connection) as first:
        assert "Handwerkskammer Musterstadt" in client.get("/", HTTP_HOST=HOST).content.decode()
    with CaptureQueriesContext(connection) as second:
        assert "Handwerkskammer Musterstadt" in client.get("/", HTTP_HOST=HOST).content.decode()
    assert len(chamber_queries(first)) == 1
    assert chamber_queries(second) == []


def test_a_site_without_a_chamber_is_remembered_too(client, musterstadt):
    client.get("/")
    with CaptureQueriesContext(connection) as again:
        assert "Handwerkskammer Musterstadt" not in client.get("/").content.decode()
    assert chamber_queries(again) == []


def test_a_chamber_that_moves_to_a_new_host_name_is_found_there_at_once(client, musterstadt):
    assert "Handwerkskammer Musterstadt" in client.get("/", HTTP_HOST=HOST).content.decode()
    assert "Handwerkskammer Musterstadt" not in client.get("/", HTTP_HOST=NEW_HOST).content.decode()

    musterstadt.host = NEW_HOST
    musterstadt.name = "HWK Musterstadt"
    musterstadt.save()

    assert "HWK Musterstadt" in client.get("/", HTTP_HOST=NEW_HOST).content.decode()
    assert "Musterstadt" not in client.get("/", HTTP_HOST=HOST).content.decode()


def test_a_deleted_chambers_site_is_gone_at_once(client, musterstadt):
    assert client.get("/hwk/musterstadt/").status_code == 200
    musterstadt.delete()
    assert client.get("/hwk/musterstadt/").status_code == 404
    assert "Musterstadt" not in client.get("/", HTTP_HOST=HOST).content.decode()


def test_a_form_that_changes_the_requests_chamber_does_not_change_the_next_requests(client, musterstadt, rf):
    seen = []

    def view(request):
        seen.append(request.chamber.name)
        request.chamber.name = "changed by an invalid form"  # as a ModelForm's _post_clean does
        return None

    middleware = ChamberMiddleware(view)
    middleware(rf.get("/", HTTP_HOST=HOST))
    middleware(rf.get("/", HTTP_HOST=HOST))
    assert seen == ["Handwerkskammer Musterstadt", "Handwerkskammer Musterstadt"]


def test_with_the_cache_down_the_database_answers_and_nothing_fails(client, musterstadt, monkeypatch, caplog):
    from compliance_wizard.chambers import middleware

    class Down:
        def get(self, *args, **kwargs):
            raise ConnectionError("Redis is unreachable")

        set = delete = get

    monkeypatch.setattr(middleware, "cache", Down())
    assert "Handwerkskammer Musterstadt" in client.get("/", HTTP_HOST=HOST).content.decode()
    assert client.get("/hwk/musterstadt/").status_code == 200
    assert "cache unavailable" in caplog.text
