"""Keep secrets out of the logs: the draft and result tokens in request paths are the keys to answers."""

from __future__ import annotations

import logging
import re

TOKEN_PATH = re.compile(r"/(draft|result)/[A-Za-z0-9_-]{8,}")


def redact(text: str) -> str:
    return TOKEN_PATH.sub(r"/\1/[token]", text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(str(record.msg))
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in args)
        return True
