from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data builders and `seed_demo`: the top layer, so production apps never import demo code."""

    name = "demo"
    verbose_name = _("演示数据")
