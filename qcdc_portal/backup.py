"""Backing up and restoring a deployment: the database and the stored files.

A backup is one directory (``qcdc-backup-<date>-<time>/``) holding

- ``database.dump`` — PostgreSQL's own custom format (``pg_dump -Fc``), or
  ``database.sqlite3`` — a consistent copy of the embedded SQLite database;
- ``media.tar`` — every stored file under ``QCDC_MEDIA_ROOT``: documents, committee
  decisions, petition documents, exports;
- ``manifest.json`` — what is in it: the rows of every table (counted in the very
  snapshot that was dumped), every file with its size and SHA-256, the checksums of the
  two archives, the migrations applied.

``restore`` checks the archives against the manifest before it touches anything, loads
them into an empty database and an empty file root (or replaces what is there when told
to), then counts the rows and hashes the files again and says what differs, if anything.
The database is dumped before the files are copied: every file a dumped row names exists
in the copy (files are written before their rows commit and are never rewritten).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media.tar"
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass
class Verification:
    """What a restore found, table by table and file by file."""

    tables: int = 0
    rows: int = 0
    files: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- helpers ---------------------------------------------------------------------------


def number(n: int) -> str:
    """1.883: thousands separated by dots, as Vietnamese writes them."""
    return f"{n:,}".replace(",", ".")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def stored_files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        yield from sorted(p for p in root.rglob("*") if p.is_file())


def file_list(root: Path) -> dict[str, dict[str, Any]]:
    return {
        p.relative_to(root).as_posix(): {"size": p.stat().st_size, "sha256": sha256(p)}
        for p in stored_files(root)
    }


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Chỉ sao lưu được PostgreSQL hoặc SQLite (cơ sở dữ liệu: {vendor}).")
    return vendor


def postgres_tool(name: str) -> str:
    """``pg_dump`` / ``pg_restore`` of the newest PostgreSQL installed (a dump must be
    read by a ``pg_restore`` at least as new as the ``pg_dump`` that wrote it)."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: [int(x) for x in p.parent.parent.name.split(".") if x.isdigit()],
    )
    found = str(candidates[-1]) if candidates else shutil.which(name)
    if not found:
        raise BackupError(f"Không tìm thấy {name} (gói postgresql-client).")
    return found


