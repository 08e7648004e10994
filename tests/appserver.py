"""Production app servers for the tests: gunicorn with deploy/gunicorn.conf.py and PRODUCTION=1 on loopback.

A `Visitor` talks to them the way the reverse proxy passes on a person's browser: the site's host name in
Host, X-Forwarded-Proto: https, its own cookies, and whichever app server it is sent to.
"""

from __future__ import annotations

import atexit
import functools
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
SITE = "dsgvo-check.example"  # the host name the proxy forwards; the only one in ALLOWED_HOSTS


def production_env(database_url: str, static_root: Path | str, **extra: str) -> dict[str, str]:
    """What an operator sets (deploy/production.env.example), for a server on this machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CSP_", "SECURE_", "GUNICORN_", "DEBUG"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "compliance_wizard.settings",
            "PRODUCTION": "1",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": SITE,
            "DATABASE_URL": database_url,
            "STATIC_ROOT": str(static_root),
            "WEB_CONCURRENCY": "1",
            "LOG_LEVEL": "WARNING",
            "SITE_URL": f"https://{SITE}/",
            "EMAIL_HOST": "smtp.invalid",  # required in production; these servers send no mail
        }
    )
    env.update(extra)
    return env


def manage(env: Mapping[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], env=dict(env), cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@functools.cache
def collected_static() -> Path:
    """collectstatic with the production storage, once per test run."""
    root = Path(tempfile.mkdtemp(prefix="cw-static-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    done = manage(production_env("sqlite:///unused.sqlite3", root), "collectstatic", "--noinput", "--verbosity", "0")
    assert done.returncode == 0, done.stderr
    return root


def postgres_url(settings_dict: Mapping[str, object]) -> str:
    """A DATABASE_URL for the database Django is connected to (under pytest: the test database)."""
    user = quote(str(settings_dict.get("USER") or ""), safe="")
    password = quote(str(settings_dict.get("PASSWORD") or ""), safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{quote(str(settings_dict['NAME']), safe='')}"


class AppServer:
    """One gunicorn master with its workers; its socket is made here and handed over, so no port can be taken."""

    def __init__(self, name: str, env: Mapping[str, str], logdir: Path) -> None:
        self.name = name
        self.env = dict(env)
        self.log = logdir / f"{name}.log"
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.port = self.socket.getsockname()[1]
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 90) -> AppServer:
        fd = self.socket.fileno()
        args = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"fd://{fd}",
        ]
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(args, env=self.env, cwd=ROOT, stdout=output, stderr=output, pass_fds=[fd])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn {self.name} exited:\n{self.tail()}")
            try:
                if Visitor().get(self, "/").status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn {self.name} did not answer within {timeout:.0f} s:\n{self.tail()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.socket.close()

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:]) if self.log.exists() else ""


@dataclass
class Response:
    status: int
    headers: Message
    body: bytes
    served_by: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def csrf_token(self) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.text)
        assert match, f"no CSRF token in the page from {self.served_by}"
        return match.group(1)


class Visitor:
    """A browser behind the TLS proxy: keeps its cookies; follows no redirect by itself."""

    def __init__(self, language: str = "de") -> None:
        self.cookies: dict[str, str] = {}
        self.language = language
        self.set_cookies: list[str] = []  # every Set-Cookie header received, for the tests of their attributes

    def get(self, server: AppServer, path: str, https: bool = True) -> Response:
        return self.request(server, "GET", path, https=https)

    def post(self, server: AppServer, path: str, form: Mapping[str, str]) -> Response:
        return self.request(server, "POST", path, form)

    def request(
        self, server: AppServer, method: str, path: str, form: Mapping[str, str] | None = None, https: bool = True
    ) -> Response:
        headers = {"Host": SITE, "Accept-Language": self.language}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{SITE}"
            headers["Referer"] = f"https://{SITE}{path}"
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read(), server.name)
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.set_cookies.append(header)
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.coded_value  # sent back exactly as it came
        return response
