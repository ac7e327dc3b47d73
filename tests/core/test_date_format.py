"""One date format across the UI: pages show 2025年5月20日 (and 2025年5月20日 09:30), inputs ISO dates
(wushan_metrology/formats), and templates name no format of their own."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Every template but the dashboard's and the reports' (converted with their owner's work in progress).
CONVERTED = sorted(entry.name for entry in TEMPLATES.iterdir() if entry.name not in {"dashboard", "reports"})
# Django's named formats (DATETIME_FORMAT, MONTH_DAY_FORMAT ...) and ISO 'c' are the house's own.
OWN_FORMAT = re.compile(
    r"""\|date:["'](?![A-Z_]+_FORMAT["']|c["'])[^"']*["']|\{% now ["'](?![A-Z_]+_FORMAT)"""
)


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_pages_show_dates_and_times_in_chinese() -> None:
    moment = dt.datetime(2025, 5, 20, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert render("{{ d|date }}", d=moment.date()) == "2025年5月20日"
    assert render('{{ d|date:"DATETIME_FORMAT" }}', d=moment) == "2025年5月20日 09:30"


def test_a_date_input_shows_an_iso_date_that_a_date_picker_accepts() -> None:
    widget = forms.DateInput(attrs={"type": "date"})
    assert 'value="2025-05-20"' in widget.render("date", dt.date(2025, 5, 20))


@pytest.mark.parametrize("typed", ["2025-05-20", "2025/05/20", "2025年5月20日"])
def test_a_date_field_reads_the_usual_ways_of_writing_a_date(typed: str) -> None:
    assert forms.DateField().clean(typed) == dt.date(2025, 5, 20)


@pytest.mark.parametrize("typed", ["2025-05-20 09:30", "2025-05-20T09:30"])
def test_a_datetime_field_reads_the_picker_and_a_typed_time(typed: str) -> None:
    assert forms.DateTimeField().clean(typed).strftime("%Y-%m-%d %H:%M") == "2025-05-20 09:30"


def test_converted_templates_name_no_date_format_of_their_own() -> None:
    offenders = []
    for entry in CONVERTED:
        path = TEMPLATES / entry
        for template in [path] if path.is_file() else sorted(path.rglob("*.html")):
            for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
                if OWN_FORMAT.search(line):
                    offenders.append(f"{template.relative_to(TEMPLATES)}:{number}")
    assert offenders == []


# A date that a machine reads back (an input's value, a query string) stays ISO: `|date:'c'`.
MACHINE_READ = re.compile(r"""(value="|[?&;][a-z_]+=)\{\{[^}]*\|date(?!:["']c["'])""")


def test_dates_read_back_by_a_form_or_a_link_stay_iso() -> None:
    offenders = [
        f"{template.relative_to(TEMPLATES)}:{number}"
        for template in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1)
        if MACHINE_READ.search(line)
    ]
    assert offenders == []
