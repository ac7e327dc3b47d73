"""Ships the site-wide `templates/` and `static/` folders inside the installed `wushan_metrology` package.

Everything else about the build is declared in pyproject.toml. These two folders sit beside manage.py
(each holds one folder per app) and contain no Python, so no package carries them. Installing them as
top-level `templates` and `static` packages would put two generic names into site-packages where other
distributions could collide with them; moving them into a package would move every template out from
under the engineers working on them. So the wheel gets a copy at `wushan_metrology/site/templates` and
`wushan_metrology/site/static`, and settings.py looks there first (in a checkout the folder does not
exist, and the ones beside manage.py are used). An editable install (`make install`) copies nothing: it
runs from the checkout. MANIFEST.in puts both folders into the sdist so a wheel built from it has them.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SITE_FOLDERS = ("templates", "static")
TARGET = Path("wushan_metrology") / "site"


class BuildPyWithSiteFiles(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for folder in SITE_FOLDERS:
            source = ROOT / folder
            if not (source / ".").is_dir():
                raise FileNotFoundError(f"{source} is missing: the wheel would install without it")
            target = Path(self.build_lib) / TARGET / folder
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


# The apps' data folders (campaigns/notices/, publicity/static/...) ship as package data through
# pyproject.toml's `package-data`, not as packages; setuptools warns that their names look importable.
warnings.filterwarnings("ignore", message=r"Package '[\w.]+' is absent from the `packages` configuration")

setup(cmdclass={"build_py": BuildPyWithSiteFiles})
