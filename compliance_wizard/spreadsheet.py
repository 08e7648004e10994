"""CSV files that open cleanly in a German spreadsheet and cannot run anything there.

The chamber's statistics and the consultant's open actions are both downloaded as CSV; both go through here.
"""

from __future__ import annotations

import csv
import io

# Semicolons, because German Excel splits on them (a comma is its decimal mark), and UTF-8 with a
# byte order mark, without which Excel reads the file as Windows-1252 and garbles the umlauts. No
# "sep=;" line: with it Excel ignores the byte order mark.
CSV_DELIMITER = ";"
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerows([[csv_cell(value) for value in row] for row in rows])
    return "\ufeff" + out.getvalue()


def csv_cell(value: str) -> str:
    """A leading apostrophe makes the spreadsheet show the text instead of running it as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value
