"""What a rendered PDF carries, counted the same way for the app's report and the reference."""

import io

from pypdf import PdfReader


def characters_per_page(pdf: bytes) -> float:
    """Characters of text on an average page, spaces not counted: what makes a page cost more to render.

    Shown beside the per-page ratio so that a reader can see that the report and the reference carry as much
    text per page; a per-page comparison of a dense document with a sparse one would say little.
    """
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    return sum(not c.isspace() for c in text) / len(reader.pages)
