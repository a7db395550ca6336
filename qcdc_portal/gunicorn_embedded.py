"""Gunicorn settings of the embedded default (``make run``): the production server, on
one machine, without a broker.

Threaded workers (``gthread``): a worker answers its heartbeat from its main thread while
its request threads work, so a long request (an XLSX export of a whole list) does not
get it killed, and an export rendered in a background thread (``QCDC_EXPORT_IN_THREAD``,
``reports.exports``) runs to its end beside the requests. Workers are never recycled
(no ``max_requests``): recycling would kill such a rendering half way.
"""

import os

_host = os.environ.get("HOST", "127.0.0.1")
_port = os.environ.get("PORT", "8000")

bind = [f"[{_host}]:{_port}" if ":" in _host else f"{_host}:{_port}"]
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# The application is imported, and warmed up (``qcdc_portal.warmup``), once in the master
# before the workers fork: they start at once and share its memory.
preload_app = True
# Seconds a request may take before its worker is restarted (an import of 5,000 rows, a
# list exported to XLSX); the background exports are not requests and have their own
# limit (QCDC_EXPORT_TIME_LIMIT).
timeout = 120
# Ctrl+C: requests under way get this long to finish.
graceful_timeout = 20
accesslog = "-"
errorlog = "-"
# The access log as officials read it: time, address, request, status, size, duration.
access_log_format = '%(t)s %(h)s "%(r)s" %(s)s %(B)s %(M)sms'
# No control socket (gunicornc): its one path per user would be shared by every portal
# this user serves, a second `make run` or a test's server included.
control_socket_disable = True
