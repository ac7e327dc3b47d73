from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("单位与用户")

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from organizations import security

        user_logged_in.connect(security.on_user_logged_in, dispatch_uid="security_log_login")
        user_logged_out.connect(security.on_user_logged_out, dispatch_uid="security_log_logout")
        user_login_failed.connect(security.on_user_login_failed, dispatch_uid="security_log_login_failed")
        user_locked_out.connect(security.on_user_locked_out, dispatch_uid="security_log_locked_out")
