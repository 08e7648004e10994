"""gunicorn settings of the benchmark: the production shape (sync workers on loopback), for the app and the reference.

The runner passes the address, the worker count and the warm-up functions through the environment, so the
app and the reference wizard are served by exactly these settings.
"""

import gc
import importlib
import os
import time

bind = os.environ.get("BENCH_BIND", "127.0.0.1:8100")
worker_class = "sync"
workers = int(os.environ.get("BENCH_WORKERS", "0")) or 2 * (os.cpu_count() or 1) + 1
# The application is imported once in the master and shared by the workers copy-on-write.
preload_app = True
timeout = 60
graceful_timeout = 10
# The heartbeat file lives in memory: a busy disk must not get a worker killed.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 (gunicorn's own advice)
# No control socket: its default path is one per user, so gunicorns running side by side (the app and the
# reference, or a test's server) would take each other's commands.
control_socket_disable = True
accesslog = None
errorlog = os.environ.get("BENCH_ERRORLOG", "-")
loglevel = "info"


def when_ready(server):
    # Import every view (the URLconf is otherwise loaded by the first request of each worker).
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (the attribute loads the URLconf)
    # The imported application never becomes garbage: the collector need not look at it in any worker again.
    gc.freeze()


def post_worker_init(worker):
    """Run the app's warm-up functions in each new worker before it accepts its first request."""
    started = time.perf_counter()
    for path in filter(None, os.environ.get("BENCH_WARM_UP", "").split(",")):
        module, _, name = path.rpartition(".")
        getattr(importlib.import_module(module), name)()
    freeze_what_is_loaded()
    worker.log.info("worker %s warmed up in %.3f s", os.getpid(), time.perf_counter() - started)


def freeze_what_is_loaded() -> None:
    """Keep what the warm-up loaded (WeasyPrint, Pango, fonts) out of every later garbage collection.

    Without it each full collection walks those objects again: in a warm worker that is a pause of a
    few hundred milliseconds every few thousand requests, which lands on whichever request is running.
    """
    gc.collect()  # the warm-up's own garbage first: frozen objects are never freed
    gc.freeze()
