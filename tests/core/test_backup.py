"""manage.py backup / restore: a round trip through a wipe brings back every row and every file, byte for byte.

Runs on the database the suite runs on (SQLite by default, PostgreSQL when DATABASE_URL says so): the
commands work on `connection.settings_dict`, which pytest-django points at the test database.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from campaigns.models import TaskAssignment
from evidence.models import Photo
from evidence.processing import process_upload
from evidence.services import photos_attach
from organizations.models import Unit
from reports.models import Report
from tests.evidence.images import camera_exif, jpeg, upload
from tests.factories import CampaignFactory, TaskAssignmentFactory, TaskFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def media_hashes(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): sha256(path) for path in root.rglob("*") if path.is_file()}


def database_rows() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table Django manages, in primary-key order."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def backup(out: Path) -> Path:
    output = io.StringIO()
    call_command("backup", out=out, stdout=output)
    path = Path(output.getvalue().strip().splitlines()[-1])
    assert path.is_file()
    assert path.parent == out.resolve()
    return path


def wipe(media_root: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root)
    media_root.mkdir()


def rewrite_archive(
    source: Path, target: Path, change: Callable[[tarfile.TarInfo, bytes], tuple[str, bytes]]
):
    """Copy an archive member by member, letting `change` rename or alter each one."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old:
            data = old.extractfile(member).read()  # type: ignore[union-attr]
            name, data = change(member, data)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))


@pytest.fixture
def records(db) -> dict[str, Any]:
    """A unit's assignment with two photos (image + thumbnail each) and a finished report file.

    The uploader is a superuser rather than a role user: a transactional test may start after another
    one's flush has emptied the role groups that the data migrations made.
    """
    unit = UnitFactory(name="甲地市场监管所", short_name="甲地所")
    assignment = TaskAssignmentFactory(task=TaskFactory(title="开展计量专项检查"), unit=unit)
    uploader = UserFactory(username="backup_uploader", unit=unit, is_superuser=True, is_staff=True)
    processed = [
        process_upload(upload("宣传现场.jpg", jpeg((1200, 900), exif=camera_exif(), noisy=True))),
        process_upload(upload("咨询台.jpg", jpeg((800, 600), noisy=True))),
    ]
    photos = photos_attach(actor=uploader, record=assignment, photos=processed, caption="计量进社区")
    report = Report.objects.create(
        campaign=CampaignFactory(), kind=Report.Kind.ON_DEMAND, status=Report.Status.DONE, progress=100
    )
    report.file.save("summary.xlsx", ContentFile(b"PK\x03\x04 not really a workbook"), save=True)
    return {"photos": photos, "report": report, "processed": processed}


def test_round_trip_restores_every_row_and_file_with_the_same_hashes(records, media_root, tmp_path):
    rows_before = database_rows()
    files_before = media_hashes(media_root)
    photo_files = {
        name for photo in records["photos"] for name in (photo.image.name, photo.thumbnail.name)
    } | {records["report"].file.name}
    assert photo_files <= set(files_before)
    assert len(files_before) == 5
    assert len(rows_before["evidence.Photo"]) == 2
    assert len(rows_before["organizations.Unit"]) >= 1
    assert len(rows_before["campaigns.TaskAssignment"]) == 1
    assert rows_before["evidence.HistoricalPhoto"], "history rows are records too"

    archive = backup(tmp_path / "backups")
    with tarfile.open(archive, "r:gz") as tar:
        names = set(tar.getnames())
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert {f"media/{name}" for name in files_before} <= names
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["database"]["file"] in names
    assert {entry["path"]: entry["sha256"] for entry in manifest["media"]} == files_before

    wipe(media_root)
    assert Photo.objects.count() == 0
    assert TaskAssignment.objects.count() == 0
    assert media_hashes(media_root) == {}

    call_command("restore", str(archive), yes=True, verbosity=0, stdout=io.StringIO())

    assert database_rows() == rows_before
    assert media_hashes(media_root) == files_before
    for photo, processed in zip(
        Photo.objects.order_by("pk"), records["processed"], strict=True
    ):  # the rows point at the files
        assert photo.sha256 == processed.sha256
        assert sha256(Path(photo.image.path)) == hashlib.sha256(processed.jpeg).hexdigest()
        assert Path(photo.thumbnail.path).is_file()
        assert isinstance(photo.record, TaskAssignment)
    assert Path(Report.objects.get().file.path).read_bytes() == b"PK\x03\x04 not really a workbook"
    # Sequences came back too: a new row does not collide with a restored one.
    assert Unit.objects.create(name="恢复之后新建的单位", short_name="新单位").pk > max(
        row["id"] for row in rows_before["organizations.Unit"]
    )
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []


def test_restore_refuses_to_overwrite_without_yes(records, media_root, tmp_path):
    archive = backup(tmp_path / "backups")
    Unit.objects.create(name="备份之后新建的单位", short_name="新单位", kind=Unit.Kind.OFFICE)
    (media_root / "later.txt").write_bytes(b"written after the backup")

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive), verbosity=0)

    assert Unit.objects.filter(name="备份之后新建的单位").exists()
    assert (media_root / "later.txt").read_bytes() == b"written after the backup"


def test_restore_refuses_an_archive_whose_file_does_not_match_its_hash(records, media_root, tmp_path):
    archive = backup(tmp_path / "backups")
    photo_name = records["photos"][0].image.name
    tampered = tmp_path / "tampered.tar.gz"

    def change(member: tarfile.TarInfo, data: bytes) -> tuple[str, bytes]:
        return member.name, (data + b"x" if member.name == f"media/{photo_name}" else data)

    rewrite_archive(archive, tampered, change)
    Unit.objects.create(name="备份之后新建的单位", short_name="新单位", kind=Unit.Kind.OFFICE)
    files_before = media_hashes(media_root)

    with pytest.raises(CommandError, match="哈希不符") as raised:
        call_command("restore", str(tampered), yes=True, verbosity=0)

    assert photo_name in str(raised.value)
    assert Unit.objects.filter(name="备份之后新建的单位").exists(), "the database was left alone"
    assert media_hashes(media_root) == files_before
    assert not [p for p in media_root.iterdir() if p.name.startswith(".restore-")], "staging was removed"


def test_restore_refuses_an_archive_that_writes_outside_media_root(records, media_root, tmp_path):
    archive = backup(tmp_path / "backups")
    evil = tmp_path / "evil.tar.gz"

    def change(member: tarfile.TarInfo, data: bytes) -> tuple[str, bytes]:
        if member.name.startswith("media/"):
            return "media/../../escaped.txt", data
        return member.name, data

    rewrite_archive(archive, evil, change)

    with pytest.raises(CommandError, match="不允许的条目"):
        call_command("restore", str(evil), yes=True, verbosity=0)

    assert not (tmp_path / "escaped.txt").exists()
    assert Photo.objects.count() == 2
