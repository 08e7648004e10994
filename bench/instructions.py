"""Instructions per wizard request, counted by valgrind: a steady figure for comparing two versions of the code.

    python -m bench.instructions [KIND ...]     KIND: check, start, begin, get, post, floor (default: all)

On a shared machine the time of a request moves by a fifth from one minute to the next; the number of
instructions it executes hardly moves at all. Each kind runs in a fresh process under
`valgrind --tool=cachegrind`, once with 5 and once with 25 repetitions after the same warm-up, and the
difference is divided by 20, so that start-up and warm-up cancel out. The requests go straight to the
app's WSGI handler (no gunicorn, no sockets), with the production settings on a temporary SQLite database.
Needs valgrind (apt-get install valgrind); not part of `make bench`, and slow (about a minute per kind).

    check   one whole check as the benchmark's wizard users make it: the start page, the start form, the
            first step's page, then each step's POST and the next step's page (five round trips with the
            painter's answers) until the last step
    start   the check's start page
    begin   the start form posted (a new draft, the redirect to the first step)
    get     the page of one step, again and again
    post    one valid step posted again and again (the draft saved, the redirect)
    floor   a view that only redirects (Django's set_language on GET): the middleware and request handling
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("check", "start", "begin", "get", "post", "floor")
FEW, MANY = 5, 25


class App:
    """The app's WSGI handler with one browser's cookies."""

    def __init__(self) -> None:
        from django.core.wsgi import get_wsgi_application

        self.handler = get_wsgi_application()
        self.cookies: dict[str, str] = {}

    def call(self, method: str, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        body = urlencode(data or {}).encode()
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_ACCEPT_LANGUAGE": "de",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
        }
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        answer: dict[str, object] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> None:
            answer.update(status=int(status[:3]), headers=headers)

        result = self.handler(environ, start_response)
        content = b"".join(result)
        result.close()  # as the server does: it sends request_finished (closing old connections, and so on)
        location = ""
        for name, value in answer["headers"]:
            if name.lower() == "set-cookie":
                key, _, rest = value.split(";")[0].partition("=")
                self.cookies[key] = rest
            elif name.lower() == "location":
                location = value
        return int(answer["status"]), location, content.decode()


def driver(kind: str) -> Callable[[], None]:
    """One repetition of `kind`, set up so that every repetition does the same work."""
    from bench.client import answers_for, page_form, progress
    from bench.scenario import CHECKLIST_ID, answers

    person = answers("typical")
    app = App()
    start = f"/check/{CHECKLIST_ID}/"

    def started() -> tuple[str, str]:
        _, _, page = app.call("GET", start)
        data = dict(page_form(page).hidden, business_name=str(person["name"]), website=str(person["website"]))
        status, path, _ = app.call("POST", start, data)
        while status == 302:  # to the first step, through the resume link if the start form leads there
            location = path
            status, path, page = app.call("GET", location)
        assert status == 200, status
        return location, page

    def check() -> None:
        path, page = started()
        while True:
            number, count = progress(page)
            if number >= count:
                return
            status, path, _ = app.call("POST", path, answers_for(page_form(page), person["answers"]))
            assert status == 302, status
            status, _, page = app.call("GET", path)
            assert status == 200, status

    if kind == "check":
        return check
    if kind == "floor":
        return lambda: _expect(app.call("GET", "/i18n/setlang/"), 302)
    if kind in ("start", "begin"):
        _, _, page = app.call("GET", start)
        data = dict(page_form(page).hidden, business_name=str(person["name"]), website=str(person["website"]))
        if kind == "start":
            return lambda: _expect(app.call("GET", start), 200)
        return lambda: _expect(app.call("POST", start, data), 302)
    path, page = started()
    data = answers_for(page_form(page), person["answers"])
    if kind == "get":
        return lambda: _expect(app.call("GET", path), 200)
    if kind == "post":
        return lambda: _expect(app.call("POST", path, data), 302)
    raise SystemExit(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")


def _expect(answer: tuple[int, str, str], status: int) -> None:
    if answer[0] != status:
        raise SystemExit(f"HTTP {answer[0]}, expected {status}")


def drive(kind: str, repetitions: int) -> int:
    """In the child: set up the app, warm it up, then repeat."""
    workdir = tempfile.mkdtemp(prefix="compliance-instructions-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="compliance_wizard.settings",
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        SECRET_KEY="instructions-" + "x" * 40,
        LOG_LEVEL="WARNING",
        DATABASE_URL=f"sqlite:///{workdir}/app.sqlite3?transaction_mode=IMMEDIATE",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from compliance_wizard.warm import warm_up

    warm_up()
    once = driver(kind)
    for _ in range(3):
        once()
    for _ in range(repetitions):
        once()
    return 0


def count(kind: str, repetitions: int) -> int:
    """Instructions of a child process that drives `kind` `repetitions` times."""
    args = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    args += [sys.executable, "-m", "bench.instructions", "--drive", kind, str(repetitions)]
    env = dict(os.environ, PYTHONHASHSEED="0")  # the same dict layouts in every run
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode != 0 or not found:
        raise SystemExit(f"{kind}: valgrind run failed\n{done.stderr[-3000:]}")
    return int(found[1].replace(",", ""))


def main(argv: list[str]) -> int:
    if argv[:1] == ["--drive"]:
        return drive(argv[1], int(argv[2]))
    kinds = argv or list(KINDS)
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        runs = {kind: pool.map(lambda n, k=kind: count(k, n), (FEW, MANY)) for kind in kinds}
        for kind, (few, many) in runs.items():
            per = (many - few) / (MANY - FEW)
            print(f"{kind:6} {per / 1e6:8.2f} million instructions per repetition")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
