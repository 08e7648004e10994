"""Keep secrets out of the logs: tokens in request paths are the keys to answers and accounts."""

from __future__ import annotations

import logging
import re

TOKEN_PATH = re.compile(r"/(draft|result)/[A-Za-z0-9_-]{8,}")
# Password-reset and invitation links carry a user id and a one-time token.
ACCOUNT_TOKEN_PATH = re.compile(r"/accounts/(reset|invite)/[A-Za-z0-9_-]+/[A-Za-z0-9_-]+")


# Reminder pages carry the check's token or the token of a mailed confirm/cancel link.
REMINDER_TOKEN_PATH = re.compile(r"/reminders/(check|confirm|cancel)/[A-Za-z0-9_-]{8,}")


def redact(text: str) -> str:
    text = REMINDER_TOKEN_PATH.sub(r"/reminders/\1/[token]", TOKEN_PATH.sub(r"/\1/[token]", text))
    return ACCOUNT_TOKEN_PATH.sub(r"/accounts/\1/[token]", text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(str(record.msg))
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in args)
        return True
