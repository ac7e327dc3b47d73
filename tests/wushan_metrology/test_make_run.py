"""`make run` serves where it says: the address it prints is the one the web process binds."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
HONCHO = Path(sys.executable).with_name("honcho")

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def make_run_dry(**variables: str) -> str:
    return subprocess.run(  # noqa: S603 (fixed arguments)
        ["make", "-n", "run", *(f"{k}={v}" for k, v in variables.items())],  # noqa: S607 (make from PATH)
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def web_address(make_output: str, tmp_path: Path) -> str:
    """Run honcho exactly as `make run` does, with the web command echoed instead of executed."""
    honcho_line = next(line for line in make_output.splitlines() if "honcho start" in line)
    environment = dict(re.findall(r"(\w+)=(\S+)", honcho_line.split("honcho", 1)[0]))
    web = next(line for line in (BASE_DIR / "Procfile").read_text().splitlines() if line.startswith("web:"))
    (tmp_path / "Procfile").write_text(web.replace("web:", "web: echo", 1) + "\n")
    output = subprocess.run(  # noqa: S603 (our own venv's honcho, fixed arguments)
        [str(HONCHO), "start", "-f", str(tmp_path / "Procfile"), "--no-prefix", "--no-colour"],
        cwd=BASE_DIR,
        env={"PATH": "/usr/bin:/bin", **environment},
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    found = re.search(r"runserver (\S+)", output)
    assert found, output
    return f"http://{found.group(1)}/"


@pytest.mark.parametrize("variables", [{}, {"WEB_PORT": "8123"}])
def test_make_run_serves_at_the_address_it_prints(variables: dict[str, str], tmp_path: Path) -> None:
    output = make_run_dry(**variables)
    printed = re.search(r"(http://127\.0\.0\.1:\d+/)", output)

    assert printed
    assert web_address(output, tmp_path) == printed.group(1)
    assert printed.group(1) == f"http://127.0.0.1:{variables.get('WEB_PORT', '8000')}/"
