"""``manage.py backup`` and ``restore``: a deployment's rows, files and change history come
back whole in a fresh database and file root; a damaged backup or a database in use is
refused before anything changes; the embedded SQLite database is backed up too."""

import datetime
import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from committees.models import Document
from inspections.models import PetitionDocument
from reports.exports import export_run
from reports.models import ExportJob, JobStatus
from reports.services import export_request
from tests.conftest import DISTRICT_A
from tests.factories import PetitionFactory, TrainingFactory, area

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.long]

BASE_DIR = Path(__file__).resolve().parent.parent
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)


def _postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        message = "needs the PostgreSQL of scripts/with-services.sh (make test)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture
def fresh_database():
    """An empty database on the test server, dropped afterwards; its URL."""
    url = _postgres_url()
    name = f"{connection.settings_dict['NAME']}_restored"
    ident = sql.Identifier(name)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(ident))
    yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))


@pytest.fixture
def deployment(login, secretariat_a, provincial_staff, accepted_period, settings):
    """A deployment in use: reports through their workflow, a document and a petition's
    document uploaded, a training created then corrected, a summary exported."""
    client = login(secretariat_a)
    client.post(
        "/documents/new/",
        {
            "area": area(DISTRICT_A).pk,
            "kind": "plan",
            "number": "12-KH/BCĐ",
            "issued_on": "2024-02-20",
            "issuer": "Ban Chỉ đạo thành phố Hạ Long",
            "summary": "Kế hoạch thực hiện dân chủ ở cơ sở năm 2024",
            "file": SimpleUploadedFile("ke-hoach.pdf", PDF),
        },
    )
    training = TrainingFactory(
        area=area(DISTRICT_A),
        title="Tập huấn Luật Thực hiện dân chủ ở cơ sở",
        held_on=datetime.date(2024, 5, 6),
        audience="Cán bộ chủ chốt cấp xã",
        attendances=120,
    )
    training.attendances = 125
    training.save()
    petition = PetitionFactory(
        area=area(DISTRICT_A),
        channel="post",
        received_on=datetime.date(2024, 10, 1),
        subject="Khiếu nại về bồi thường",
        handling_body="UBND thành phố",
    )
    client.post(
        f"/petitions/{petition.pk}/documents/",
        {"title": "Quyết định giải quyết", "file": SimpleUploadedFile("qd.pdf", PDF)},
    )
    settings.QCDC_EXPORT_IN_THREAD = False
    job = export_request(actor=provincial_staff, format="xlsx", period=accepted_period)
    export_run(job.pk)
    assert Document.objects.exclude(file="").count() == 1
    assert PetitionDocument.objects.count() == 1
    assert ExportJob.objects.get().status == JobStatus.DONE
    return training


def _tables(url: str) -> dict[str, tuple[int, str]]:
    """Every table's rows and a fingerprint of their content, read with plain SQL."""
    found = {}
    with psycopg.connect(url) as conn:
        names = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
        for (name,) in names:
            table = sql.Identifier(name)
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                "FROM {} t"
            ).format(table)
            found[name] = tuple(conn.execute(query).fetchone())
    return found


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _source_url() -> str:
    url = _postgres_url()
    return urlunsplit(urlsplit(url)._replace(path="/" + connection.settings_dict["NAME"]))


def test_it_restores_every_row_file_and_change_into_a_fresh_database_and_file_root(
    deployment, fresh_database, tmp_path
):
    call_command("backup", output=tmp_path / "backups", stdout=open(os.devnull, "w"))  # noqa: SIM115
    (backup,) = (tmp_path / "backups").iterdir()
    assert sorted(p.name for p in backup.iterdir()) == [
        "database.dump",
        "manifest.json",
        "media.tar",
    ]
    restored_media = tmp_path / "restored-media"

    done = _manage(
        "restore", str(backup), DATABASE_URL=fresh_database, QCDC_MEDIA_ROOT=str(restored_media)
    )

    assert done.returncode == 0, done.stderr
    assert "Khôi phục đầy đủ và đã đối chiếu" in done.stdout
    source, restored = _tables(_source_url()), _tables(fresh_database)
    assert restored == source
    assert sum(rows for rows, _ in restored.values()) > 1000
    history = [t for t in restored if t.startswith(("committees_historical", "reports_historical"))]
    assert history and all(restored[t][0] for t in ("committees_historicaltraining",))
    files = _files(Path(settings.MEDIA_ROOT))
    assert len(files) == 3  # the document, the petition's document, the export
    assert {n.split("/")[0] for n in files} == {"documents", "petitions", "exports"}
    assert _files(restored_media) == files
    # The change history reads the same in the restored deployment: created, then corrected.
    with psycopg.connect(fresh_database) as conn:
        changes = conn.execute(
            "SELECT history_type, attendances FROM committees_historicaltraining "
            "WHERE id = %s ORDER BY history_id",
            [deployment.pk],
        ).fetchall()
    assert changes == [("+", 120), ("~", 125)]


def test_it_refuses_a_database_in_use_and_a_damaged_backup_before_changing_anything(
    db, fresh_database, tmp_path
):
    call_command("backup", output=tmp_path / "backups", stdout=open(os.devnull, "w"))  # noqa: SIM115
    (backup,) = (tmp_path / "backups").iterdir()
    before = _tables(_source_url())

    in_use = _manage(
        "restore", str(backup), DATABASE_URL=_source_url(), QCDC_MEDIA_ROOT=str(tmp_path / "o")
    )
    assert in_use.returncode != 0
    assert "Cơ sở dữ liệu đích đã có dữ liệu" in in_use.stderr

    with (backup / "media.tar").open("r+b") as archive:
        archive.seek(600)
        archive.write(b"X")
    damaged = _manage(
        "restore", str(backup), DATABASE_URL=fresh_database, QCDC_MEDIA_ROOT=str(tmp_path / "m")
    )
    assert damaged.returncode != 0
    assert "media.tar không khớp mã kiểm tra SHA-256" in damaged.stderr
    assert _tables(fresh_database) == {}
    assert not (tmp_path / "m").exists()
    assert _tables(_source_url()) == before


@pytest.mark.django_db(transaction=False)
def test_the_embedded_sqlite_database_is_backed_up_and_restored(tmp_path):
    # A database file as `make run` leaves it (a table, its rows), made without migrating:
    # the backup copies the file whatever it holds.
    first, second = tmp_path / "first", tmp_path / "second"
    (first / "media" / "documents").mkdir(parents=True)
    (first / "media" / "documents" / "a.pdf").write_bytes(PDF)
    with sqlite3.connect(first / "db.sqlite3") as db:
        db.execute("CREATE TABLE committees_training (id integer primary key, title text)")
        db.executemany("INSERT INTO committees_training (title) VALUES (?)", [("a",), ("b",)])
    db.close()
    embedded = {"DATABASE_URL": "", "DJANGO_DEBUG": "true"}
    made = _manage(
        "backup", "--output", str(tmp_path / "backups"), QCDC_VAR_DIR=str(first), **embedded
    )
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip().splitlines()[-1])
    assert (backup / "database.sqlite3").is_file()

    done = _manage("restore", str(backup), QCDC_VAR_DIR=str(second), **embedded)

    assert done.returncode == 0, done.stderr
    assert "1 bảng, 2 dòng; 1 tệp" in done.stdout
    with sqlite3.connect(second / "db.sqlite3") as db:
        assert db.execute("SELECT title FROM committees_training ORDER BY id").fetchall() == [
            ("a",),
            ("b",),
        ]
    db.close()
    assert (second / "media" / "documents" / "a.pdf").read_bytes() == PDF
