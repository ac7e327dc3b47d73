"""`manage.py restore PATH [--yes]`: put back what `manage.py backup` saved (see core/backups.py)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore the database and MEDIA_ROOT from a backup archive after verifying every SHA-256, then "
        "migrate. Stop the web server, workers and beat first. Refuses to overwrite existing data without --yes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="a wushan-backup-*.tar.gz written by `manage.py backup`")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="overwrite the current database and media files",
        )
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args: Any, path: Path, yes: bool, database: str, **options: Any) -> None:
        try:
            result = restore_backup(path, overwrite=yes, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _(
                "恢复已完成：%(created)s 的备份（%(vendor)s 数据库，媒体文件 %(count)d 个），数据库已迁移到最新。"
            )
            % {"created": result.created_at, "vendor": result.vendor, "count": result.media_files}
        )
