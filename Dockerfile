# syntax=docker/dockerfile:1
#
# Production image of the QCDC Portal: one image for the web (gunicorn), the Celery
# worker and Celery beat; docker-compose.yml picks the command for each.
#
#   docker build -t qcdc-portal .
#   docker run --env-file .env -p 8000:8000 qcdc-portal
#
# All configuration comes from environment variables (see .env.example); nothing secret
# is baked into the image.

FROM python:3.11-slim-bookworm

# System libraries WeasyPrint needs to render PDFs (Pango, HarfBuzz subsetting) and the
# Liberation fonts the printed reports use; pg_dump and pg_restore (PostgreSQL 15, as in
# docker-compose.yml) for manage.py backup / restore.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-liberation \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# uv from PyPI, pinned to the version the lock file was written with.
RUN pip install --no-cache-dir "uv==0.13.9"

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.11 \
    PATH="/app/.venv/bin:${PATH}" \
    GUNICORN_WORKERS=3

# Collected static files live outside /app/var: that directory is a volume at run time
# and would otherwise hide (or keep stale) the files collected in this build.
ENV QCDC_STATIC_ROOT=/app/staticfiles

WORKDIR /app

# Dependencies first, so this layer is rebuilt only when pyproject.toml or uv.lock change.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project --no-cache

# Then the project itself (.dockerignore keeps .venv, var/, .git and caches out).
COPY . .
RUN uv sync --frozen --no-dev --no-cache

# Static files, compressed and hashed for WhiteNoise. The settings refuse to load
# without a secret key, so this step gets a throw-away one that exists only in this RUN
# (a build arg, never an ENV: it is not in the final image's environment).
ARG COLLECTSTATIC_SECRET_KEY=collectstatic-build-only-not-a-real-secret
RUN DJANGO_SECRET_KEY="${COLLECTSTATIC_SECRET_KEY}" DJANGO_DEBUG=false \
    python manage.py collectstatic --noinput

# An unprivileged user with a home directory (gunicorn puts its control socket there).
# /app/var (uploaded media, celery beat schedule) is created owned by it, so a fresh
# named volume mounted there inherits that ownership.
RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --create-home --home-dir /home/app \
        --shell /usr/sbin/nologin app \
    && mkdir -p /app/var/media \
    && chown -R app:app /app/var

USER app

EXPOSE 8000

# No HEALTHCHECK here: the same image runs the Celery worker and beat, which serve no
# HTTP; docker-compose.yml checks /healthz on the web service only.
#
# Shell form through `sh -c` so GUNICORN_WORKERS is read at start; `exec` keeps
# gunicorn as PID 1 so it receives SIGTERM directly. The worker heartbeat goes to
# /dev/shm (tmpfs) to avoid stalls on the overlay filesystem.
CMD ["sh", "-c", "exec gunicorn qcdc_portal.wsgi --bind 0.0.0.0:8000 --workers ${GUNICORN_WORKERS:-3} --worker-tmp-dir /dev/shm --access-logfile - --error-logfile -"]
