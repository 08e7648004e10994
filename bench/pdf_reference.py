"""The yardstick for the report: plain WeasyPrint renders bench/reference/report.html, no application code.

A long-lived process: it renders once to be warm, then once more for every line it reads, and answers each
with one JSON line {"seconds": ..., "pages": ...}. The warm-up's line also gives the text per page, counted
outside the timing. The benchmark starts it at the same nice value as the
app's report renderer, so both get the processor on the same terms.
"""

import io
import json
import sys
import time
from pathlib import Path

import weasyprint
from pypdf import PdfReader

from bench.pdftext import characters_per_page

ROOT = Path(__file__).resolve().parent.parent
HTML = (ROOT / "bench" / "reference" / "report.html").read_text(encoding="utf-8")


def render() -> tuple[dict[str, float], bytes]:
    started = time.perf_counter()
    pdf = weasyprint.HTML(string=HTML, base_url=f"{ROOT}/").write_pdf(pdf_variant="pdf/ua-1")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "pages": len(PdfReader(io.BytesIO(pdf)).pages), "bytes": len(pdf)}, pdf


def main() -> None:
    warm_up, pdf = render()
    warm_up["characters_per_page"] = characters_per_page(pdf)
    print(json.dumps({"warm_up": warm_up}), flush=True)
    for _line in sys.stdin:
        print(json.dumps(render()[0]), flush=True)


if __name__ == "__main__":
    main()
