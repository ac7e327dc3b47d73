from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    """宣传、信息报送与舆情: publicity activities, news items with their adoptions, and the 舆情 desk."""

    name = "publicity"
    verbose_name = _("宣传、信息报送与舆情")

    def ready(self) -> None:
        from campaigns import metrics
        from publicity import selectors

        # Approved records only: a target counts what the bureau has checked.
        metrics.register(
            "publicity.offline_activities", "线下宣传活动（场）", selectors.offline_activities_count
        )
        metrics.register("publicity.online_posts", "线上宣传作品（条）", selectors.online_posts_count)
        metrics.register("publicity.online_views", "线上阅读/播放量", selectors.online_views_count)
        metrics.register("publicity.participants", "宣传覆盖群众（人次）", selectors.participants_count)
        metrics.register("publicity.materials", "发放宣传资料（份）", selectors.materials_count)
        metrics.register("publicity.adopted_news", "被采用的报送信息（条）", selectors.adopted_news_count)
