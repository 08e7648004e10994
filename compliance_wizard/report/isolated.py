"""Render reports off to the side: in a child process, at a lower priority, a few at a time.

A report takes seconds of CPU, a wizard step milliseconds. Rendered inside the request workers, a few
reports at once would take every core and every wizard user would wait. So `render_pdf` here:

- waits for one of a few render slots shared by all processes of this installation on the machine
  (file locks; by default one slot fewer than the machine has cores), for at most REPORT_RENDER_WAIT
  seconds, after which it renders anyway rather than fail;
- renders in a child forked from the (warm, see compliance_wizard/warm.py) worker, at nice 10, so that the
  workers answering wizard steps get the processor first;
- leaves nothing behind: whatever WeasyPrint allocated ends with the child, so workers do not grow;
- stops the child after REPORT_RENDER_TIMEOUT seconds (limits.py) and raises ReportTimedOut, so that a
  report that cannot be made in time fails its request with a clear page instead of holding the worker.

Processes, not threads: WeasyPrint's GLib objects must not be shared between threads. In a process
that runs threads (the development server, the browser tests' live server) a fork would copy locks
held by other threads, so there the report renders in the calling thread, still within a slot and the page
limit, but without the time limit: a thread cannot be stopped from outside.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import hashlib
import logging
import math
import os
import pickle
import select
import signal
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection

from . import pdf
from .limits import ReportTimedOut, render_timeout

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Waiting for a slot and rendering (limits.DEFAULT_TIMEOUT) stay below the worker timeout (60 s in
# deploy/gunicorn.conf.py), so that a stuck rendering fails its request instead of getting the worker killed.
DEFAULT_WAIT = 20.0
# Weight 110 against 1024 for the workers: wizard requests come first. A report gets whatever the wizard leaves
# over; when every core is busy for long, it takes longer (and fails after DEFAULT_TIMEOUT) rather than the
# wizard slowing down.
DEFAULT_NICE = 10


def render_pdf(data: Any, **kwargs: Any) -> tuple[str, str, bytes]:
    """`report.pdf.render_pdf`, rendered in a slot and, where it is safe, in a child process."""
    with render_slot():
        return run_isolated(pdf.render_pdf, data, **kwargs)


def slot_count() -> int:
    configured = int(getattr(settings, "REPORT_RENDER_SLOTS", 0) or 0)
    if configured > 0:
        return configured
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, cores - 1)


def _slot_dir() -> Path:
    # One set of slots per installation (code and database), so tests never wait for a running server.
    installation = f"{settings.BASE_DIR}|{connection.settings_dict.get('NAME')}"
    digest = hashlib.sha256(installation.encode()).hexdigest()[:16]
    directory = Path(tempfile.gettempdir()) / f"compliance-wizard-render-{os.getuid()}-{digest}"
    directory.mkdir(mode=0o700, exist_ok=True)
    return directory


@contextlib.contextmanager
def _first_free(paths: list[Path]) -> Iterator[bool]:
    """Hold the first of the lock files nobody holds while the block runs; yields False if all are held."""
    for path in paths:
        handle = open(path, "a+b")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
        return
    yield False


@contextlib.contextmanager
def render_slot() -> Iterator[bool]:
    """Hold one render slot while the block runs; yields False if none came free in time."""
    wait = float(getattr(settings, "REPORT_RENDER_WAIT", DEFAULT_WAIT))
    paths = [_slot_dir() / f"slot-{n}.lock" for n in range(slot_count())]
    deadline = time.monotonic() + wait
    delay = 0.01
    while True:
        with _first_free(paths) as held:
            if held:
                yield True
                return
        if time.monotonic() >= deadline:
            logger.warning("report: no render slot free after %.0f s; rendering anyway", wait)
            yield False
            return
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


def seat_count() -> int:
    """REPORT_BUSY_WORKERS, by default one more than the render slots (one request renders while the next waits
    for its slot), but never every worker: with WEB_CONCURRENCY=2 on two cores, two clicks would otherwise hold
    both workers and the wizard would answer nobody until a report is done."""
    configured = int(getattr(settings, "REPORT_BUSY_WORKERS", 0) or 0)
    if configured > 0:
        return configured
    return max(1, min(slot_count() + 1, web_workers() - 1))


def web_workers() -> int:
    configured = int(getattr(settings, "WEB_CONCURRENCY", 0) or 0)
    return configured if configured > 0 else 2 * (os.cpu_count() or 1) + 1


@contextlib.contextmanager
def report_seat() -> Iterator[bool]:
    """Hold one of seat_count() places for a request busy with a report (rendering, waiting for a render slot or
    for another request's render) while the block runs; yields False at once if all are taken.

    A render slot bounds the processor time reports take; a seat bounds the workers they hold. With sync
    workers, a request that waits holds its worker as much as one that renders: without seats, six clicks
    would hold six workers, and the wizard would queue behind them.
    """
    with _first_free([_slot_dir() / f"seat-{n}.lock" for n in range(seat_count())]) as held:
        yield held


def fork_is_safe() -> bool:
    """Only a process with a single thread may fork: a child copies locks that other threads may hold."""
    return hasattr(os, "fork") and threading.active_count() == 1


def run_isolated(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """func(*args, **kwargs) in a forked child at a lower priority; in this thread where forking is unsafe."""
    if not fork_is_safe():
        return func(*args, **kwargs)
    nice = int(getattr(settings, "REPORT_RENDER_NICE", DEFAULT_NICE))
    timeout = render_timeout()
    read_fd, write_fd = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        _child(read_fd, write_fd, nice, func, args, kwargs, parent, timeout)  # never returns
    os.close(write_fd)
    try:
        payload = _read_all(read_fd, timeout)
    except BaseException as exc:
        # Over time, or the worker itself is being stopped: the child goes too, so waitpid() cannot hang and
        # nothing keeps rendering for a request that has already been answered.
        os.kill(pid, signal.SIGKILL)
        if isinstance(exc, TimeoutError):
            logger.warning("report: rendering took longer than %g s; the renderer was stopped", timeout)
            raise ReportTimedOut(timeout) from None
        raise
    finally:
        os.close(read_fd)
        os.waitpid(pid, 0)
    if not payload:
        raise RuntimeError("the report renderer ended without a result")
    ok, value = pickle.loads(payload)  # noqa: S301 (written by our own child a moment ago)
    if ok:
        return value
    raise value


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _die_with(parent: int, timeout: float) -> None:
    """Let the kernel kill this child when the worker that forked it dies.

    gunicorn kills a worker that overran its timeout with SIGKILL, so no handler of the worker can stop the
    renderer; without this it would go on rendering for nobody and, holding the slot's lock (an inherited
    file descriptor), keep a render slot from everyone else. Where prctl is missing (not Linux), the child's
    own alarm ends it soon after REPORT_RENDER_TIMEOUT, when its worker would have stopped it anyway.
    """
    signal.signal(signal.SIGALRM, signal.SIG_DFL)  # whose default action ends the process
    signal.alarm(math.ceil(timeout) + 1)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the worker died before the line above took effect
        os._exit(1)


def _child(
    read_fd: int,
    write_fd: int,
    nice: int,
    func: Callable[..., Any],
    args: Any,
    kwargs: Any,
    parent: int,
    timeout: float,
) -> None:
    status = 1
    try:
        _die_with(parent, timeout)
        os.close(read_fd)
        # The worker's handlers (gunicorn's graceful shutdown, for one) are not for this child.
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2):
            signal.signal(sig, signal.SIG_DFL)
        os.nice(nice)
        try:
            payload = pickle.dumps((True, func(*args, **kwargs)), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # handed to the parent, which raises it
            payload = _pickled_error(exc)
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(payload)
        status = 0
    finally:
        os._exit(status)  # no atexit handlers, no flushing of the parent's buffers, no closing its connections


def _pickled_error(exc: BaseException) -> bytes:
    exc.add_note("In the report renderer process:\n" + "".join(traceback.format_exception(exc)))
    try:
        return pickle.dumps((False, exc), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}\n{exc.__notes__[-1]}")))


def _read_all(fd: int, timeout: float) -> bytes:
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"the report renderer took longer than {timeout:.0f} s")
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
