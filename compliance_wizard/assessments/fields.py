"""A JSON value stored compressed: the frozen result of a finished check.

A result holds every finding's texts in every language (about 200 KB of JSON for a typical check), and it is
kept for months per check. It is only ever read whole, by the pages and the report of one check, never
searched in SQL (score and band have columns of their own). bzip2 makes 46 KB of a typical result, zlib 56 KB
and the database's own compression of a JSON column less still, for about 20 ms when the check is submitted
and 5 ms when its page is shown (bench/README.md, figure 10).
"""

from __future__ import annotations

import bz2
import json
from typing import Any

from django.db import models

LEVEL = 9  # a result is written once: the smallest output is worth the milliseconds


def pack(value: Any) -> bytes:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return bz2.compress(text.encode(), LEVEL)


def unpack(data: bytes | memoryview) -> Any:
    return json.loads(bz2.decompress(bytes(data)))


class CompressedJSONField(models.BinaryField):
    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else unpack(value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, (bytes, bytearray, memoryview)):
            return unpack(bytes(value))
        if isinstance(value, str):  # a fixture or a form: JSON text
            return json.loads(value)
        return value

    def get_prep_value(self, value: Any) -> Any:
        return None if value is None else pack(value)

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)
