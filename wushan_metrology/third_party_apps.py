"""Chinese names for third-party apps whose admin section users reach, where the app declares none
(its strings are translated in wushan_metrology/locale/)."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpAppConfig


class AxesConfig(AxesAppConfig):
    # The admin section where the bureau admin unlocks an account.
    verbose_name = _("登录保护（账号锁定）")


class OtpTotpConfig(TotpAppConfig):
    # The admin section where a staff member's authenticator app (TOTP) is enrolled.
    verbose_name = _("两步验证（动态口令）")

    def ready(self) -> None:
        super().ready()
        # The admin's titles read the model's names; django-otp leaves them untranslated. Set on _meta
        # only (not Meta's original attributes), so migrations do not see a change.
        device = self.get_model("TOTPDevice")
        device._meta.verbose_name = _("动态口令设备")
        device._meta.verbose_name_plural = _("动态口令设备")
