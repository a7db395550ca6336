"""The embedded default as ``make run`` serves it: gunicorn, debug off, SQLite in its own
directory, static files collected and served by the portal, tasks without a broker.

One server for the module (its set-up migrates SQLite, loads Quảng Ninh and the demo:
half a minute), driven over HTTP and by a real Chromium.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parent.parent.parent
GUNICORN_CONFIG = "qcdc_portal/gunicorn_embedded.py"
DEMO_PASSWORD = "qcdc-demo-2024"

# One worker runs the whole module, so the server is set up once.
pytestmark = [pytest.mark.xdist_group("embedded"), pytest.mark.long]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _embedded_env(var: Path, port: int) -> dict[str, str]:
    """make run's RUN_ENV, with the data in ``var``; nothing of the test settings."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "QCDC_", "REDIS_"))
    }
    key = var / "secret_key"
    key.write_text("embedded-test-key-" + "x" * 40)
    return {
        **keep,
        "DJANGO_DEBUG": "false",
        "DJANGO_HTTPS": "false",
        "DJANGO_SECRET_KEY_FILE": str(key),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "QCDC_STATIC_BROTLI": "false",
        "QCDC_VAR_DIR": str(var),
        "QCDC_STATIC_ROOT": str(var / "static"),
        "HOST": "127.0.0.1",
        "PORT": str(port),
    }


def _manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _wait_for(url: str, server: subprocess.Popen, timeout: float = 180) -> None:
    """Once the server answers. One that exits fails at once; one that boots slowly (the
    suite's other worker and a browser share 2 cores) is given minutes."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            _get(url)
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    port = _free_port()
    env = _embedded_env(var, port)
    _manage(env, "migrate", "--noinput")
    _manage(env, "load_areas", "--province", "22")
    _manage(env, "seed_demo")
    _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    log = (var / "gunicorn.log").open("w")
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    server = subprocess.Popen(
        [gunicorn, "qcdc_portal.wsgi", "--config", GUNICORN_CONFIG],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{url}/healthz", server)
        yield url, var
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_make_run_serves_with_gunicorn_and_debug_off():
    """The fixture above starts what `make run` starts (checked on the Makefile itself)."""
    dry = subprocess.run(
        ["make", "-n", "run", "HOST=127.0.0.1", "PORT=8000"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "DJANGO_DEBUG=false" in dry
    assert f"gunicorn qcdc_portal.wsgi --config {GUNICORN_CONFIG}" in re.sub(r"\\\n\s*", "", dry)
    assert "collectstatic" in dry or Path(ROOT, "var/static/staticfiles.json").exists()


def test_it_serves_the_login_page_on_sqlite_without_a_broker(embedded):
    url, var = embedded
    status, _headers, body = _get(f"{url}/accounts/login/")
    assert status == 200
    assert "Đăng nhập" in body.decode()
    assert (var / "db.sqlite3").exists()
    status, _headers, body = _get(f"{url}/healthz")
    assert b'"broker": "not configured"' in body


def test_it_serves_its_static_files_hashed_compressed_and_cached(embedded):
    url, _var = embedded
    _status, _headers, body = _get(f"{url}/accounts/login/")
    css = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', body.decode())
    assert css, "the page names its stylesheet by its hashed name"
    status, headers, _body = _get(url + css.group(1))
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]


def test_it_answers_json_under_the_api(embedded):
    url, _var = embedded
    status, headers, body = _get(f"{url}/api/v1/areas/1.5/")
    assert status == 404
    assert headers["Content-Type"] == "application/json"
    assert "Không tìm thấy" in body.decode()


def _log_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    expect(page.get_by_test_id("user-menu")).to_be_visible()


@pytest.mark.browser
def test_a_wrong_address_shows_the_portals_vietnamese_page(embedded, page):
    url, _var = embedded
    _log_in(page, url, "xem.quangninh")
    response = page.goto(f"{url}/trainings/999999/")
    assert response.status == 404
    expect(page.get_by_test_id("error-title")).to_have_text("Không tìm thấy trang")
    expect(page.locator("body")).not_to_contain_text("URLconf")
    expect(page.locator("body")).not_to_contain_text("Page not found")
    # The page keeps the portal's menu and its way home.
    page.get_by_role("link", name="Về trang chủ").click()
    expect(page.get_by_test_id("scope-card").first).to_be_visible()


@pytest.mark.browser
def test_a_viewer_who_tries_to_write_gets_the_portals_vietnamese_page(embedded, page):
    url, _var = embedded
    _log_in(page, url, "xem.quangninh")
    response = page.goto(f"{url}/trainings/new/")
    assert response.status == 403
    expect(page.get_by_test_id("error-title")).to_have_text(
        "Bạn không có quyền thực hiện thao tác này"
    )
    expect(page.locator("body")).not_to_contain_text("Forbidden")
