"""Route every record already past its draft: store who reviews it (`reviewer`, added to each record
type by its app's review_queue_reviewer migration), so the review queue reads an index range instead of
joining each row's unit and author's groups (issue 14 list budget).

The rule is records.services.office_reviewed_q as it stands at this migration, frozen here on the
historical models: the supervising office reviews what a 协办单位 account enters and every volunteer
act, when the record's unit is a 市场监管所; the bureau reviews everything else.
"""

from django.db import migrations
from django.db.models import Q

RECORD_TYPES = (
    ("microstations", "StationActivity"),
    ("volunteers", "VolunteerAct"),
    ("publicity", "PublicityActivity"),
    ("publicity", "NewsItem"),
    ("inspections", "InspectionRecord"),
    ("enterprises", "EnterpriseVisit"),
)
COOPERATOR = "协办单位"
OFFICE = "office"


def route(apps, schema_editor):
    for app_label, name in RECORD_TYPES:
        model = apps.get_model(app_label, name)
        entries = Q(created_by__groups__name=COOPERATOR)
        if (app_label, name) == ("volunteers", "VolunteerAct"):
            entries = Q(pk__isnull=False)
        office = entries & Q(unit__kind=OFFICE)
        unrouted = model.objects.filter(reviewer="").exclude(review_status="draft")
        unrouted.filter(office).update(reviewer="office")
        unrouted.filter(~office).update(reviewer="bureau")


def unroute(apps, schema_editor):
    for app_label, name in RECORD_TYPES:
        apps.get_model(app_label, name).objects.update(reviewer="")


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0006_fact_type_index"),
        ("microstations", "0009_review_queue_reviewer"),
        ("volunteers", "0007_review_queue_reviewer"),
        ("publicity", "0009_review_queue_reviewer"),
        ("inspections", "0009_review_queue_reviewer"),
        ("enterprises", "0009_review_queue_reviewer"),
    ]

    operations = [migrations.RunPython(route, unroute)]
