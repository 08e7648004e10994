"""The one browser set-up shared by the browser tests and scripts/screenshots.py: Debian's Chromium, headless.

Playwright's own browser download cannot run here, so it drives the system Chromium instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    # Chromium's own calls home (updates, sync, safe browsing lists) would blur the request log.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing() -> str:
    """Why the browser cannot be started here, or "" when it can."""
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"{error.name} is not installed (run `make install`)"
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        hint = "apt-get install chromium" if shutil.which("apt-get") else "install Chromium"
        return f"no Chromium at {CHROMIUM} (`{hint}`, or set CHROMIUM_PATH)"
    return ""


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
