"""The instrument types the inspections list, with their verification rules as the bureau's data.

Periods follow the current JJG regulations as far as they were known when this was written; each row
names its basis. The bureau admin corrects them in the admin (计量器具类型) — rows that exist are never
overwritten here, so a rerun keeps those corrections.
"""

from django.db import migrations

# code, name, domain, mandatory, period (months), first verification only, service life (years),
# counting unit, basis, sort order
# fmt: off
TYPES = [
    ("price_scale", "电子计价秤", "scales", True, 12, False, None, "台",
     "JJG 539-2016 数字指示秤：检定周期一般不超过1年", 10),
    ("fuel_nozzle", "加油机（加油枪）", "fuel", True, 12, False, None, "把",
     "JJG 443 燃油加油机：按加油枪计，检定周期一般不超过1年", 20),
    ("gas_nozzle", "加气机（加气枪）", "fuel", True, 12, False, None, "把",
     "JJG 996/997 压缩天然气、液化石油气加气机：检定周期一般不超过1年", 21),
    ("water_meter", "民用水表", "utility_meters", True, None, True, 6, "台",
     "JJG 162-2019 饮用冷水水表：只作首次强制检定，限期使用，到期轮换（DN25及以下一般不超过6年，请核实）", 30),
    ("electricity_meter", "民用电能表", "utility_meters", True, None, True, 8, "台",
     "JJG 596-2012 电子式交流电能表：只作首次强制检定，限期使用，到期轮换（默认8年，请核实）", 31),
    ("gas_meter", "民用燃气表", "utility_meters", True, None, True, 10, "台",
     "JJG 577-2012 膜式燃气表：只作首次强制检定，限期使用，到期轮换（天然气一般不超过10年，请核实）", 32),
    ("taxi_meter", "出租车计价器", "taxi", True, 12, False, None, "台",
     "JJG 517-2016 出租汽车计价器：检定周期一般不超过1年", 40),
    ("ac_charger", "交流充电桩", "ev_chargers", True, 36, False, None, "台",
     "JJG 1148-2022 电动汽车交流充电桩：2023-01-01 起周期检定，默认周期3年（请按现行规程核实）", 50),
    ("dc_charger", "非车载充电机（直流充电桩）", "ev_chargers", True, 36, False, None, "台",
     "JJG 1149-2022 电动汽车非车载充电机：2023-01-01 起周期检定，默认周期3年（请按现行规程核实）", 51),
    ("refractometer", "验光仪", "optical", True, 12, False, None, "台",
     "JJG 892 验光仪：检定周期一般不超过1年", 60),
    ("lensmeter", "焦度计", "optical", True, 12, False, None, "台",
     "JJG 580 焦度计：检定周期一般不超过1年", 61),
    ("trial_lens_set", "验光镜片组", "optical", True, 24, False, None, "件",
     "JJG 579 验光镜片组：检定周期一般不超过2年", 62),
    ("pupillometer", "瞳距仪", "optical", False, None, False, None, "台",
     "未列入强制检定目录（非强检）", 63),
]
# fmt: on


def seed(apps, schema_editor):
    instrument_type = apps.get_model("inspections", "InstrumentType")
    for code, name, domain, mandatory, period, first_only, life, counting, basis, order in TYPES:
        instrument_type.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "domain": domain,
                "mandatory": mandatory,
                "verification_period_months": period,
                "first_verification_only": first_only,
                "service_life_years": life,
                "counting_unit": counting,
                "basis": basis,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_inspections_and_instruments")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
