"""Backups of the database and the media files (photos, report files) into one .tar.gz, and their restore.

An archive holds:

- ``database/db.sqlite3`` (SQLite, copied with sqlite3's online backup API, safe while the app runs) or
  ``database/db.pgdump`` (PostgreSQL, ``pg_dump --format=custom``, one consistent snapshot);
- ``media/<path>``: every file under MEDIA_ROOT;
- ``manifest.json``: the format, the database vendor, and the SHA-256 and size of every file above.

The database is dumped before the media files are copied, so every row in the dump finds its file.
Restore extracts into a staging folder, verifies every hash against the manifest, and only then replaces
the database (PostgreSQL: in one transaction) and moves the media files into place; it ends with
``migrate`` so an archive from an older release comes back migrated.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_DIR = "database"
MEDIA_DIR = "media"
DATABASE_FILES = {"sqlite": "db.sqlite3", "postgresql": "db.pgdump"}
# Restore stages files inside MEDIA_ROOT (same file system, so moving them into place is a rename);
# backups skip these folders.
STAGING_PREFIX = ".restore-"
CHUNK = 1024 * 1024

# Empties the current schema before the dump is replayed, inside the same transaction as the replay.
PG_DROP_ALL = """
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT viewname AS name FROM pg_views WHERE schemaname = current_schema() LOOP
    EXECUTE format('DROP VIEW IF EXISTS %I CASCADE', r.name);
  END LOOP;
  FOR r IN SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', r.name);
  END LOOP;
  FOR r IN SELECT sequencename AS name FROM pg_sequences WHERE schemaname = current_schema() LOOP
    EXECUTE format('DROP SEQUENCE IF EXISTS %I CASCADE', r.name);
  END LOOP;
