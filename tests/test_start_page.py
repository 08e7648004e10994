"""The start page lists the loaded checklists, German first."""

import pytest


@pytest.mark.django_db
def test_start_page_lists_the_checklists_in_german(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="de">' in body
    assert "WhatsApp im Betrieb: DSGVO-Check" in body
    assert "Version 1.2.0" in body
    assert "Verfügbare Checks" in body  # the interface itself is translated


@pytest.mark.django_db
def test_start_page_in_english(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "WhatsApp in your business: GDPR check" in body


@pytest.mark.django_db
def test_start_page_loads_nothing_from_third_parties(client):
    body = client.get("/").content.decode()
    assert "http://" not in body and "https://" not in body
