"""Whether the home page and each column (one per record kind) are kept up to date and not empty,
from the publication log the site ships: what an inspector sees as 更新时间 on the pages.

National thresholds (国办秘函〔2019〕19号): the home page not updated for two weeks vetoes the site, and
so do 5 or more stale or 5 or more empty columns; fewer cost points. The periods are configured
(`inspect.home_days`, `inspect.column_days`) because a disclosure column's rhythm is the budget year.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from generator.inspect.scorecard import DEDUCT, VETO, Finding
from generator.log import publog
from generator.model.catalog import Catalog

STALE_VETO = 5
EMPTY_VETO = 5


def current_records(events: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """id → {kind, updated (China date)} for records whose latest event is not a withdrawal."""
    out: dict[str, dict[str, Any]] = {}
    for e in events:
        if e["event"] == "withdrawn":
            out.pop(e["id"], None)
        else:
            out[e["id"]] = {"kind": e.get("kind"), "updated": publog.local_date(e["time"])}
    return out


def check_columns(site: Path, catalog: Catalog, events: list[dict[str, Any]], as_of: date, home_days: int,
                  column_days: int) -> list[Finding]:
    live = {rid: info for rid, info in current_records(events).items()
            if (site / "records" / rid / "index.html").is_file()}
    newest = max((i["updated"] for i in live.values()), default=None)
    home_age = (as_of - newest).days if newest else None
    said = (f"最近一次更新（公开或更新信息）在 {_cn(newest)}，距检查日期 {home_age} 天，要求不超过 {home_days} 天"
            if newest else "公开日志中没有任何公开信息，首页从未更新")
    home = Finding("首页及时更新", VETO, home_age is not None and home_age <= home_days, said, blocking=True)
    stale: list[str] = []
    empty: list[str] = []
    n_columns = 0
    for kind in catalog.kinds.values():
        if not (site / kind.folder / "index.html").is_file():
            continue  # the site has no such column
        n_columns += 1
        dates = [i["updated"] for i in live.values() if i["kind"] == kind.name]
        if not dates:
            empty.append(f"{kind.title}（{kind.folder}/）：没有任何公开信息")
            continue
        age = (as_of - max(dates)).days
        if age > column_days:
            stale.append(f"{kind.title}（{kind.folder}/）：最近更新于 {_cn(max(dates))}，已 {age} 天未更新")
    return [
        home,
        Finding("栏目及时更新", VETO if len(stale) >= STALE_VETO else DEDUCT, not stale,
                f"{n_columns} 个栏目中 {len(stale)} 个超过 {column_days} 天未更新"
                f"（{STALE_VETO} 个及以上为单项否决）", stale, blocking=len(stale) >= STALE_VETO),
        Finding("无空白栏目", VETO if len(empty) >= EMPTY_VETO else DEDUCT, not empty,
                f"{n_columns} 个栏目中 {len(empty)} 个没有内容（{EMPTY_VETO} 个及以上为单项否决）", empty,
                blocking=len(empty) >= EMPTY_VETO),
    ]


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"
