from django.apps import AppConfig


class WushanMetrologyConfig(AppConfig):
    name = "wushan_metrology"
    verbose_name = "巫山县计量宣传活动管理平台"

    def ready(self) -> None:
        # Web, worker and beat all load Django: each makes sure the embedded broker's folders exist.
        from wushan_metrology.celery import ensure_broker_folders

        ensure_broker_folders()