END $$;
"""


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Chinese)."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    vendor: str
    media_files: int


@dataclass(frozen=True)
class RestoreResult:
    vendor: str
    media_files: int
    created_at: str


class _HashingReader:
    """Reads a file for tarfile while hashing and counting what went through."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _("找不到 %(tool)s：请安装与数据库服务器同版本的 PostgreSQL 客户端（postgresql-client）。")
            % {"tool": name}
        )
    return path


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for the connection Django uses (the test database's name in tests)."""
    env = dict(os.environ)
    for key, var in (("NAME", "PGDATABASE"), ("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return env


def _run(args: list[str], env: dict[str, str]) -> str:
    completed = subprocess.run(args, env=env, capture_output=True, check=False)  # noqa: S603 (fixed argv)
    if completed.returncode != 0:
        raise BackupError(
            _("%(tool)s 执行失败：%(error)s")
            % {"tool": Path(args[0]).name, "error": completed.stderr.decode(errors="replace").strip()}
        )
    return completed.stdout.decode(errors="replace")


def _vendor(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(_("不支持的数据库类型：%(vendor)s。") % {"vendor": connection.vendor})
    return connection.vendor


# --- Backup -----------------------------------------------------------------------------------------


def _dump_database(connection: BaseDatabaseWrapper, target: Path) -> dict[str, str]:
    """Write the database to `target`; returns what the manifest records about the tools."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            # The online backup API copies a consistent snapshot page by page while others keep writing.
            connection.connection.backup(copy)
            # The copy stands alone: no WAL file beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
            if copy.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise BackupError(_("SQLite 数据库副本校验失败。"))
        finally:
            copy.close()
        return {"sqlite_version": sqlite3.sqlite_version}
    pg_dump = _tool("pg_dump")
    env = _pg_env(connection.settings_dict)
    _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"], env)
    return {
        "pg_dump_version": _run([pg_dump, "--version"], env).strip(),
        "server_version": str(getattr(connection, "pg_version", "")),
    }


def _media_files(media_root: Path, skip: Path | None = None) -> Iterator[Path]:
    """Every file under MEDIA_ROOT but restore's staging folders (and `skip`, a backup folder inside it)."""
    if not media_root.is_dir():
        return
    for path in sorted(media_root.rglob("*")):
        relative = path.relative_to(media_root)
        if relative.parts[0].startswith(STAGING_PREFIX) or (skip is not None and path.is_relative_to(skip)):
            continue
        if path.is_file() and not path.is_symlink():
            yield path


def _add_file(tar: tarfile.TarFile, source: Path, name: str) -> dict[str, Any]:
    with source.open("rb") as raw:
        info = tarfile.TarInfo(name)
        stat = os.fstat(raw.fileno())
        info.size = stat.st_size
        info.mtime = int(stat.st_mtime)
        info.mode = 0o600
        reader = _HashingReader(raw)
        tar.addfile(info, reader)  # tarfile only calls read()
    return {"sha256": reader.digest.hexdigest(), "size": reader.size}


def create_backup(out_dir: Path, *, using: str = "default") -> BackupResult:
    """Write one archive of the database and MEDIA_ROOT into `out_dir`; returns its path."""
    connection = connections[using]
    vendor = _vendor(connection)
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT).resolve()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    final = out_dir / f"wushan-backup-{stamp}.tar.gz"
    counter = 1
    while final.exists():
        counter += 1
        final = out_dir / f"wushan-backup-{stamp}-{counter}.tar.gz"
    partial = final.with_name(final.name + ".partial")

    with tempfile.TemporaryDirectory(prefix="wushan-backup-") as work:
        dump = Path(work) / DATABASE_FILES[vendor]
        tools = _dump_database(connection, dump)
        media: list[dict[str, Any]] = []
        try:
            # The archive holds every account's password hash: only its owner may read it.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as output, tarfile.open(fileobj=output, mode="w:gz") as tar:
                database = {
                    "vendor": vendor,
                    "file": f"{DATABASE_DIR}/{dump.name}",
                    **_add_file(tar, dump, f"{DATABASE_DIR}/{dump.name}"),
                    **tools,
                }
                for path in _media_files(media_root, skip=out_dir):
                    relative = path.relative_to(media_root).as_posix()
                    media.append({"path": relative, **_add_file(tar, path, f"{MEDIA_DIR}/{relative}")})
                manifest = {
                    "format": FORMAT,
                    "created_at": timezone.localtime().isoformat(),
                    "database": database,
                    "media": media,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
                tar.addfile(info, io.BytesIO(data))
            partial.replace(final)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupResult(path=final, vendor=vendor, media_files=len(media))


# --- Restore ----------------------------------------------------------------------------------------


def target_is_empty(*, using: str = "default") -> bool:
    """True when restoring overwrites nothing: no table in the database and no file in MEDIA_ROOT."""
    connection = connections[using]
    if connection.introspection.table_names():
        return False
    media_root = Path(settings.MEDIA_ROOT)
    return not any(_media_files(media_root))


def _member_name(member: tarfile.TarInfo) -> PurePosixPath:
    """The member's path if it is a plain file at a safe relative path; anything else is refused."""
    name = PurePosixPath(member.name)
    if (
        not member.isreg()
        or name.is_absolute()
        or any(part in ("", ".", "..") for part in name.parts)
        or "\\" in member.name
        or (
            member.name != MANIFEST
            and (len(name.parts) < 2 or name.parts[0] not in (DATABASE_DIR, MEDIA_DIR))
        )
        or (name.parts[0] == MEDIA_DIR and name.parts[1].startswith(STAGING_PREFIX))
    ):
        raise BackupError(_("备份文件中有不允许的条目：%(name)s。") % {"name": member.name})
    return name


def _extract(archive: Path, staging: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Extract every member into `staging`, hashing as it goes; returns the manifest and the hashes."""
    hashes: dict[str, str] = {}
    manifest: dict[str, Any] | None = None
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                name = _member_name(member)
                source = tar.extractfile(member)
                if source is None:  # never for a regular member; keeps the type checker honest
                    raise BackupError(_("无法读取备份文件：%(error)s") % {"error": member.name})
                if member.name == MANIFEST:
                    manifest = json.loads(source.read(10 * 1024 * 1024))
                    continue
                if member.name in hashes:
                    raise BackupError(_("备份文件中有重复条目：%(name)s。") % {"name": member.name})
                target = staging.joinpath(*name.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with target.open("xb") as output:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        output.write(chunk)
                hashes[member.name] = digest.hexdigest()
    except (tarfile.TarError, OSError, EOFError, json.JSONDecodeError) as error:
        raise BackupError(_("无法读取备份文件：%(error)s") % {"error": error}) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("备份文件缺少清单（manifest.json）或格式版本不受支持。"))
    return manifest, hashes


def _verify(manifest: dict[str, Any], hashes: dict[str, str]) -> None:
    """Every file the manifest lists is in the archive with its hash, and the archive holds nothing else."""
    try:
        database = manifest["database"]
        expected = {str(database["file"]): str(database["sha256"])}
        for entry in manifest["media"]:
            expected[f"{MEDIA_DIR}/{entry['path']}"] = str(entry["sha256"])
    except (KeyError, TypeError) as error:
        raise BackupError(_("备份清单（manifest.json）不完整：%(error)s") % {"error": error}) from error
    if not next(iter(expected)).startswith(f"{DATABASE_DIR}/"):
        raise BackupError(_("备份清单（manifest.json）不完整：%(error)s") % {"error": "database.file"})
    missing = sorted(set(expected) - set(hashes))
    extra = sorted(set(hashes) - set(expected))
    changed = sorted(name for name in set(expected) & set(hashes) if expected[name] != hashes[name])
    if missing or extra or changed:
        raise BackupError(
            _("备份文件校验失败：缺少 %(missing)s，多出 %(extra)s，哈希不符 %(changed)s。")
            % {
                "missing": ", ".join(missing) or "-",
                "extra": ", ".join(extra) or "-",
                "changed": ", ".join(changed) or "-",
            }
        )


def _restore_database(connection: BaseDatabaseWrapper, dump: Path, staging: Path) -> None:
    if connection.vendor == "sqlite":
        # Django's own connection is the destination, so this also works on the in-memory test database.
        connection.close()
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    env = _pg_env(connection.settings_dict)
    script = staging / "restore.sql"
    # pg_restore turns the dump into SQL first, so that a damaged dump changes nothing; psql then empties
    # the schema and replays the script in one transaction: the database is either restored or untouched.
    _run([_tool("pg_restore"), "--no-owner", "--no-privileges", f"--file={script}", str(dump)], env)
    connection.close()
    _run(
        [
            _tool("psql"),
            "--no-psqlrc",
            "--quiet",
            "--set=ON_ERROR_STOP=1",
            "--single-transaction",
            f"--command={PG_DROP_ALL}",
            f"--file={script}",
        ],
        env,
    )


def restore_backup(archive: Path, *, overwrite: bool, using: str = "default") -> RestoreResult:
    """Replace the database and put back the media files from `archive`, then migrate.

    Refuses (BackupError) to overwrite a database with tables or a MEDIA_ROOT with files unless
    `overwrite`, and changes nothing unless every file matches the manifest.
    """
    connection = connections[using]
    vendor = _vendor(connection)
    if not archive.is_file():
        raise BackupError(_("找不到备份文件：%(path)s。") % {"path": archive})
    if not overwrite and not target_is_empty(using=using):
        raise BackupError(
            _("当前数据库或媒体目录中已有数据，恢复会覆盖它们。确认无误后请加 --yes 重新运行。")
        )
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=media_root))
    try:
        manifest, hashes = _extract(archive, staging)
        _verify(manifest, hashes)
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(
                _("该备份来自 %(backup)s 数据库，当前数据库是 %(current)s，不能直接恢复。")
                % {"backup": manifest["database"]["vendor"], "current": vendor}
            )
        _restore_database(connection, staging.joinpath(*manifest["database"]["file"].split("/")), staging)
        for entry in manifest["media"]:
            relative = PurePosixPath(entry["path"])
            target = media_root.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            staging.joinpath(MEDIA_DIR, *relative.parts).replace(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    call_command("migrate", database=using, interactive=False, verbosity=0)
    # Content-type ids come from the restored rows now, not from what was cached before.
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    return RestoreResult(vendor=vendor, media_files=len(manifest["media"]), created_at=manifest["created_at"])
