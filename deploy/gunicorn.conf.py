"""gunicorn for Simpatik: `gunicorn -c deploy/gunicorn.conf.py config.wsgi:application`.

Every value can be overridden from the environment (GUNICORN_*), so the systemd unit and the tests
use this one file. Sync workers: each request is short and CPU-bound (rendering, hashing, a few
queries); letters are rendered by Celery, not here.
"""

import multiprocessing
import os


def _env(nama, bawaan):
    return os.environ.get(f"GUNICORN_{nama}", bawaan)


bind = _env("BIND", "127.0.0.1:8000")
# (2 x cores) + 1 is gunicorn's rule for sync workers; each holds one PostgreSQL connection.
workers = int(_env("WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
# sync (one request at a time per worker) or gthread (GUNICORN_THREADS per worker); chosen by
# measurement in docs/benchmarks.md ("Server settings"). With gthread each thread holds its own
# PostgreSQL connection: workers x threads connections in all.
worker_class = _env("WORKER_CLASS", "sync")
threads = int(_env("THREADS", "1"))
# A request slower than this is killed (and logged); uploads are buffered by nginx first.
timeout = int(_env("TIMEOUT", "30"))
graceful_timeout = int(_env("GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = int(_env("MAX_REQUESTS", "2000"))
max_requests_jitter = int(_env("MAX_REQUESTS_JITTER", "200"))
# The app is imported once, before forking: workers start fast and share memory pages.
preload_app = True
# nginx on the same host: trust its X-Forwarded-Proto (Django's TRUSTED_PROXIES handles the client address).
forwarded_allow_ips = _env("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = _env("ACCESS_LOG", "-")  # "-" = stdout, collected by journald
errorlog = "-"
loglevel = _env("LOG_LEVEL", "info")
# Client as nginx saw it, the request id that also appears in the app's own log lines, and the time taken.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s "%(a)s"'
proc_name = "simpatik-web"
