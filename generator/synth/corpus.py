"""`disclose synth`: a deterministic synthetic corpus, a complete site directory in the real content format.

The plan (departments, projects and how many records of each kind each department holds) is drawn from
one random stream; each department's records are then drawn from their own stream (seeded by the seed
and the department's position), so departments can be written in parallel and the files are byte for
byte the same whatever the number of processes. Records are written with plain string formatting: at
100,000 records `yaml.dump` would cost more than all the rest.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import shutil
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.model.catalog import Catalog, load_catalog
from generator.problems import BuildError
from generator.synth import text as T
from generator.synth.kinds import Department
from generator.synth.records import DeptPlan, Rec, Secrecy

LAST_YEAR = 2025  # fixed, never today's date: the corpus must not change with the calendar
YEARS = 5
MARKER = ".synth"
FORMATS = ("yaml", "csv")


@dataclass
class SynthResult:
    records: int
    departments: int
    files: int
    first_year: int
    last_year: int


# ---- the plan ----------------------------------------------------------------------------------

def department_bank() -> list[tuple[str, str, str, str, str]]:
    """Every department the generator can name: (code, name, short name, place, sector)."""
    out = [(code, T.REGION + name, short, T.REGION, sector) for code, name, short, sector in T.REGION_DEPTS]
    for city, city_name in T.CITIES:
        out += [(f"{city}-{b}", city_name + name, city_name + name, city_name, sector) for b, name, sector in T.BUREAUS]
    for city, city_name in T.CITIES:
        for county, county_name in T.COUNTIES:
            place = city_name + county_name
            out += [(f"{city}-{county}-{b}", place + name, county_name + name, place, sector)
                    for b, name, sector in T.BUREAUS]
    return out


def _portal(code: str) -> str:
    head, _, rest = code.partition("-")
    return f"https://{head}.{T.DOMAIN}/" + (f"{rest}/" if rest else "")


def _shares(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder), each part at least `minimum`."""
    n = len(weights)
    if total < minimum * n:
        minimum = 0
    free = total - minimum * n
    scale = sum(weights)
    exact = [free * w / scale for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(n), key=lambda i: (parts[i] - exact[i], i))
    for i in order[: free - sum(parts)]:
        parts[i] += 1
    return [p + minimum for p in parts]