def libpq_env(database: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """The database as ``pg_dump``/``pg_restore`` take it: a connection string without the
    password, which goes in the environment (never on a command line ``ps`` shows)."""
    parts = {
        "dbname": database["NAME"],
        "host": database.get("HOST") or "",
        "port": str(database.get("PORT") or ""),
        "user": database.get("USER") or "",
    }
    conninfo = " ".join(f"{k}='{v}'" for k, v in parts.items() if v)
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return conninfo, env


def table_names() -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def row_counts(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        counts[table] = cursor.fetchone()[0]
    return counts


def migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


# --- backup ----------------------------------------------------------------------------


def backup(destination: Path, log: Callable[[str], None] = print) -> Path:
    """Write a backup into a new directory under ``destination``; returns it."""
    kind = engine()
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = Path(destination) / f"qcdc-backup-{stamp}"
    if target.exists():
        raise BackupError(f"{target} đã tồn tại.")
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        if kind == "postgresql":
            archive, counts = _dump_postgres(partial / PG_DUMP)
        else:
            archive, counts = _copy_sqlite(partial / SQLITE_COPY)
        rows = number(sum(counts.values()))
        log(f"cơ sở dữ liệu: {len(counts)} bảng, {rows} dòng → {archive.name}")
        files = _tar_media(partial / MEDIA)
        size = number(sum(f["size"] for f in files.values()))
        log(f"tệp: {len(files)} tệp, {size} byte → {MEDIA}")
        manifest = {
            "format": FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "engine": kind,
            "database": archive.name,
            "database_sha256": sha256(archive),
            "media": MEDIA,
            "media_sha256": sha256(partial / MEDIA),
            "migrations": migrations(),
            "tables": counts,
            "files": files,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return target


def _dump_postgres(path: Path) -> tuple[Path, dict[str, int]]:
    """``pg_dump -Fc`` of one snapshot, and the rows of each table counted in that same
    snapshot (a write during the backup changes neither)."""
    conninfo, env = libpq_env(connection.settings_dict)
    tables = table_names()
    connection.ensure_connection()
    raw = connection.connection
    previous = raw.autocommit
    raw.autocommit = False
    try:
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = row_counts(cursor, tables)
            command = [
                postgres_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={path}",
                f"--dbname={conninfo}",
            ]
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
            if done.returncode:
                raise BackupError(f"pg_dump thất bại: {done.stderr.strip()}")
        raw.rollback()
    finally:
        raw.autocommit = previous
    return path, counts


def _copy_sqlite(path: Path) -> tuple[Path, dict[str, int]]:
    """SQLite's online backup: a consistent copy even while the portal writes."""
    source = Path(connection.settings_dict["NAME"])
    with sqlite3.connect(source) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    with sqlite3.connect(path) as copy:
        cursor = copy.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        tables = [name for (name,) in cursor.fetchall() if not name.startswith("sqlite_")]
        counts = {t: copy.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
    copy.close()
    return path, counts


def _tar_media(path: Path) -> dict[str, dict[str, Any]]:
    root = media_root()
    files = file_list(root)
    with tarfile.open(path, "w") as tar:
        for name in files:
            tar.add(root / name, arcname=name, recursive=False)
    return files


# --- restore ---------------------------------------------------------------------------


def read_manifest(source: Path) -> dict[str, Any]:
    path = Path(source) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} không phải là bản sao lưu (thiếu {MANIFEST}).")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Định dạng sao lưu {manifest.get('format')} không được hỗ trợ.")
    return manifest


def check_archives(source: Path, manifest: dict[str, Any]) -> None:
    for name, key in (
        (manifest["database"], "database_sha256"),
        (manifest["media"], "media_sha256"),
    ):
        path = Path(source) / name
        if not path.is_file():
            raise BackupError(f"Bản sao lưu thiếu tệp {name}.")
        if sha256(path) != manifest[key]:
            raise BackupError(f"{name} không khớp mã kiểm tra SHA-256: bản sao lưu bị hỏng.")


def restore(
    source: Path, replace: bool = False, log: Callable[[str], None] = print
) -> Verification:
    """Load a backup into this deployment's database and file root, then verify it.

    Refuses, before changing anything, a damaged backup, one of another engine, and a
    database or file root that already holds data (unless ``replace``).
    """
    source = Path(source)
    manifest = read_manifest(source)
    kind = engine()
    if manifest["engine"] != kind:
        raise BackupError(
            f"Bản sao lưu là của {manifest['engine']}, cơ sở dữ liệu hiện tại là {kind}."
        )
    check_archives(source, manifest)
    root = media_root()
    if not replace:
        if _has_data(kind):
            raise BackupError(
                "Cơ sở dữ liệu đích đã có dữ liệu: hãy khôi phục vào một cơ sở dữ liệu mới, "
                "hoặc dùng --replace để xóa và thay thế."
            )
        if any(stored_files(root)):
            raise BackupError(
                f"Thư mục tệp {root} đã có tệp: hãy khôi phục vào một thư mục trống, "
                "hoặc dùng --replace để thay thế."
            )
    if kind == "postgresql":
        _restore_postgres(source / manifest["database"], replace)
    else:
        _restore_sqlite(source / manifest["database"])
    log(f"cơ sở dữ liệu: đã nạp {manifest['database']}")
    _restore_media(source / manifest["media"], root, replace)
    log(f"tệp: đã giải nén {len(manifest['files'])} tệp vào {root}")
    return verify(manifest)


def _has_data(kind: str) -> bool:
    if kind == "sqlite" and not Path(connection.settings_dict["NAME"]).exists():
        return False
    return bool(table_names())


def _restore_postgres(dump: Path, replace: bool) -> None:
    conninfo, env = libpq_env(connection.settings_dict)
    connection.close()
    command = [
        postgres_tool("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={conninfo}",
    ]
    if replace:
        command += ["--clean", "--if-exists"]
    command.append(str(dump))
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise BackupError(f"pg_restore thất bại (không có gì bị thay đổi): {done.stderr.strip()}")


def _restore_sqlite(copy: Path) -> None:
    target = Path(connection.settings_dict["NAME"])
    connection.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(copy) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def _restore_media(archive: Path, root: Path, replace: bool) -> None:
    if replace and root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        # The "data" filter refuses absolute names, links out of the root and devices.
        tar.extractall(root, filter="data")


def verify(manifest: dict[str, Any]) -> Verification:
    """Count the rows and hash the files of this deployment against the manifest."""
    result = Verification()
    with connection.cursor() as cursor:
        present = set(table_names())
        missing = sorted(set(manifest["tables"]) - present)
        result.problems += [f"bảng {t} không có" for t in missing]
        counts = row_counts(cursor, sorted(set(manifest["tables"]) & present))
    for table, expected in manifest["tables"].items():
        if table in counts and counts[table] != expected:
            result.problems.append(f"bảng {table}: {counts[table]} dòng, cần {expected}")
    result.tables = len(counts)
    result.rows = sum(counts.values())
    found = file_list(media_root())
    for name, expected in manifest["files"].items():
        if name not in found:
            result.problems.append(f"tệp {name} không có")
        elif found[name]["sha256"] != expected["sha256"]:
            result.problems.append(f"tệp {name} khác mã SHA-256")
    result.files = sum(1 for name in manifest["files"] if name in found)
    result.bytes = sum(found[name]["size"] for name in manifest["files"] if name in found)
    return result
