"""Every page of the check loads nothing from third parties and is usable with a screen reader."""

import re
from html.parser import HTMLParser

import pytest

from tests.test_wizard_flow import PAINTER
from tests.wizard import WizardRun

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def all(self, tag):
        return [attrs for t, attrs in self.tags if t == tag]


@pytest.fixture
def pages(client):
    run = WizardRun(client, "whatsapp-business")
    collected = {"home": client.get("/").content.decode()}
    collected["start"] = client.get("/check/whatsapp-business/").content.decode()
    run.start("Malerei Muster", "www.malerei-muster.de")
    for step in ("usage", "contracts"):
        collected[step] = run.open(step).content.decode()
        run.post(step, PAINTER)
    collected["error"] = run.post("devices", {}).content.decode()
    collected["result"] = run.answer_all(PAINTER).content.decode()
    collected["delete"] = client.get(f"/result/{run.token}/delete/").content.decode()
    return collected


def test_no_page_loads_anything_from_another_host(pages):
    for name, html in pages.items():
        page = Page(html)
        for tag, attr in (("link", "href"), ("script", "src"), ("img", "src"), ("iframe", "src")):
            for attrs in page.all(tag):
                url = attrs.get(attr) or ""
                assert not re.match(r"^(https?:)?//", url), f"{name}: {tag} {url}"
        assert "@import" not in html and "fonts.googleapis" not in html


def test_every_form_control_has_a_label(pages):
    for name, html in pages.items():
        page = Page(html)
        labelled = {attrs.get("for") for attrs in page.all("label")}
        for attrs in page.all("input"):
            if attrs.get("type") in ("hidden", "submit"):
                continue
            assert attrs.get("id") in labelled, f"{name}: input {attrs.get('name')} has no label"


def test_radio_groups_are_fieldsets_with_a_legend(pages):
    html = pages["usage"]
    assert html.count("<fieldset") == html.count("<legend>") >= 2


def test_errors_are_announced_and_tied_to_their_fields(pages):
    html = pages["error"]
    page = Page(html)
    assert any(a.get("role") == "alert" for a in page.all("div"))
    described = [a for a in page.all("input") if a.get("aria-invalid") == "true"]
    assert described
    for attrs in described:
        assert f'id="{attrs["aria-describedby"]}"' in html


def test_every_page_declares_its_language_and_a_skip_link(pages):
    for name, html in pages.items():
        assert re.search(r'<html lang="(de|en)">', html), name
        assert 'href="#main"' in html, name
        assert "<h1>" in html or "<h1 " in html, name
