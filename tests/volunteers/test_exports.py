"""The 宣传员 sheet of the summary workbook: the campaign's volunteers with masked phones."""

from __future__ import annotations

from core.exporters import SheetContext
from tests.microstations.factories import VolunteerFactory
from volunteers.exports import VolunteerSheet


def test_the_volunteer_sheet_masks_phones_and_follows_the_unit(campaign, station_a, station_b, unit_b):
    VolunteerFactory(station=station_a, name="谭明华", phone="13812345678")
    VolunteerFactory(station=station_b, name="向德军", phone="023-57681234", is_active=False)

    rows = list(VolunteerSheet().rows(SheetContext(campaign=campaign)))
    unit_rows = list(VolunteerSheet().rows(SheetContext(campaign=campaign, unit=unit_b)))

    assert VolunteerSheet.headers == [
        "志愿者编号",
        "姓名",
        "类别",
        "群体",
        "联系电话",
        "工作单位/学校",
        "所属微站",
        "招募日期",
        "在岗",
    ]
    assert sorted((row[1], row[4], row[8]) for row in rows) == [
        ("向德军", "023****1234", False),
        ("谭明华", "138****5678", True),
    ]
    assert [row[1] for row in unit_rows] == ["向德军"]
    assert all(row[0] for row in rows)  # each row leads with its 志愿者编号
    assert not any("13812345678" in str(value) for row in rows for value in row)
