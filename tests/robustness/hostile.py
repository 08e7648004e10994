"""Hostile form data for the fuzz tests: what a broken client, a bot or an attacker may post.

Text values are what a browser could send (no lone surrogates: they cannot be UTF-8 encoded);
raw bodies go further and carry bytes that are not UTF-8 at all, e.g. an encoded lone surrogate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import quote_from_bytes

from django.test import Client
from hypothesis import strategies as st

HUGE = 100_001
RTL_OVERRIDE = "\u202e"

# Values with a known history of breaking things: NUL (refused by PostgreSQL), bidi overrides,
# emoji and combining marks, huge strings, schemes that must never become links, markup.
NASTY_TEXT = [
    "",
    "\x00",
    "ja\x00",
    "yes\x00",
    f"{RTL_OVERRIDE}gnp.exe",
    "👩‍🔧🎨" * 20,
    "e\u0301" * 50,
    "x" * HUGE,
    "ä" * HUGE,
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "[",
    "http://[::1",
    "https://[]/",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "\r\n\t\x0b\x0c\x1b[31m",
    "\ufeff\u200b\u2028\u2029",
    "１２３",
    "-1",
    "9" * 40,
    "0",
    "true",
    "null",
    "[]",
    '{"a": 1}',
]

# Byte strings for raw bodies: invalid UTF-8, an encoded lone surrogate, overlong forms, NUL.
NASTY_BYTES = [
    b"\xff\xfe\xfd",
    b"\xed\xa0\x80",  # U+D800 as CESU-8: a lone surrogate
    b"\xc0\xaf",  # overlong "/"
    b"\x00",
    b"\xe2\x80\xae",  # U+202E
    b"\xf0\x9f\x98",  # a truncated emoji
    b"\x80" * 1000,
]

text_values = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=60),
)


def keys(known: Sequence[str]) -> st.SearchStrategy[str]:
    """Mostly the form's own field names, so that the values reach the code behind them."""
    random = st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=0, max_size=30)
    return st.one_of(
        st.sampled_from(list(known)), st.sampled_from(list(known)), random, st.sampled_from(NASTY_TEXT[:6])
    )


def form_data(known: Sequence[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Pairs, not a dict: keys may repeat, as in a real body."""
    return st.lists(st.tuples(keys(known), text_values), max_size=12)


def raw_bodies(known: Sequence[str]) -> st.SearchStrategy[bytes]:
    """An x-www-form-urlencoded body built from arbitrary bytes, some escaped and some raw."""
    chunk = st.one_of(st.sampled_from(NASTY_BYTES), st.binary(max_size=40))
    key = st.one_of(st.sampled_from([k.encode() for k in known]), chunk)
    escaped = st.booleans()

    @st.composite
    def body(draw) -> bytes:
        pairs = draw(st.lists(st.tuples(key, chunk, escaped), max_size=10))
        return b"&".join(k + b"=" + (quote_from_bytes(v).encode() if esc else v) for k, v, esc in pairs)

    return body()


def as_multidict(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """The shape Django's test client posts as repeated keys."""
    data: dict[str, list[str]] = {}
    for key, value in pairs:
        data.setdefault(key, []).append(value)
    return data


def urlencoded(pairs: Iterable[tuple[str, str]]) -> bytes:
    """Encode as a browser would, but keep NUL and everything else as given."""
    return b"&".join(
        quote_from_bytes(k.encode("utf-8")).encode() + b"=" + quote_from_bytes(v.encode("utf-8")).encode()
        for k, v in pairs
    )


FORM = "application/x-www-form-urlencoded"


def assert_answered(response, what: str = "") -> None:
    """A hostile post gets an error message, a refusal or a redirect; never a server error."""
    assert response.status_code < 500, f"{what}: {response.status_code}"
    assert response.status_code in (200, 302, 303, 400, 403, 404, 405, 413, 429), f"{what}: {response.status_code}"
    if response.status_code == 200 and response.context is not None:
        forms = [v for v in _context_values(response.context) if hasattr(v, "errors") and getattr(v, "is_bound", 0)]
        assert not forms or any(f.errors for f in forms), f"{what}: a 200 without an error message"


def _context_values(context) -> list[object]:
    values = []
    for layer in context:
        for d in getattr(layer, "dicts", [layer]):
            if isinstance(d, dict):
                values.extend(d.values())
    return values


def browser(user=None) -> Client:
    """A German browser that shows error pages instead of raising, logged in as `user` if given."""
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="de")
    if user is not None:
        client.force_login(user)
    return client
