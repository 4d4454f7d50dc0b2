"""`disclose synth --levels`: a whole synthetic region, one site directory per level and place.

The region's own site (自治区本级), `leagues` leagues or cities (盟市) and `counties` banners or counties
(旗县) spread over them; each directory is a complete site of its own (site_config.yml with its level
and division code, content/, publication log), as each finance bureau would run it. `platform.yml` at
the top lists them as members, at the folder `disclose build` writes by default (`<site>/site`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from generator.problems import BuildError, Problems
from generator.synth import text as T
from generator.synth.corpus import LAST_YEAR, MARKER, SITE_CONFIG, department_bank, synthesise

# Every site's log says its records were published at this moment: never the clock, so two runs agree.
PUBLISHED = datetime(LAST_YEAR + 1, 3, 1, 2, 0, tzinfo=timezone.utc)
PROVINCE = "15"  # GB/T 2260 prefix of the region (the synthetic region borrows Inner Mongolia's)


@dataclass
class Member:
    name: str  # directory name
    title: str  # the place, in Chinese
    level: str
    division_code: str
    place: str  # the department bank's place name


def plan_region(leagues: int, counties: int) -> list[Member]:
    members = [Member("region", T.REGION, "自治区本级", f"{PROVINCE}0000", T.REGION)]
    cities = T.CITIES[:leagues]
    for i, (code, name) in enumerate(cities, start=1):
        members.append(Member(code, name, "盟市", f"{PROVINCE}{i:02d}00", name))
    for j in range(counties):
        li = j % len(cities)
        city, city_name = cities[li]
        county, county_name = T.COUNTIES[j // len(cities)]
        members.append(Member(f"{city}-{county}", city_name + county_name, "旗县",
                              f"{PROVINCE}{li + 1:02d}{j // len(cities) + 2:02d}", city_name + county_name))
    return members


def site_config(m: Member) -> str:
    host = m.name.replace("-", ".") if m.name != "region" else "czt"
    office = "财政厅" if m.level == "自治区本级" else "财政局"
    text = SITE_CONFIG.replace(f"organisation: {T.REGION}财政厅", f"organisation: {m.title}{office}")
    text = text.replace(f"https://czt.{T.DOMAIN}/", f"https://{host}.{T.DOMAIN}/")
    text = text.replace("  name: 预算绩效管理信息公开专栏", f"  name: {m.title}预算绩效管理信息公开专栏")
    text = text.replace(f"  description: {T.REGION}各部门", f"  description: {m.title}各部门")
    return text.replace("  description:", f"  level: {m.level}\n  division_code: \"{m.division_code}\"\n"
                        f"  parent_url: https://czt.{T.DOMAIN}/platform/\n  description:", 1)


def platform_yaml(members: list[Member]) -> str:
    lines = ["# 统一公开平台的成员站点（disclose synth --levels 生成）：url 为各站点已发布的输出目录或网址。",
             "members:"]
    for m in members:
        lines += [f"  - name: {m.title}预算绩效管理信息公开专栏", f"    level: {m.level}",
                  f"    division_code: \"{m.division_code}\"", f"    url: {m.name}/site"]
    return "\n".join(lines) + "\n"


def synthesise_region(out: Path, records: int, seed: int, leagues: int = 2, counties: int = 3,
                      fmt: str = "yaml") -> list[Member]:
    """Write one site per member under `out` (each with `records` records) and `platform.yml`."""
    if not (1 <= leagues <= len(T.CITIES)) or not (0 <= counties <= leagues * len(T.COUNTIES)):
        problems = Problems()
        problems.add("synth_levels_invalid", leagues=leagues, counties=counties, max_leagues=len(T.CITIES))
        raise BuildError(problems)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        problems = Problems()
        problems.add("synth_out_not_empty", str(out), out=str(out))
        raise BuildError(problems)
    from generator.log.publish import publish_log

    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_bytes(f"levels: {leagues} {counties}\nrecords: {records}\nseed: {seed}\n".encode())
    members = plan_region(leagues, counties)
    bank = department_bank()
    for i, m in enumerate(members):
        own = [b for b in bank if b[3] == m.place]
        root = out / m.name
        synthesise(root, records, seed + i, fmt=fmt, jobs=1, bank=own, site_config=site_config(m))
        (root / "publication-log.jsonl").unlink(missing_ok=True)
        publish_log(root, commit=None, now=PUBLISHED)
    (out / "platform.yml").write_bytes(platform_yaml(members).encode("utf-8"))
    return members
