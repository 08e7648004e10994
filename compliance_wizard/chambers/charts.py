"""Bar charts of the dashboard as SVG markup, built on the server: no script, nothing from third parties.

Pure: the caller passes translated labels and the figures as they may be displayed. A bar whose value
is None (a figure the k-anonymity rules hide) is not drawn; its note ("< 5") stands in its place, so
the chart never shows more than the table next to it. Each bar carries its label and its value as
text, so nothing depends on telling colours apart, and every fill has at least 3:1 contrast with the
white page (WCAG 1.4.11). The SVG is role="img" with a <title> and <desc>; the table is the full
text alternative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

BACKGROUND = "#ffffff"
TEXT = "#1a1a1a"
BAR = "#0b5394"
# The result page's band colours (static/css/site.css), so a band looks the same everywhere.
BAND_FILLS = {"green": "#1e7b34", "amber": "#8a5a00", "red": "#a61b1b"}
# The result page's band symbols: the band can be told without its colour.
BAND_SYMBOLS = {"green": "●", "amber": "▲", "red": "■"}

WIDTH = 400  # viewBox units; the stylesheet scales the chart to the column's width
FONT = 13
LABEL_CHARS = 58  # longer labels are shortened in the chart; the table gives them in full


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: not to be drawn
    note: str  # the value as text, or why it is not shown
    fill: str = BAR


@dataclass(frozen=True)
class Chart:
    id: str  # unique on the page: the <title>'s and <desc>'s ids are built from it
    title: str
    description: str
    bars: tuple[Bar, ...]


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _open(chart: Chart, height: int) -> list[str]:
    ident = escape(chart.id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" font-size="{FONT}" fill="{TEXT}">',
        f'<title id="{ident}-title">{escape(chart.title)}</title>',
        f'<desc id="{ident}-desc">{escape(chart.description)}</desc>',
    ]


def _scale(bars: Sequence[Bar], maximum: int | None) -> int:
    drawn = [bar.value for bar in bars if bar.value is not None]
    return max([maximum or 0, *drawn, 1])


def bar_rows(chart: Chart, maximum: int | None = None) -> str:
    """One row per bar: the label on a line of its own, below it the bar with its value at the end.

    `maximum` is the value of a full-width bar (the number of checks, for shares); by default the
    largest drawn value.
    """
    scale = _scale(chart.bars, maximum)
    step, bar_height = 2 * FONT + 16, FONT + 4
    height = max(len(chart.bars), 1) * step + 4
    out = _open(chart, height)
    room = WIDTH - 60  # space for the value after the longest bar
    for i, bar in enumerate(chart.bars):
        top = i * step + 4
        out.append(f'<text x="0" y="{top + FONT}">{escape(shorten(bar.label))}</text>')
        bar_top = top + FONT + 5
        width = 0 if bar.value is None else round(room * bar.value / scale)
        if width:
            out.append(f'<rect x="0" y="{bar_top}" width="{width}" height="{bar_height}" fill="{escape(bar.fill)}"/>')
        gap = 6 if width else 0
        out.append(f'<text x="{width + gap}" y="{bar_top + FONT}">{escape(bar.note)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def bar_columns(chart: Chart) -> str:
    """One column per bar (months): the label below, the value above the column."""
    count = max(len(chart.bars), 1)
    scale = _scale(chart.bars, None)
    plot_top, plot_height = FONT + 8, 120
    baseline = plot_top + plot_height
    height = baseline + FONT + 10
    slot = WIDTH / count
    width = max(round(slot * 0.6), 2)
    out = _open(chart, height)
    out.append(f'<line x1="0" y1="{baseline}" x2="{WIDTH}" y2="{baseline}" stroke="{TEXT}" stroke-width="1"/>')
    for i, bar in enumerate(chart.bars):
        centre = round(slot * i + slot / 2, 1)
        tall = 0 if bar.value is None else round(plot_height * bar.value / scale)
        if tall:
            x = round(centre - width / 2, 1)
            out.append(
                f'<rect x="{x}" y="{baseline - tall}" width="{width}" height="{tall}" fill="{escape(bar.fill)}"/>'
            )
        out.append(f'<text x="{centre}" y="{baseline - tall - 4}" text-anchor="middle">{escape(bar.note)}</text>')
        out.append(f'<text x="{centre}" y="{baseline + FONT + 4}" text-anchor="middle">{escape(bar.label)}</text>')
    out.append("</svg>")
    return "\n".join(out)
