"""A web-link field that accepts http(s) only.

Django's URLField also accepts ftp:// and (in forms) assumes http:// for bare host names with a
deprecation warning; links here are shown to users as clickable hrefs, so anything but http(s) is
refused, with one message, and a bare "www.…" becomes https://.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

HTTP_URL_MESSAGE = _("请输入以 http:// 或 https:// 开头的有效网址。")
http_url_validator = URLValidator(schemes=["http", "https"], message=HTTP_URL_MESSAGE)


class HttpUrlFormField(forms.URLField):
    default_validators = [http_url_validator]
    default_error_messages = {"invalid": HTTP_URL_MESSAGE}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class WebLinkField(models.URLField):
    default_validators = [http_url_validator]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 500)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": HttpUrlFormField, **kwargs})
