"""Throwaway databases and gunicorn servers on loopback for the benchmark; everything is stopped again."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
WARM_LINE = re.compile(r"worker (\d+) warmed up in ([\d.]+) s")
# What SQLite needs to serve several workers at once, for the app and the reference alike: without
# IMMEDIATE transactions a write that follows a read inside a transaction fails at once with "database
# is locked" instead of waiting; WAL lets readers go on while one writer commits.
SQLITE_OPTIONS = urlencode(
    {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
    }
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Databases:
    """The app's and the reference wizard's databases: SQLite files in a temporary folder, or PostgreSQL."""

    app_url: str
    reference_url: str
    engine: str
    workdir: Path

    @classmethod
    def create(cls, database_url: str | None) -> Databases:
        workdir = Path(tempfile.mkdtemp(prefix="compliance-bench-"))
        if not database_url:
            app, ref = (f"sqlite:///{workdir}/{name}.sqlite3?{SQLITE_OPTIONS}" for name in ("app", "reference"))
            return cls(app, ref, "sqlite", workdir)
        parts = urlsplit(database_url)
        if not parts.scheme.startswith("postgres"):
            raise SystemExit(
                f"DATABASE_URL: only PostgreSQL is supported besides the SQLite default, not {parts.scheme}"
            )
        name = parts.path.lstrip("/")
        if "bench" not in name:
            # The benchmark drops and creates its databases: never one that might hold anything else.
            raise SystemExit(f"DATABASE_URL must name a benchmark database (with 'bench' in its name), not {name!r}")
        reference = urlunsplit(parts._replace(path=f"/{name}_reference"))
        for url in (database_url, reference):
            _recreate_postgres(url)
        return cls(database_url, reference, "postgresql", workdir)

    def drop(self) -> None:
        for path in self.workdir.glob("*"):
            path.unlink()
        self.workdir.rmdir()


def _recreate_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def app_env(databases: Databases, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "compliance_wizard.settings",
            "DATABASE_URL": databases.app_url,
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra)
    return env


def reference_env(databases: Databases) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "refsite.settings",
            "REFERENCE_DATABASE_URL": databases.reference_url,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "PYTHONPATH": str(BENCH / "reference"),
        }
    )
    env.pop("DATABASE_URL", None)
    return env


def run(args: list[str], env: dict[str, str], timeout: float = 300) -> str:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def migrate(databases: Databases) -> None:
    run([PYTHON, "manage.py", "migrate", "--noinput"], app_env(databases))
    run([PYTHON, "-m", "django", "migrate", "--noinput"], reference_env(databases))


@dataclass
class Server:
    """One gunicorn master with its sync workers, started with bench/gunicorn.conf.py."""

    name: str
    app: str
    env: dict[str, str]
    workers: int
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    def __post_init__(self) -> None:
        # 0: gunicorn.conf.py's default; spelt out here, because start() waits for every worker.
        self.workers = self.workers or 2 * (os.cpu_count() or 1) + 1

    def start(self, logdir: Path, timeout: float = 90) -> Server:
        self.log = logdir / f"{self.name}.log"
        self.log.write_text("")
        env = dict(
            self.env,
            BENCH_BIND=f"127.0.0.1:{self.port}",
            BENCH_WORKERS=str(self.workers),
            WEB_CONCURRENCY=str(self.workers),
        )
        env["BENCH_ERRORLOG"] = str(self.log)
        args = [PYTHON, "-m", "gunicorn", "-c", str(BENCH / "gunicorn.conf.py"), self.app]
        with self.log.open("ab") as output:  # the app's own log lines (stderr) go to the same file
            self.process = subprocess.Popen(args, env=env, cwd=ROOT, stdout=output, stderr=output)  # noqa: S603
        self.wait_warm(self.workers, timeout)
        return self

    def warm_lines(self) -> list[tuple[int, float]]:
        assert self.log is not None
        return [(int(pid), float(s)) for pid, s in WARM_LINE.findall(self.log.read_text(errors="replace"))]

    def wait_warm(self, count: int, timeout: float) -> list[tuple[int, float]]:
        """Wait until `count` workers in all have logged their warm-up; returns every warm-up so far."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise SystemExit(f"gunicorn ({self.name}) exited: see the log\n{self.tail()}")
            lines = self.warm_lines()
            if len(lines) >= count:
                return lines
            time.sleep(0.05)
        raise SystemExit(f"gunicorn ({self.name}) did not get ready in {timeout:.0f} s\n{self.tail()}")

    def fresh_workers(self, timeout: float = 60) -> list[tuple[int, float]]:
        """Replace every worker by a freshly started one (SIGHUP) and wait until the new ones are warm."""
        assert self.process is not None
        before = len(self.warm_lines())
        old = set(self.worker_pids())
        self.process.send_signal(signal.SIGHUP)
        lines = self.wait_warm(before + self.workers, timeout)
        deadline = time.monotonic() + timeout
        while old & set(self.worker_pids()) and time.monotonic() < deadline:
            time.sleep(0.05)  # the old workers finish and leave
        return lines[before:]

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        master = self.process.pid
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process has just ended
            if int(fields[1]) == master:
                pids.append(int(stat.parent.name))
        return pids

    def cpu_seconds(self) -> float:
        """Processor time used so far by the master and its workers (and their finished children)."""
        assert self.process is not None
        total = 0
        for pid in [self.process.pid, *self.worker_pids()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
        return total / os.sysconf("SC_CLK_TCK")

    def tail(self, lines: int = 30) -> str:
        if self.log is None or not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def errors(self, limit: int = 3) -> list[str]:
        """The first few tracebacks the server logged (the app logs warnings and errors only)."""
        if self.log is None or not self.log.exists():
            return []
        blocks = self.log.read_text(errors="replace").split("Traceback (most recent call last):")[1:]
        return ["Traceback (most recent call last):" + block[:3000] for block in blocks[:limit]]

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def memory_kib(pid: int) -> dict[str, int]:
    """Resident and peak resident memory of a process, in KiB, from /proc."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(value.split()[0])
    return values


class ChildPeaks(threading.Thread):
    """Watches the children a process forks (the report renderers) and keeps the highest peak memory seen.

    VmHWM only ever grows, so the last look before a child ends is close to its true peak.
    """

    def __init__(self, pid: int, interval: float = 0.01) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peaks: dict[int, int] = {}
        self.done = threading.Event()

    def run(self) -> None:
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        while not self.done.wait(self.interval):
            try:
                pids = [int(p) for p in children.read_text().split()]
            except OSError:
                return
            for child in pids:
                try:
                    peak = memory_kib(child).get("VmHWM", 0)
                except OSError:
                    continue  # it has just ended
                self.peaks[child] = max(peak, self.peaks.get(child, 0))

    def stop(self) -> dict[str, float]:
        self.done.set()
        self.join()
        peaks = sorted(self.peaks.values())
        return {"children": len(peaks), "max_mib": peaks[-1] / 1024 if peaks else float("nan")}
