"""The consultant's accent colour: one strict spelling, and a contrast check against the white page.

The colour ends up inside the report's CSS, so only "#rgb" and "#rrggbb" are ever accepted: no colour
names, no functions, nothing that could close the declaration and start another one.
"""

from __future__ import annotations

import math
import re

from django.utils.formats import number_format
from django.utils.translation import gettext

WHITE = "#ffffff"
# WCAG 2.1 AA for normal text; the accent is text on white and a background behind white text.
MIN_CONTRAST = 4.5

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def normalize_hex(value: str) -> str:
    """'#ABC', ' #aabbcc ' -> '#aabbcc'; ValueError with a message for the user otherwise."""
    text = value.strip() if isinstance(value, str) else ""
    if not _HEX.fullmatch(text):
        raise ValueError(gettext("Enter the colour as a hex code with a leading #, for example #1a5fb4."))
    digits = text[1:].lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits


def _relative_luminance(color: str) -> float:
    digits = normalize_hex(color)[1:]
    channels = []
    for i in (0, 2, 4):
        c = int(digits[i : i + 2], 16) / 255
        # WCAG 2.1 names 0.03928; sRGB says 0.04045. No 8-bit value lies between them.
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two colours, from 1.0 (same) to 21.0 (black on white)."""
    first, second = _relative_luminance(a), _relative_luminance(b)
    lighter, darker = max(first, second), min(first, second)
    return (lighter + 0.05) / (darker + 0.05)


def color_problem(value: str) -> str | None:
    """None if `value` can be the report's accent colour, else what is wrong with it, for the user."""
    try:
        color = normalize_hex(value)
    except ValueError as error:
        return str(error)
    ratio = contrast_ratio(color, WHITE)
    if ratio >= MIN_CONTRAST:
        return None
    # Rounded down, so a colour just below the limit never shows as "4.50:1".
    shown = number_format(math.floor(ratio * 100) / 100, decimal_pos=2)
    limit = number_format(MIN_CONTRAST, decimal_pos=1)
    return gettext(
        "This colour is too light: against white it has a contrast of only %(ratio)s:1, and at least "
        "%(limit)s:1 is needed so that headings stay readable. Please choose a darker shade."
    ) % {"ratio": shown, "limit": limit}
