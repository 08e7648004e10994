"""The yardstick for the report: plain WeasyPrint renders bench/reference/report.html, no application code.

Run as `python -m bench.pdf_reference`, a long-lived process: it renders once to be warm, then once more for
every line it reads, and answers each with one JSON line {"seconds": ..., "pages": ...}. The warm-up's line
also gives the text per page, counted outside the timing. The benchmark drives it through ReferenceRenderer,
at the same nice value as the app's report renderer, so both get the processor on the same terms.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.pdftext import characters_per_page

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "bench" / "reference" / "report.html"


class ReferenceRenderer:
    """This script in its own process, for the benchmark: `render()` has it render once more."""

    def __init__(self, nice: int):
        self.nice = nice

    def __enter__(self) -> ReferenceRenderer:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.pdf_reference"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            preexec_fn=lambda: os.nice(self.nice),
        )
        self.warm_up = json.loads(self.process.stdout.readline())["warm_up"]
        return self

    def render(self) -> dict:
        self.process.stdin.write("render\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def __exit__(self, *exc: object) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def _render(html: str) -> tuple[dict[str, float], bytes]:
    import weasyprint  # only in the rendering process, not in the benchmark's runner
    from pypdf import PdfReader

    started = time.perf_counter()
    pdf = weasyprint.HTML(string=html, base_url=f"{ROOT}/").write_pdf(pdf_variant="pdf/ua-1")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "pages": len(PdfReader(io.BytesIO(pdf)).pages), "bytes": len(pdf)}, pdf


def main() -> None:
    html = REFERENCE.read_text(encoding="utf-8")
    warm_up, pdf = _render(html)
    warm_up["characters_per_page"] = characters_per_page(pdf)
    print(json.dumps({"warm_up": warm_up}), flush=True)
    for _line in sys.stdin:
        print(json.dumps(_render(html)[0]), flush=True)


if __name__ == "__main__":
    main()
