"""``make load``: the portal under gunicorn, a Celery worker, PostgreSQL and Redis, with the
national data of ``make bench``, and simulated officials following real paths.

See load/README.md.
"""
