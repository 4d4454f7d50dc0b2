"""How values read on a Chinese government page: 2026年3月5日, 12,860.50 万元, 依法不予公开."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

WITHHELD_TEXT = "依法不予公开"
# Deadlines and page dates are in China Standard Time; no daylight saving, so a fixed offset is exact.
CHINA_TIME = timezone(timedelta(hours=8))


def cn_date(value: Any) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return "" if value is None else str(value)


def size_text(size: float) -> str:
    """A file size as pages and messages show it: 12 KB, 3.0 MB."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def amount(value: Any, places: int = 2) -> str:
    if value is None or value == "":
        return ""
    d = Decimal(str(value))
    return f"{d:,.{places}f}"


def number(value: Any) -> str:
    """A number as written, with thousands separators and without trailing zeros."""
    if value is None or value == "":
        return ""
    d = Decimal(str(value))
    if d == d.to_integral():
        return f"{d:,.0f}"
    return f"{d:,f}".rstrip("0").rstrip(".")


def display(value: Any, spec: dict[str, Any] | None = None) -> str:
    """Any field value as page text, by its schema type."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (date, datetime)):
        return cn_date(value)
    if isinstance(value, (Decimal, float, int)):
        if spec is not None and spec.get("x-unit-field"):
            return amount(value)
        return number(value)
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)


def plain(value: Any) -> Any:
    """A value as JSON/CSV data: decimals as numbers, dates as ISO text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() and abs(value) < 2**53 else float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def parse_day(value: str | None) -> date | None:
    """The calendar day of a log timestamp (UTC ISO 8601), in China Standard Time (UTC+8)."""
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(CHINA_TIME).date()


def cn_time(value: str | None) -> str:
    """A log timestamp as Beijing time: 2026年3月5日 14:02."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(CHINA_TIME)
    return f"{cn_date(moment.date())} {moment:%H:%M}"
