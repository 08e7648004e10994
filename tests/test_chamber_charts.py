"""The dashboard's charts: SVG drawn on the server from the protected figures, readable without colour
and without sight, and never showing a figure that the table hides."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format

from compliance_wizard.branding.colors import contrast_ratio
from compliance_wizard.chambers import charts
from compliance_wizard.chambers.models import Chamber, ChamberStaff, CheckStatistic
from compliance_wizard.chambers.statistics import K
from compliance_wizard.chambers.views import next_month

SVG = "{http://www.w3.org/2000/svg}"
LAST_YEAR = date.today().year - 1


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def rects(svg: ET.Element) -> list[ET.Element]:
    return svg.findall(f"{SVG}rect")


def texts(svg: ET.Element) -> list[str]:
    return [t.text or "" for t in svg.findall(f"{SVG}text")]


def chart(*bars: charts.Bar) -> charts.Chart:
    return charts.Chart("c", "Ergebnisse", "Ergebnisse: grün 12, gelb weniger als 5", bars)


# -- the drawing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("draw", [charts.bar_rows, charts.bar_columns])
def test_a_hidden_figure_gets_no_bar_only_its_note(draw):
    svg = parse(draw(chart(charts.Bar("grün", 12, "12"), charts.Bar("gelb", None, "weniger als 5"))))
    assert len(rects(svg)) == 1
    assert "weniger als 5" in texts(svg) and "12" in texts(svg)


def test_bars_are_as_long_as_their_share_of_the_given_maximum():
    svg = parse(charts.bar_rows(chart(charts.Bar("a", 30, "30"), charts.Bar("b", 15, "15")), maximum=60))
    long, short = (float(r.get("width")) for r in rects(svg))
    assert long == pytest.approx(2 * short, abs=1)
    assert long < charts.WIDTH / 2 + 1  # half of all checks: half of the room, not the full width


def test_columns_grow_with_their_value():
    svg = parse(charts.bar_columns(chart(charts.Bar("Jan", 5, "5"), charts.Bar("Feb", 20, "20"))))
    heights = [float(r.get("height")) for r in rects(svg)]
    assert heights[1] == pytest.approx(4 * heights[0], abs=1)


@pytest.mark.parametrize("draw", [charts.bar_rows, charts.bar_columns])
def test_the_chart_is_an_image_named_by_its_title_and_description(draw):
    svg = parse(draw(chart(charts.Bar("grün", 12, "12"))))
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == title_id and svg.find(f"{SVG}title").text == "Ergebnisse"
    assert svg.find(f"{SVG}desc").get("id") == desc_id and "gelb weniger als 5" in svg.find(f"{SVG}desc").text


def test_labels_are_escaped_and_long_ones_shortened():
    markup = charts.bar_rows(
        charts.Chart('x"><script>', "<b>", "&", (charts.Bar("<script>alert(1)</script>" + "x" * 80, 5, "5"),))
    )
    svg = parse(markup)  # would not parse if anything came through unescaped
    assert "<script" not in markup
    label = texts(svg)[0]
    assert label.startswith("<script>") and label.endswith("…") and len(label) == charts.LABEL_CHARS


def test_every_fill_stands_out_from_the_page_by_at_least_3_to_1():
    for fill in [charts.BAR, *charts.BAND_FILLS.values()]:
        assert contrast_ratio(fill, charts.BACKGROUND) >= 3, fill
    assert contrast_ratio(charts.TEXT, charts.BACKGROUND) >= 4.5


def test_each_band_has_a_symbol_of_its_own_so_colour_is_not_the_only_cue():
    assert len(set(charts.BAND_SYMBOLS.values())) == len(charts.BAND_FILLS) == 3


# -- on the dashboard ----------------------------------------------------------------------------------


@pytest.fixture
def clara(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    chamber = Chamber.objects.create(slug="musterstadt", name="Handwerkskammer Musterstadt")
    user = get_user_model().objects.create_user("clara@hwk.example", "clara@hwk.example", "a-long-Passw0rd!")
    ChamberStaff.objects.create(chamber=chamber, user=user)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client, chamber


def record(chamber, month: int, n: int, band: str, gaps=(), year: int = LAST_YEAR) -> None:
    CheckStatistic.objects.bulk_create(
        CheckStatistic(
            chamber=chamber, checklist_id="whatsapp-business", month=date(year, month, 1), band=band, gaps=list(gaps)
        )
        for _ in range(n)
    )


def svgs(html: str) -> dict[str, ET.Element]:
    found = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    parsed = [parse(markup) for markup in found]
    return {svg.find(f"{SVG}title").text: svg for svg in parsed}


def test_the_dashboard_draws_three_charts_without_the_hidden_figures(clara):
    client, chamber = clara
    record(chamber, 3, 20, "green", gaps=("avv-whatsapp",))
    record(chamber, 4, 10, "amber", gaps=("avv-whatsapp", "cloud-backup"))
    record(chamber, 5, K - 1, "red", gaps=("cloud-backup",))
    html = client.get(f"/chambers/musterstadt/?year={LAST_YEAR}").content.decode()
    found = svgs(html)
    assert set(found) == {"Results by band", "Checks completed per month", "The most frequent gaps"}

    # Red is fewer than K, so green (the largest) is hidden with it: only amber is drawn.
    bands = found["Results by band"]
    assert len(rects(bands)) == 1
    assert "fewer than 5" in " ".join(texts(bands)) and "hidden" in texts(bands)
    assert str(K - 1) not in texts(bands) and "20" not in " ".join(texts(bands))

    months = found["Checks completed per month"]
    assert len(rects(months)) == 1  # April's 10; March hidden, May fewer than K
    assert "< 5" in texts(months) and "10" in texts(months)
    assert "A month without a column" in html

    gaps = found["The most frequent gaps"]
    # 30 of 34 had the agreement open: within K-1 of the total, so not drawn (it would tell the 4 without).
    assert len(rects(gaps)) == 1
    assert "all but fewer than 5" in texts(gaps) and "14 (41%)" in texts(gaps)
    # Each chart sits right before its table, the full text alternative.
    for caption in ("Results by band", "Checks completed per month"):
        assert re.search(r"</svg></div>\s*(<p[^>]*>.*?</p>\s*)?<table[^>]*>\s*<caption>" + caption, html, re.S)


def test_no_chart_for_a_selection_too_small_to_show(clara):
    client, chamber = clara
    record(chamber, 3, K - 1, "green")
    html = client.get(f"/chambers/musterstadt/?year={LAST_YEAR}").content.decode()
    assert "<svg" not in html


def test_the_empty_page_says_when_figures_will_come_and_the_running_month_when_it_is_counted(clara):
    client, _chamber = clara
    today = date.today()
    html = client.get(f"/chambers/musterstadt/?year={today.year}").content.decode()
    assert "<svg" not in html
    assert "once the month is over" in html and "at least 5 checks" in html
    with translation.override("en"):
        assert f"appear here from {date_format(next_month(today), 'DATE_FORMAT')}." in html
