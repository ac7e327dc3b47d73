"""An e-mail backend that fails on demand: the SMTP server refusing a message, then accepting it."""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from django.core.mail.backends.locmem import EmailBackend


class FlakyEmailBackend(EmailBackend):
    """Refuses the next `failures` messages; `during_send`, when set, runs as a message is being sent."""

    failures: ClassVar[int] = 0
    during_send: ClassVar[Callable[[], None] | None] = None

    def send_messages(self, messages: Sequence[Any]) -> int:
        if FlakyEmailBackend.during_send is not None:
            FlakyEmailBackend.during_send()
        if FlakyEmailBackend.failures > 0:
            FlakyEmailBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
