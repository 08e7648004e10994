"""gunicorn for production: sync workers on loopback behind a TLS reverse proxy (deploy/nginx.conf.example).

    gunicorn -c deploy/gunicorn.conf.py        (or `make serve`, which also migrates and collects static files)

Everything an operator changes comes from the environment: GUNICORN_BIND, WEB_CONCURRENCY (workers),
TRUSTED_PROXIES (whose X-Forwarded-Proto gunicorn believes; the app reads the same list for X-Forwarded-For)
and GUNICORN_ACCESS_LOG.
"""

import gc
import os

wsgi_app = "compliance_wizard.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: a wizard step takes milliseconds, a report renders in a child process (report/isolated.py).
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or 0) or 2 * (os.cpu_count() or 1) + 1
# A report may wait up to 20 s for a render slot (REPORT_RENDER_WAIT) and then take a few seconds more.
timeout = 60
graceful_timeout = 30
# The application is imported once in the master and shared by the workers copy-on-write.
preload_app = True
# The heartbeat file lives in memory: a slow disk must not get a worker killed.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 (gunicorn makes a private file)

# No control socket: it has one default path per user, which several gunicorns on one machine would share.
control_socket_disable = True

# The proxy in front says which requests came in over HTTPS; nobody else may (default: loopback only).
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES") or "127.0.0.1,::1"

# No access log unless asked for; and then without path, referrer and address: paths carry the tokens that
# open people's answers, and addresses are personal data.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%(t)s "%(m)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def when_ready(server):
    # Import every view in the master, so that no worker's first request pays for it.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (loading it is the point)
    # The imported application never becomes garbage: the collector need not look at it in any worker again.
    gc.freeze()


def post_worker_init(worker):
    # Loads WeasyPrint, Pango and the fonts before the worker's first request (see compliance_wizard/warm.py).
    from compliance_wizard.warm import warm_up

    worker.log.info("worker %s warmed up in %.1f s", os.getpid(), warm_up())
    # Nor at what the warm-up loaded: without this every full collection walks WeasyPrint, Pango and the
    # fonts again, a pause of a few hundred milliseconds every few thousand requests (bench/README.md).
    gc.collect()  # the warm-up's own garbage first: frozen objects are never freed
    gc.freeze()
