"""The notification settings of an app, read once from its config (``GIAOVIEC_*``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time

from notifications.mailer import MailSettings
from workflow.working_days import WorkingCalendar, calendar_from_config


@dataclass(frozen=True)
class NotificationSettings:
    mail: MailSettings = field(default_factory=MailSettings)
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    sweep_at: time = time(7, 30)  # the daily sweep, local time
    # A task overdue longer than this is no longer reminded nor escalated: the year-end
    # evaluation has its record, and a sweep over years of history stays as small as the work
    # still alive (reports waiting for review are still listed to the reviewers).
    give_up_after_days: int = 180

    @classmethod
    def from_config(cls, config: Mapping) -> NotificationSettings:
        calendar = calendar_from_config(config)
        return cls(
            mail=MailSettings.from_config(config),
            calendar=calendar,
            sweep_at=time.fromisoformat(str(config.get("REMINDER_TIME") or calendar.opens)),
            give_up_after_days=int(config.get("REMINDER_GIVE_UP_DAYS") or 180),
        )