def make_plan(records: int, seed: int, bank: list[tuple[str, str, str, str, str]] | None = None) -> list[DeptPlan]:
    rng = random.Random(f"{seed}:plan")
    bank = bank or department_bank()
    n_depts = min(len(bank), max(4, records // 1000))
    first = LAST_YEAR - YEARS + 1
    dept_years = n_depts * YEARS
    rest = records
    small: dict[str, int] = {}
    # Kinds other than the project triple, in the order they give way when the corpus is tiny.
    for key, wanted in (("report", min(dept_years, max(1, records // 50))),
                        ("dept_goal", min(dept_years, max(1, records // 50))),
                        ("notices", max(1, round(records * 0.015))), ("fiscal", max(1, round(records * 0.02))),
                        ("pre", max(1, round(records * 0.03)))):
        small[key] = min(wanted, max(0, rest - 3))
        rest -= small[key]
    triples, goal_only = divmod(rest, 3)
    weights = [rng.lognormvariate(0, 0.5) for _ in range(n_depts)]
    plans = [DeptPlan(i, code, name, short, place, sector, _portal(code))
             for i, (code, name, short, place, sector) in enumerate(bank[:n_depts])]
    for plan, count in zip(plans, _shares(triples, weights, minimum=1), strict=True):
        while count:
            years = min(count, rng.choices((1, 2, 3, 4, 5), weights=(2, 2, 3, 3, 4))[0])
            plan.projects.append((rng.randint(first, LAST_YEAR - years + 1), years, False))
            count -= years
    plans[0].projects += [(LAST_YEAR, 1, True)] * goal_only
    slots = sorted(((y, p.index) for p in plans for y in range(first, LAST_YEAR + 1)), key=lambda s: (-s[0], s[1]))
    for year, i in slots[: small["report"]]:
        plans[i].report_years.append(year)
    for year, i in slots[: small["dept_goal"]]:
        plans[i].dept_goal_years.append(year)
    for key in ("notices", "fiscal", "pre"):
        for plan, count in zip(plans, _shares(small[key], weights), strict=True):
            setattr(plan, key, count)
    for plan in plans:
        plan.report_years.sort()
        plan.dept_goal_years.sort()
    return plans


# ---- writing ---------------------------------------------------------------------------------

# Anywhere in a plain scalar these could end it or start a comment, a flow item or a line; YAML's other
# indicators only matter first, and a plain scalar here always starts with a letter, a digit or CJK text.
_UNSAFE = re.compile(r"[:#,\[\]{}\n\t]|\s$")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


@lru_cache(maxsize=1 << 16)
def ys(text: str) -> str:
    """A text value as a YAML scalar: plain when that is unambiguous, else double-quoted (JSON is valid YAML)."""
    if not text:
        return '""'
    if _WORD.fullmatch(text):
        return text if text.lower() not in _YAML_WORDS else f'"{text}"'
    # Text with CJK in it never reads as a number, date or boolean, even when it starts with a digit.
    if (text[0] > "\x7f" or (text[0].isalnum() and not text.isascii())) and not _UNSAFE.search(text):
        return text
    return json.dumps(text, ensure_ascii=False)


@dataclass
class _Layout:
    """What the writers need to know about each kind, read once from the schemas."""

    folder: dict[str, str]
    plain: dict[str, frozenset[str]]  # fields written unquoted: numbers, integers, dates, booleans
    columns: dict[str, list[str]]
    row_columns: dict[str, list[str]]
    row_plain: frozenset[str]

    @classmethod
    def of(cls, catalog: Catalog) -> _Layout:
        kinds = catalog.kinds.values()
        return cls(
            folder={k.name: k.folder for k in kinds},
            plain={k.name: frozenset(f["name"] for f in k.fields if f["type"] != "string") for k in kinds},
            columns={k.name: k.field_names for k in kinds},
            row_columns={k.name: catalog.indicator_fields_for(k) for k in kinds if k.has_indicators},
            row_plain=frozenset(f["name"] for f in catalog.indicator_schema["fields"] if f["type"] != "string"),
        )


def record_yaml(rec: dict[str, Any], rows: list[dict[str, str]], plain: frozenset[str],
                row_plain: frozenset[str]) -> str:
    out = []
    for key, value in rec.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            out.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")  # a small table: JSON is YAML flow
        elif isinstance(value, list):
            out.append(f"{key}:")
            out.extend(f"  - {ys(v)}" for v in value)
        elif "\n" in value:
            out.append(f"{key}: |-")
            out.extend(f"  {line}" if line else "" for line in value.split("\n"))
        else:
            out.append(f"{key}: {value if key in plain else ys(value)}")
    if rows:
        out.append("indicators:")
        for row in rows:
            cells = ", ".join(f"{k}: {v if k in row_plain else ys(v)}" for k, v in row.items())
            out.append(f"  - {{{cells}}}")
    out.append("")
    return "\n".join(out)


def _has_table(rec: dict[str, Any]) -> bool:
    return any(isinstance(v, list) and v and isinstance(v[0], (dict, list)) for v in rec.values())


def _cell(value: Any, name: str) -> str:
    if isinstance(value, list):
        return (";" if name == "withheld_fields" else "\n").join(value)
    return value or ""


def table_csv(columns: list[str], items: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_cell(item.get(c), c) for c in columns] for item in items)
    return buf.getvalue()


def _year(plan: DeptPlan, rec: dict[str, Any]) -> str:
    """Every id is `<dept>-<year>-…`; the year is the folder the record belongs in."""
    return rec["id"][len(plan.code) + 1:][:4]


def _write_records(out: Path, plan: DeptPlan, records: list[Rec], layout: _Layout, fmt: str) -> int:
    content = out / "content" / plan.code
    made: set[Path] = set()

    def folder(year: str, kind: str) -> Path:
        path = content / year / layout.folder[kind]
        if path not in made:
            path.mkdir(parents=True, exist_ok=True)
            made.add(path)
        return path

    # A small table in a field (funding, duties) has no CSV form: in a CSV corpus, the records holding one
    # are written as YAML beside the CSV tables, as an editor would keep them, so nothing is dropped.
    as_yaml = records if fmt == "yaml" else [item for item in records if _has_table(item[1])]
    for kind, rec, rows in as_yaml:
        text = record_yaml(rec, rows, layout.plain[kind], layout.row_plain)
        (folder(_year(plan, rec), kind) / f"{rec['id']}.yml").write_bytes(
            text.encode("utf-8"))
    if fmt == "yaml":
        return len(records)
    tables: dict[tuple[str, str], list[Rec]] = {}
    for item in records:
        if not _has_table(item[1]):
            tables.setdefault((_year(plan, item[1]), item[0]), []).append(item)
    files = len(as_yaml)
    for (year, kind), items in sorted(tables.items()):
        items.sort(key=lambda item: item[1]["id"])
        stem = folder(year, kind) / f"{plan.code}-{year}-{layout.folder[kind]}"
        stem.with_name(stem.name + ".csv").write_bytes(
            table_csv(layout.columns[kind], [{**rec, "dept": plan.code, "year": year} for _, rec, _ in items])
            .encode("utf-8"))
        files += 1
        if kind in layout.row_columns:
            rows = [{"record_id": rec["id"], **row} for _, rec, rows in items for row in rows]
            stem.with_name(stem.name + ".indicators.csv").write_bytes(
                table_csv(layout.row_columns[kind], rows).encode("utf-8"))
            files += 1
    return files


_CACHE: dict[str, Any] = {}


def _dept_job(out: Path, seed: int, fmt: str, plan: DeptPlan) -> tuple[int, int]:
    """Generate and write one department; returns (records, files). Runs in a worker process."""
    if "catalog" not in _CACHE:
        catalog = load_catalog(None)
        _CACHE.update(catalog=catalog, secrecy=Secrecy(catalog), layout=_Layout.of(catalog))
    first = LAST_YEAR - YEARS + 1
    records = Department(plan, seed, _CACHE["catalog"], _CACHE["secrecy"], first, LAST_YEAR).generate()
    files = _write_records(out, plan, records, _CACHE["layout"], fmt)
    return len(records), files


# ---- the site directory ----------------------------------------------------------------------

SITE_CONFIG = f"""\
# 站点配置（disclose synth 生成的合成语料，{T.REGION}为虚构地区）：每个键的含义见 README 的“site_config.yml”一节。
site:
  name: 预算绩效管理信息公开专栏
  organisation: {T.REGION}财政厅
  base_url: https://czt.{T.DOMAIN}/yjgk/
  portal_url: https://czt.{T.DOMAIN}/
  site_code: "9900000021"
  icp: 塞ICP备00000000号
  psb: 塞公网安备 99010502000000号
  contact:
    phone: {T.AREA_CODE}-6000000
    address: {T.REGION}东河市新华大街1号
    email: jxgk@czt.{T.DOMAIN}
  error_report_url: https://czt.{T.DOMAIN}/jiucuo/
  description: {T.REGION}各部门预算绩效目标、评价结果和绩效监控情况的集中公开栏目（合成的测试数据）。
deadlines:
  approved_days: 20
  completed_months: 1
  monitoring_report_due: "08-31"
disclosure:
  withheld_display: none
limits:
  max_file_mb: 50
guard:
  min_length: 4
"""


def departments_yaml(plans: list[DeptPlan]) -> str:
    lines = ["# 部门登记表（合成语料）：code 用作目录名和网址，name 为部门全称。"]
    for p in plans:
        lines += [f"- code: {p.code}", f"  name: {p.name}", f"  short_name: {p.short}", f"  portal_url: {p.portal_url}"]
    return "\n".join(lines) + "\n"


def prepare_out(out: Path) -> None:
    """Refuse a directory that holds anything but an earlier corpus: never overwrite real content."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise BuildError.one("synth_out_not_empty", str(out), out=str(out))
    shutil.rmtree(out / "content", ignore_errors=True)
    (out / "site_config.yml").unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)


def synthesise(out: Path, records: int, seed: int, fmt: str = "yaml", jobs: int | None = None,
               progress: Callable[[int, int, int, int], None] | None = None,
               bank: list[tuple[str, str, str, str, str]] | None = None, site_config: str = SITE_CONFIG) -> SynthResult:
    """Write a corpus of exactly `records` records to `out`; `progress(records done, total, depts done, depts)`."""
    if records < 1:
        raise BuildError.one("synth_records_invalid", value=records)
    prepare_out(out)
    plans = make_plan(records, seed, bank)
    (out / "content").mkdir()
    (out / "site_config.yml").write_bytes(site_config.encode("utf-8"))
    (out / "content" / "departments.yml").write_bytes(departments_yaml(plans).encode("utf-8"))
    (out / MARKER).write_bytes(f"records: {records}\nseed: {seed}\nformat: {fmt}\n".encode())
    jobs = max(1, jobs or os.cpu_count() or 1)
    # Biggest departments first, so the last worker to finish is not the one with the most to do.
    order = sorted(plans, key=lambda p: -sum(y for _, y, _ in p.projects))
    done = files = 0
    if jobs == 1 or records < 2000:
        for i, plan in enumerate(order, start=1):
            n, f = _dept_job(out, seed, fmt, plan)
            done, files = done + n, files + f
            if progress:
                progress(done, records, i, len(plans))
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(plans))) as pool:
            futures = [pool.submit(_dept_job, out, seed, fmt, plan) for plan in order]
            for i, future in enumerate(as_completed(futures), start=1):
                n, f = future.result()
                done, files = done + n, files + f
                if progress:
                    progress(done, records, i, len(plans))
    return SynthResult(done, len(plans), files + 2, LAST_YEAR - YEARS + 1, LAST_YEAR)
