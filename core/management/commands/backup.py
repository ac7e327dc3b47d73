"""`manage.py backup [--out DIR]`: one .tar.gz of the database and the media files (see core/backups.py)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and MEDIA_ROOT into one archive with a SHA-256 manifest (safe while the app runs)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            type=Path,
            default=None,
            help="folder for the archive (default: <WUSHAN_VAR_DIR>/backups)",
        )
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args: Any, out: Path | None, database: str, **options: Any) -> None:
        out_dir = out if out is not None else Path(settings.VAR_DIR) / "backups"
        try:
            result = create_backup(out_dir, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("备份已完成：%(path)s（%(vendor)s 数据库，媒体文件 %(count)d 个）")
            % {"path": result.path, "vendor": result.vendor, "count": result.media_files}
        )
        # The last line is the path alone, for scripts (`path=$(manage.py backup | tail -n1)`).
        self.stdout.write(str(result.path))
