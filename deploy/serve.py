"""`make serve`: the production stack on this machine, against PostgreSQL.

Creates the database if it is missing, checks the deployment settings, collects the static files, migrates,
and replaces itself with gunicorn (deploy/gunicorn.conf.py) on 127.0.0.1:8000. It runs with PRODUCTION=1 and
whatever the environment sets; only for values it must have and the caller did not give does it fill in a
default (see production_env), a missing SECRET_KEY is replaced by a throwaway one and a missing EMAIL_HOST
switches mail off, each with a loud warning.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/compliance_wizard"

THROWAWAY_KEY_WARNING = """
!!! SECRET_KEY is not set: using a throwaway key made up just now.
!!! Everything signed with it (CSRF tokens, logins, password-reset and invitation links) stops working
!!! when this server restarts, and a second app server would not accept what this one signed.
!!! For a real installation set SECRET_KEY (the same on every app server), e.g. from
!!!     python -c "import secrets; print(secrets.token_urlsafe(50))"
"""

MAIL_OFF_WARNING = """
!!! EMAIL_HOST is not set: mail is switched off (EMAIL_DISABLED=1). No password reset, invitation or reminder
!!! is sent. Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, ...) to send them.
"""


def production_env(environ: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The environment gunicorn runs with, and the warnings to show before it starts."""
    env = dict(environ)
    env["PRODUCTION"] = "1"
    env["DJANGO_SETTINGS_MODULE"] = "compliance_wizard.settings"
    env.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    env.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1")
    env.setdefault("SITE_URL", "https://localhost/")
    warnings = []
    if not env.get("SECRET_KEY", "").strip():
        env["SECRET_KEY"] = secrets.token_urlsafe(50)
        warnings.append(THROWAWAY_KEY_WARNING)
    if not env.get("EMAIL_HOST", "").strip() and "EMAIL_DISABLED" not in env:
        env["EMAIL_DISABLED"] = "1"
        warnings.append(MAIL_OFF_WARNING)
    return env, warnings


def ensure_database(url: str) -> bool:
    """Create the PostgreSQL database the URL names unless it exists; True if it was created."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        return False
    import psycopg
    from psycopg import sql

    name = unquote(parts.path.lstrip("/"))
    # Connect to the maintenance database of the same server, as the same user.
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def manage(env: Mapping[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], env=env, cwd=ROOT, check=True)  # noqa: S603 (our own)


def main() -> None:
    env, warnings = production_env(os.environ)
    for warning in warnings:
        print(warning, file=sys.stderr)
    if ensure_database(env["DATABASE_URL"]):
        print(f"Created the database {urlsplit(env['DATABASE_URL']).path.lstrip('/')}.", file=sys.stderr)
    manage(env, "check", "--deploy")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "migrate", "--noinput")
    print(
        f"Starting gunicorn on {env.get('GUNICORN_BIND', '127.0.0.1:8000')}: put the TLS proxy in front of it"
        " (deploy/nginx.conf.example). Plain HTTP is redirected to HTTPS.",
        file=sys.stderr,
    )
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
    os.chdir(ROOT)
    os.execve(sys.executable, gunicorn, env)  # noqa: S606 (no shell wanted)


if __name__ == "__main__":
    main()
