from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    """计量器具台账: the register of instruments per owner, one code each, reminders and inspection leads.

    A workstream app above inspections and enterprises: inspections never imports it. An approved
    inspection updates the register through the post_save receiver connected here (instruments.signals).
    """

    name = "instruments"
    verbose_name = _("计量器具台账")

    def ready(self) -> None:
        from inspections.forms import register_initial_provider
        from instruments import prefill, signals

        signals.connect()
        register_initial_provider(prefill.inspection_prefill)
        # The map (issue 18): located 公平秤 in use, each its own point, by verification status today.
        from django.db.models import CharField, Value
        from django.db.models.functions import Concat
        from django.utils import timezone

        from core.map_layers import CATEGORY, Category, LayerSpec, register
        from inspections.verification import VerificationStatus as Status
        from instruments.selectors import fair_scales_located, status_expression

        colours = {
            Status.VALID: "#2e7d32",
            Status.OVERDUE: "#ef6c00",
            Status.UNVERIFIED: "#757575",
            Status.FAILED: "#c62828",
            Status.LIFE_EXPIRED: "#6a1b9a",
            Status.NOT_MANDATORY: "#0277bd",
        }
        register(
            LayerSpec(
                key="fair_scales",
                label=_("公平秤"),
                symbol="rect",
                order=40,
                records=lambda campaign: fair_scales_located().annotate(
                    **{CATEGORY: status_expression(timezone.localdate())}
                ),
                name=Concat("host_market__name", Value(" "), "location", output_field=CharField()),
                detail="instruments:instrument_detail",
                categories=[Category(status, status.label, colours[status]) for status in Status],
            )
        )
