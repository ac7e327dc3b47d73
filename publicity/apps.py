from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    """宣传与信息报送: publicity activities and news items with their adoptions (舆情 is opinion/)."""

    name = "publicity"
    verbose_name = _("宣传与信息报送")

    def ready(self) -> None:
        from campaigns import metrics
        from publicity import exports, selectors  # noqa: F401 (exports registers the workbook sheets)

        # Approved records only: a target counts what the bureau has checked.
        metrics.register(
            "publicity.offline_activities", "线下宣传活动（场）", selectors.offline_activities_count
        )
        metrics.register("publicity.online_posts", "线上宣传作品（条）", selectors.online_posts_count)
        metrics.register("publicity.online_views", "线上阅读/播放量", selectors.online_views_count)
        metrics.register("publicity.participants", "宣传覆盖群众（人次）", selectors.participants_count)
        metrics.register("publicity.materials", "发放宣传资料（份）", selectors.materials_count)
        metrics.register("publicity.adopted_news", "被采用的报送信息（条）", selectors.adopted_news_count)
