"""Take the README's screenshots with the browser set-up of the browser tests.

Starts the app with `manage.py runserver --insecure` on a free loopback port and a throwaway SQLite
database, runs the WhatsApp check as the painter of examples/malerbetrieb-muster.yaml and writes
docs/screenshots/start.png, step.png and result.png.

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import chromium  # noqa: E402
from tests.browser.pages import EXAMPLE, PAINTER, Mouse, label_of, open_questions, wanted  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
WINDOW = {"width": 1024, "height": 860}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the app did not start (exit status {server.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the app did not answer on port {port} within {seconds:.0f} s")


def take(origin: str) -> None:
    from playwright.sync_api import sync_playwright

    business = EXAMPLE["business"]
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        page = browser.new_page(base_url=origin, locale="de-DE", viewport=WINDOW)
        page.goto("/")
        page.screenshot(path=OUT / "start.png")

        painter = Mouse(page)
        painter.start(business["name"], business["website"])
        first = open_questions(page)[0]  # one answer chosen, its help text open
        painter.press(label_of(page, first, wanted(first, PAINTER)))
        painter.press(page.locator("details.help summary").first)
        page.screenshot(path=OUT / "step.png")

        painter.finish(PAINTER)
        page.screenshot(path=OUT / "result.png")
        browser.close()


def main() -> None:
    reason = chromium.missing()
    if reason:
        raise SystemExit(f"cannot take screenshots: {reason}")
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/screenshots.sqlite3", "DEBUG": "0"}
        python = sys.executable
        # Only our own interpreter and manage.py run here, with arguments of our own.
        subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
        server = subprocess.Popen(  # noqa: S603
            [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(port, server)
            take(f"http://127.0.0.1:{port}")
        finally:
            server.terminate()
            server.wait(timeout=10)
    for name in ("start", "step", "result"):
        print(OUT / f"{name}.png")


if __name__ == "__main__":
    main()
