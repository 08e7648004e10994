"""A small load client that behaves like a browser without scripts: cookies, CSRF tokens, redirects, forms.

One asyncio loop drives every virtual user, each with its own cookie jar, so the client needs little of
the two cores the server runs on. Every request opens its own connection, as gunicorn's sync workers
close each one after the response anyway. Only HTML is fetched: CSS, fonts and scripts would come from
a static file server in production and are not what the benchmark measures.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

TAG = re.compile(r"<(form|/form|input)\b([^>]*)>", re.IGNORECASE)
ATTR = re.compile(r'([\w:-]+)(?:="([^"]*)")?')
PROGRESS = re.compile(r'<progress value="(\d+)" max="(\d+)"')


class UnexpectedResponse(Exception):
    """A response the scenario did not expect: counted as an error, never timed as a success."""


@dataclass
class Response:
    status: int
    headers: dict[str, list[str]]
    body: bytes
    seconds: float

    def header(self, name: str) -> str:
        return (self.headers.get(name.lower()) or [""])[-1]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        """The redirect target as a path: Django sends relative locations, a proxy might send absolute ones."""
        parts = urlsplit(self.header("location"))
        return parts.path + (f"?{parts.query}" if parts.query else "")


async def request(
    port: int, method: str, path: str, headers: Mapping[str, str], body: bytes = b"", timeout: float = 60
) -> Response:
    started = time.perf_counter()
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    try:
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        raw = await asyncio.wait_for(reader.read(), timeout)  # until the server closes the connection
    finally:
        writer.close()
    seconds = time.perf_counter() - started
    head, _, content = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parsed: dict[str, list[str]] = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        parsed.setdefault(name.strip().lower(), []).append(value.strip())
    if "chunked" in (parsed.get("transfer-encoding") or [""])[-1]:
        content = _unchunk(content)
    return Response(int(status_line.split()[1]), parsed, content, seconds)


def _unchunk(data: bytes) -> bytes:
    out, rest = bytearray(), data
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += rest[:size]
        rest = rest[size + 2 :]
    return bytes(out)


@dataclass
class Form:
    hidden: dict[str, str] = field(default_factory=dict)
    radios: dict[str, list[str]] = field(default_factory=dict)
    fields: list[str] = field(default_factory=list)


def page_form(page: str) -> Form:
    """The page's own form: the first one that posts back to the page (the language switch posts elsewhere)."""
    form: Form | None = None
    for match in TAG.finditer(page):
        tag = match[1].lower()
        attrs = {k.lower(): html.unescape(v or "") for k, v in ATTR.findall(match[2])}
        if tag == "form":
            form = Form() if not attrs.get("action") else None
        elif tag == "/form":
            if form is not None:
                return form
        elif form is not None:
            name, kind = attrs.get("name", ""), attrs.get("type", "text").lower()
            if kind == "hidden":
                form.hidden[name] = attrs.get("value", "")
            elif kind == "radio":
                form.radios.setdefault(name, []).append(attrs.get("value", ""))
            elif name:
                form.fields.append(name)
    raise UnexpectedResponse("no form that posts back to the page")


def progress(page: str) -> tuple[int, int]:
    """(step n, of m) from the page's <progress> element, whatever the language."""
    match = PROGRESS.search(page)
    if not match:
        raise UnexpectedResponse("no progress element on a wizard step")
    return int(match[1]), int(match[2])


_addresses = itertools.count(1)


def new_address() -> str:
    """A client address of its own, as the proxy would pass it on (the app trusts 127.0.0.1 as its proxy)."""
    n = next(_addresses)
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


class Browser:
    """One person's browser: a cookie jar, the headers a German browser sends, and an address of its own, so
    that the app's limits per client address (assessments/address_limits.py) see people, not the load client."""

    def __init__(self, port: int, language: str = "de") -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.language = language
        self.address = new_address()
        self.turned_away = 0  # reports not started because every place for them was taken (load.fetch_report)

    def _headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        headers = {
            "Accept-Language": self.language,
            "User-Agent": "compliance-wizard-bench",
            "X-Forwarded-For": self.address,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def _keep_cookies(self, response: Response) -> None:
        for line in response.headers.get("set-cookie", []):
            pair, *attrs = [part.strip() for part in line.split(";")]
            name, _, value = pair.partition("=")
            gone = any(a.lower().startswith(("max-age=0", "expires=thu, 01 jan 1970")) for a in attrs)
            if gone or value in ("", '""'):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    async def get(self, path: str) -> Response:
        response = await request(self.port, "GET", path, self._headers())
        self._keep_cookies(response)
        return response

    async def post(self, path: str, data: Mapping[str, str]) -> Response:
        body = urlencode(data).encode()
        headers = self._headers({"Content-Type": "application/x-www-form-urlencoded"})
        response = await request(self.port, "POST", path, headers, body)
        self._keep_cookies(response)
        return response


def expect(response: Response, status: int, what: str) -> Response:
    if response.status != status:
        raise UnexpectedResponse(f"{what}: HTTP {response.status}, expected {status}: {response.text[:300]!r}")
    return response


def answers_for(form: Form, answers: Mapping[str, str]) -> dict[str, str]:
    """The form data a person posts: the hidden fields, and an answer for every question on the page we know.

    Questions are named "<step>-<question id>"; follow-ups that wait for an answer on the same page are
    answered too, as a person does once the page script reveals them (the server ignores what it did not ask).
    """
    data = dict(form.hidden)
    for name, values in form.radios.items():
        answer = answers.get(name.split("-", 1)[-1])
        if answer is None:
            continue  # not asked with these answers; if it is, the server says so and the step counts as an error
        if answer not in values:
            raise UnexpectedResponse(f"{answer!r} is not offered for {name!r} (offered: {values})")
        data[name] = answer
    return data
