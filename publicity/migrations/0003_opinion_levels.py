"""The four 舆情 levels with their clocks (editable afterwards in the admin; a rerun keeps edits).

Response hours follow the national rule for 政务舆情 (国办发〔2016〕61号): respond within 48 h in
general; for 重大/特别重大 events publish authoritative information within 5 h and hold a press
conference within 24 h. 较大 gets 24 h as a stricter local default. The report-to-county windows are
the bureau's defaults for the notice's "重大舆情及时向县局报告": 24 h, 12 h, 2 h and 1 h.
"""

from django.db import migrations

# code, name, rank, report hours, response hours, press conference hours, alert leadership, guidance
LEVELS = [
    ("general", "一般", 1, 24, 48, None, False, "所队自行研判处置，24小时内向县局报告，48小时内回应关切。"),
    ("larger", "较大", 2, 12, 24, None, False, "12小时内向县局报告，24小时内回应；县局价监科跟踪指导。"),
    (
        "major",
        "重大",
        3,
        2,
        5,
        24,
        True,
        "发现后2小时内向县局报告，5小时内发布权威信息，24小时内举行新闻发布会；县局领导牵头处置。",
    ),
    (
        "especially_major",
        "特别重大",
        4,
        1,
        5,
        24,
        True,
        "立即（1小时内）向县局报告并同步报告县委宣传部（网信办），5小时内发布权威信息，24小时内举行新闻发布会。",
    ),
]


def seed(apps, schema_editor, app_label="publicity"):
    try:
        level_model = apps.get_model(app_label, "OpinionLevel")
    except LookupError:
        return  # re-run on today's models: the levels live in opinion (its migration 0003 seeds them)
    for code, name, rank, report, response, press, alert, guidance in LEVELS:
        level_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "rank": rank,
                "report_deadline_hours": report,
                "response_deadline_hours": response,
                "press_conference_hours": press,
                "alert_leadership": alert,
                "guidance": guidance,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("publicity", "0002_role_permissions")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
