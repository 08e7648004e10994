"""Nothing the browser loads comes from another host: no fonts, scripts, images or styles of third parties.

Every browser test records the requests of every page it opens and fails on one to another host (see
the visits fixture in conftest.py); these tests make sure the recording sees what a page loads.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .pages import Mouse


def test_every_request_of_every_page_goes_to_the_app_itself(visits):
    page = visits.page()
    Mouse(page).start("Malerbetrieb Berger", "www.maler-berger.de")
    page.goto("/barrierefreiheit/")
    page.goto("/gibt-es-nicht/")

    asked = {urlsplit(url).path for _page, url in visits.requests}
    assert {"/", "/static/css/site.css", "/static/js/wizard.js", "/barrierefreiheit/"} <= asked
    assert visits.foreign_requests() == []


def test_a_request_to_another_host_would_be_caught(visits):
    page = visits.page()
    page.route("https://fonts.example/**", lambda route: route.abort())  # never leaves the machine
    page.goto("/")
    with page.expect_request("https://fonts.example/font.css"):
        page.evaluate("""() => document.head.insertAdjacentHTML("beforeend",
            '<link rel="stylesheet" href="https://fonts.example/font.css">')""")
    assert [url for _page, url in visits.foreign_requests()] == ["https://fonts.example/font.css"]
    visits.requests.clear()  # this test's own bait is not a finding
