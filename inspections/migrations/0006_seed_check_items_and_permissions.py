"""The current check items as the bureau's data, and who may use them and the planned inspections.

Scales: 三码一封 (生产码, 维修码 and 检定码 valid, 铅封 intact) and 开壳锁机, under JJF 2184-2025 and
JJG 1204-2025. Fuel dispensers: the metering chip read, the seals on mainboard, encoder and flowmeter,
and the posted 诚信 commitment. Rows that exist are never overwritten: a rule change is an admin edit.
"""

from django.db import migrations

from organizations.roles import Role, grant_permissions, model_permissions

SCALE_BASIS = "JJF 2184-2025、JJG 1204-2025"
# domain, code, group, name, basis, sort order
ITEMS = [
    ("scales", "scale_production_code", "三码一封", "生产码有效", SCALE_BASIS, 10),
    ("scales", "scale_repair_code", "三码一封", "维修码有效", SCALE_BASIS, 11),
    ("scales", "scale_verification_code", "三码一封", "检定码有效", SCALE_BASIS, 12),
    ("scales", "scale_seal", "三码一封", "铅封完好", SCALE_BASIS, 13),
    ("scales", "scale_case_lock", "", "开壳锁机", SCALE_BASIS, 20),
    ("fuel", "fuel_chip_read", "", "计量芯片读取", "", 30),
    ("fuel", "fuel_mainboard_seal", "铅封", "主板铅封完好", "", 31),
    ("fuel", "fuel_encoder_seal", "铅封", "编码器铅封完好", "", 32),
    ("fuel", "fuel_flowmeter_seal", "铅封", "流量计铅封完好", "", 33),
    ("fuel", "fuel_commitment_posted", "", "诚信计量承诺公示", "", 34),
]


def seed(apps, schema_editor):
    check_item = apps.get_model("inspections", "CheckItem")
    for domain, code, group, name, basis, sort_order in ITEMS:
        check_item.objects.get_or_create(
            code=code,
            defaults={"domain": domain, "group": group, "name": name, "basis": basis, "sort_order": sort_order},
        )


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            Role.BUREAU_ADMIN: [
                perm
                for model in ("checkitem", "instrumentcheck", "plannedinspection")
                for perm in model_permissions("inspections", model, ["add", "change", "delete", "view"])
            ],
            Role.LEADER: [
                "inspections.view_checkitem",
                "inspections.view_instrumentcheck",
                "inspections.view_plannedinspection",
            ],
            Role.OFFICE: [
                "inspections.view_checkitem",
                *model_permissions("inspections", "instrumentcheck", ["add", "change", "delete", "view"]),
                *model_permissions("inspections", "plannedinspection", ["add", "change", "view"]),
            ],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0005_registered_instrument_link"),
        ("organizations", "0002_roles"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
