"""The URL converter for a check's token, shared by every URL that carries one (`<check_token:token>`).

Registered once, by AssessmentsConfig.ready(), before any URL module is read.
"""


class CheckTokenConverter:
    """What secrets.token_urlsafe() gives, up to the column's 64 characters. Anything else (a NUL byte,
    which PostgreSQL refuses even in a comparison, or kilobytes of junk) is a plain 404 before any query."""

    regex = "[A-Za-z0-9_-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
