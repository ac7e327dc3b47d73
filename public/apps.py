from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The campaign's anonymous face: station pages, their QR codes and posters, public feedback.

    It sits with dashboard and reports above the workstreams: it reads micro-stations and hands
    feedback to the 舆情 desk (opinion), which no single workstream may import sideways.
    """

    name = "public"
    verbose_name = _("公众页面")
