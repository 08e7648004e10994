"""Names of downloaded files: ASCII only, so that they go into a Content-Disposition header unquoted.

The exports of the workspace are named like the PDF report, so both use name_slug().
"""

from __future__ import annotations

from django.utils.text import slugify

# slugify() drops what it cannot spell in ASCII; German readers expect these spelt out instead.
_TRANSLITERATE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
MAX_NAME_SLUG = 40


def name_slug(name: str) -> str:
    """A business's or client's name as it appears in a file name; empty if nothing of it is left."""
    return slugify(str(name).translate(_TRANSLITERATE))[:MAX_NAME_SLUG].strip("-")
