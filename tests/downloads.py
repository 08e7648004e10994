"""A PDF link followed the way a browser follows it: through the waiting page's refresh, to the report."""

from __future__ import annotations

import html
import re

from django.http import HttpResponse
from django.test import Client

REFRESH = re.compile(r'<meta http-equiv="refresh" content="(\d+);url=([^"]+)">')


def refresh_target(response: HttpResponse) -> tuple[int, str]:
    """(seconds, url) of the waiting page's meta refresh; fails if the response is no waiting page."""
    assert response.status_code == 202, response.status_code
    match = REFRESH.search(response.content.decode())
    assert match, response.content.decode()[:2000]
    return int(match[1]), html.unescape(match[2])


def download(client: Client, url: str, **headers: str) -> HttpResponse:
    """The answer a browser ends up with after clicking `url`: the PDF, or the page saying why there is none.

    Follows the refresh at once rather than after its seconds: in a test nothing else renders meanwhile.
    """
    response = client.get(url, **headers)
    for _ in range(5):
        if response.status_code != 202:
            return response
        response = client.get(refresh_target(response)[1], **headers)
    raise AssertionError(f"{url} was still being made after five refreshes")
