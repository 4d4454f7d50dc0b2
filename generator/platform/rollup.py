"""The platform's numbers and findings, from the members' checked copies only.

Compliance counts are the members' own (each site's manifest carries the tallies of its compliance
page, computed by generator/reports/compliance.py): the platform adds them up and never re-judges a
record. The 四个统一 report compares each member with the platform's own generator and schemas and with
the region's deadline settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.model.catalog import bundled
from generator.model.config import LEVELS, Deadlines
from generator.platform.fetch import REQUIRED_PAGES, Snapshot
from generator.platform.members import MemberSpec
from generator.site.platform_manifest import FORMAT_VERSION, generator_version, schema_hash

COUNTS = ("expected", "published", "on_time", "late", "missing", "not_due")


@dataclass
class MemberView:
    spec: MemberSpec
    snap: Snapshot | None
    fresh: bool  # fetched and checked in this build
    error: str | None = None  # what failed this time (the copy shown is then the last good one)
    log_broken: bool = False
    kept_withdrawn: list[dict[str, Any]] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.spec.division_code

    @property
    def name(self) -> str:
        return self.snap.manifest["site"]["name"] if self.snap else self.spec.name

    @property
    def base(self) -> str:
        """Where the member's pages are: its address in platform.yml, or its own base_url for a local folder."""
        if self.spec.remote or not self.snap:
            return self.spec.url if self.spec.remote else ""
        return self.snap.manifest["site"].get("base_url") or ""

    @property
    def records(self) -> list[dict[str, Any]]:
        return self.snap.records if self.snap else []

    def href(self, r: dict[str, Any]) -> str:
        return self.base + r["path"]

    @property
    def bundle(self) -> str | None:
        return f"bundles/{self.code}/pagefind/" if self.snap else None


def by_level(members: list[MemberView]) -> list[tuple[str, list[MemberView]]]:
    return [(level, [m for m in members if m.spec.level == level]) for level in LEVELS
            if any(m.spec.level == level for m in members)]


def latest(members: list[MemberView], limit: int = 30) -> list[tuple[MemberView, dict[str, Any]]]:
    items = [(m, r) for m in members for r in m.records if r.get("first_published")]
    items.sort(key=lambda mr: (mr[1].get("updated") or mr[1]["first_published"], mr[0].code, mr[1]["id"]),
               reverse=True)
    return items[:limit]


def total(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {k: sum(int(r.get(k, 0)) for r in rows) for k in COUNTS}


def compliance_rows(m: MemberView) -> list[dict[str, Any]]:
    if not m.snap:
        return []
    return sorted(m.snap.manifest["compliance"], key=lambda t: (t["dept"], -t["year"], t["kind"]))


def level_totals(members: list[MemberView]) -> dict[str, int]:
    return total([row for m in members for row in compliance_rows(m)])


def _deadline_reference(members: list[MemberView]) -> tuple[dict[str, Any], str]:
    for m in members:
        if m.spec.level == LEVELS[0] and m.snap:
            return m.snap.manifest["deadlines"], m.name
    d = Deadlines()
    return {"approved_days": d.approved_days, "completed_months": d.completed_months,
            "monitoring_report_due": d.monitoring_report_due}, ""


DEADLINE_TITLES = {"approved_days": "随预决算公开的天数", "completed_months": "事项结束后公开的月数",
                   "monitoring_report_due": "绩效监控报告截止日"}


@dataclass
class Finding:
    what: str  # 口径 / 格式 / 时间 / 渠道
    detail: str  # platform wording
    value: str = ""  # the member's own value, shown in its own cell
    expected: str = ""


def unified(members: list[MemberView]) -> list[tuple[MemberView, list[Finding]]]:
    """Per member, where it departs from 四个统一 (统一口径、统一格式、统一时间、统一渠道)."""
    version, schemas = generator_version(), schema_hash(bundled("schemas"))
    ref, ref_name = _deadline_reference(members)
    out = []
    for m in members:
        found: list[Finding] = []
        if m.snap is None:
            found.append(Finding("渠道", "未能读取站点，无法核对"))
            out.append((m, found))
            continue
        man = m.snap.manifest
        if man.get("format_version") != FORMAT_VERSION:
            found.append(Finding("格式", "站点清单格式版本不同", str(man.get("format_version")), str(FORMAT_VERSION)))
        if man["schema"].get("hash") != schemas:
            found.append(Finding("口径", "记录结构（schemas）与平台不同", man["schema"].get("hash", ""), schemas))
        if man["generator"].get("version") != version:
            found.append(Finding("格式", "生成工具版本与平台不同", man["generator"].get("version", ""), version))
        for key, title in DEADLINE_TITLES.items():
            if str(man["deadlines"].get(key)) != str(ref.get(key)):
                found.append(Finding("时间", f"公开时限设置不同：{title}", str(man["deadlines"].get(key)),
                                     str(ref.get(key))))
        for rel in m.snap.missing_pages:
            found.append(Finding("渠道", f"缺少必备页面：{REQUIRED_PAGES[rel]}", rel))
        out.append((m, found))
    return out


def reference(members: list[MemberView]) -> dict[str, str]:
    ref, ref_name = _deadline_reference(members)
    return {"version": generator_version(), "schema": schema_hash(bundled("schemas")), "deadlines_from": ref_name,
            **{k: str(v) for k, v in ref.items()}}
