"""The documents of a check as one editable Word file: real headings, real tables, the brand in the header."""

from __future__ import annotations

import io
import re

from docx import Document as new_document
from docx.document import Document as WordDocument
from docx.shared import Cm, Pt

from compliance_wizard.branding.brand import Brand
from compliance_wizard.engine.documents import RenderedDocument

# Characters XML 1.0 cannot hold; python-docx refuses them. Details are cleaned before, this keeps the file whole.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

TITLES = {"de": "Ihre Dokumente zu WhatsApp", "en": "Your WhatsApp documents"}
FOR = {"de": "für", "en": "for"}
USAGE = {"de": "So verwenden Sie es:", "en": "How to use it:"}


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def documents_docx(documents: list[RenderedDocument], lang: str, business: str, brand: Brand | None) -> bytes:
    doc = new_document()
    doc.core_properties.title = TITLES[lang]
    doc.core_properties.language = lang
    doc.styles["Normal"].font.size = Pt(11)
    if brand is not None:
        header = doc.sections[0].header.paragraphs[0]
        if brand.logo_png:
            header.add_run().add_picture(io.BytesIO(brand.logo_png), height=Cm(1.2))
            header.add_run("  ")
        header.add_run(_xml(brand.name))
    title = TITLES[lang] + (f" {FOR[lang]} {business}" if business else "")
    doc.add_heading(_xml(title), level=0)
    for document in documents:
        doc.add_heading(_xml(document.title), level=1)
        usage = doc.add_paragraph()
        usage.add_run(USAGE[lang] + " ").bold = True
        usage.add_run(_xml(document.usage)).italic = True
        if document.missing_line:
            doc.add_paragraph().add_run(_xml(document.missing_line)).bold = True
        for section in document.sections:
            if section.heading:
                doc.add_heading(_xml(section.heading), level=2)
            for text in section.paragraphs:
                _add_paragraph(doc, text)
            if section.rows:
                table = doc.add_table(rows=0, cols=2)
                table.style = "Table Grid"
                for label, value in section.rows:
                    cells = table.add_row().cells
                    cells[0].paragraphs[0].add_run(_xml(label)).bold = True
                    cells[1].paragraphs[0].add_run(_xml(value))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _add_paragraph(doc: WordDocument, text: str) -> None:
    paragraph = doc.add_paragraph()
    for i, line in enumerate(_xml(text).split("\n")):
        run = paragraph.add_run()
        if i:
            run.add_break()
        run.add_text(line)
