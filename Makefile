# QCDC Portal — the commands of the README.
#   make run    set everything up and serve the portal on http://127.0.0.1:8000 (SQLite, gunicorn)
#   make test   install what the tests need and run the whole suite (PostgreSQL, Redis, Chromium)
#   make dev    the same portal for developers: runserver, debug pages, auto-reload
#   make lint   ruff, formatting, migrations and translations up to date
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# uv from PATH, else the one pip installed for this Python (python -m uv).
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
MANAGE := $(UV) run --frozen python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Served on every interface: also answer to this machine's name and addresses.
ifneq ($(filter 0.0.0.0 ::,$(HOST)),)
RUN_HOSTS ?= 127.0.0.1,localhost,$(shell hostname 2>/dev/null),$(shell hostname -I 2>/dev/null | xargs | tr ' ' ',')
else
RUN_HOSTS ?= 127.0.0.1,localhost,$(HOST)
endif
# make run: the product as users get it (no debug pages), over plain HTTP on this machine,
# its signing key made once in var/ and kept.
RUN_ENV := DJANGO_DEBUG=false DJANGO_HTTPS=false DJANGO_SECRET_KEY_FILE=var/secret_key \
	DJANGO_ALLOWED_HOSTS="$(RUN_HOSTS)" QCDC_STATIC_BROTLI=false
# make dev, lint, messages: debug mode.
DEV_ENV := DJANGO_DEBUG=true DJANGO_HTTPS=false

.PHONY: help uv deps run dev demo test lint format messages bench load soak

# Every Python process of a test run (pytest and its two workers, lint's manage.py, the
# subprocesses of the settings, export-worker and benchmark tests) imports the same ~1,700
# modules. Where PYTHONDONTWRITEBYTECODE is set, each compiled them again (2 s of CPU per
# process): the compiled files are kept, once, under var/ (outside the source tree).
test lint bench: export PYTHONDONTWRITEBYTECODE :=
test lint bench: export PYTHONPYCACHEPREFIX := $(CURDIR)/var/pycache

help:
	@echo "make run   — cài đặt và chạy cổng thông tin tại http://$(HOST):$(PORT)/"
	@echo "make test  — cài các công cụ cần thiết và chạy toàn bộ bộ kiểm thử"
	@echo "make dev   — chạy cho lập trình viên: trang lỗi chi tiết, tự nạp lại khi sửa mã"
	@echo "make lint  — kiểm tra mã nguồn, migration và bản dịch"
	@echo "make load  — chạy thử tải tháng 12 (200 cán bộ giả lập, dữ liệu toàn quốc)"
	@echo "make soak  — kiểm tra không mất dữ liệu khi worker, PostgreSQL, Redis dừng"

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 \
		|| python3 -m pip install --quiet uv

deps: uv
	$(UV) sync --frozen

var/secret_key:
	@mkdir -p var
	@umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# Collected again only when a static file or a dependency changed.
var/static/staticfiles.json: $(shell find static -type f) uv.lock | var/secret_key
	$(RUN_ENV) $(MANAGE) collectstatic --noinput --clear --verbosity 0

demo: deps var/secret_key
	$(RUN_ENV) $(MANAGE) migrate --noinput
	$(RUN_ENV) $(MANAGE) load_areas --if-incomplete
	$(RUN_ENV) $(MANAGE) seed_demo

run: demo var/static/staticfiles.json
	@echo ""
	@echo "  Cổng thông tin: http://$(HOST):$(PORT)/   (dừng: Ctrl+C)"
	@echo ""
	$(RUN_ENV) HOST=$(HOST) PORT=$(PORT) $(UV) run --frozen \
		gunicorn qcdc_portal.wsgi --config qcdc_portal/gunicorn_embedded.py

dev: demo
	$(DEV_ENV) $(MANAGE) runserver $(HOST):$(PORT)

# --dist worksteal: each worker starts on its half of the suite, in order (a module's
# tests stay together, so its module-scoped fixtures are made once), and a worker that
# runs out takes tests from the other's end.
test: deps
	scripts/install-test-deps.sh
	$(MAKE) --no-print-directory lint
	scripts/with-services.sh $(UV) run --frozen pytest -n 2 --dist worksteal $(PYTEST_ARGS)

# makemigrations runs Django's system checks (manage.py check) before it looks at the
# models: one process for both.
lint: deps
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(DEV_ENV) $(MANAGE) makemigrations --check --dry-run

format: deps
	$(UV) run --frozen ruff check --fix .
	$(UV) run --frozen ruff format .

messages: deps
	$(DEV_ENV) $(MANAGE) makemessages -l en --no-obsolete --ignore ".venv/*" --ignore "tests/*"
	$(DEV_ENV) $(MANAGE) compilemessages -l en -l vi --ignore ".venv/*"

bench: deps
	scripts/install-test-deps.sh
	scripts/with-services.sh $(UV) run --frozen python -m bench $(BENCH_ARGS)

# A bounded load run (about 10 minutes on 2 cores with the national data; LOAD_SCALE=small
# for one province): load/README.md. Its result: var/load/latest.txt.
load: deps
	scripts/install-test-deps.sh
	scripts/with-services.sh $(UV) run --frozen python -m load $(LOAD_ARGS)

# Nothing lost (about 10 minutes): killed export workers, concurrent saves, PostgreSQL and
# Redis stopped under load, each repeated and counted (load/README.md); var/soak/latest.txt.
soak: deps
	scripts/install-test-deps.sh
	scripts/with-services.sh $(UV) run --frozen python -m soak $(SOAK_ARGS)
