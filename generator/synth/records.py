"""The records of one synthetic department: projects with their goal, monitoring table and self-evaluation
each year, plus pre-assessments, fiscal evaluations, the yearly monitoring report, the department-wide goal
and notices. Values are written as the editors' text (strings), ready for the YAML and CSV writers.

Amounts are kept in hundredths of 万元 (integers) so every sum and execution rate is exact; confidential
records, rows and withheld fields are mixed in here, each secret value carrying its own canary token.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from generator.model import equations
from generator.model.catalog import IDENTITY_FIELDS, Catalog
from generator.synth import text as T

P_CONFIDENTIAL = 0.01
P_WITHHELD = 0.02
P_ROW = 0.01
LEVEL1 = {"数量指标": "产出指标", "质量指标": "产出指标", "时效指标": "产出指标", "成本指标": "产出指标",
          "经济效益指标": "效益指标", "社会效益指标": "效益指标", "生态效益指标": "效益指标",
          "可持续影响指标": "效益指标", "服务对象满意度指标": "满意度指标"}
# Weights of the self-evaluation form (自评表): outputs 50, effects 30, satisfaction 10, execution 10.
LEVEL1_WEIGHT = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
# (level2, fewest, most) indicator rows per goal table.
ROW_PLAN = [("数量指标", 2, 4), ("质量指标", 2, 3), ("时效指标", 1, 2), ("成本指标", 1, 2),
            ("经济效益指标", 0, 1), ("社会效益指标", 1, 3), ("生态效益指标", 0, 1),
            ("可持续影响指标", 1, 2), ("服务对象满意度指标", 1, 2)]
# Row columns written from the forms' own vocabulary (checked against kinds.yml indicator_levels).
_ROW_VOCABULARY = ("level1", "level2", "operator")
ECO_SECTORS = ("林草", "环境", "水利", "农牧")

Rec = tuple[str, dict[str, Any], list[dict[str, str]]]


@dataclass
class DeptPlan:
    index: int
    code: str
    name: str
    short: str
    place: str
    sector: str
    portal_url: str
    projects: list[tuple[int, int, bool]] = field(default_factory=list)  # (start year, years, goal only)
    report_years: list[int] = field(default_factory=list)
    dept_goal_years: list[int] = field(default_factory=list)
    notices: int = 0
    fiscal: int = 0
    pre: int = 0


def money(cents: int, unit: str) -> str:
    """Hundredths of 万元 as written in a record whose unit is `unit`."""
    if unit == "元":
        return str(cents * 100)
    return f"{cents // 100}.{cents % 100:02d}"


def hundredths(h: int) -> str:
    return f"{h // 100}.{h % 100:02d}".rstrip("0").rstrip(".")


def rate_tenths(num: int, den: int) -> int:
    """Execution rate in tenths of a percent, rounded exactly as the validation rule rounds it."""
    return int((Decimal(num) / Decimal(den) * 1000).quantize(Decimal(1)))


def tenths(t: int) -> str:
    return f"{t // 10}.{t % 10}"


def _is_code(value: Any) -> bool:
    return isinstance(value, str) and value.isascii()


class Secrecy:
    """Which fields of each kind hold free text that can be made secret (with a canary appended)."""

    def __init__(self, catalog: Catalog):
        self.text: dict[str, list[str]] = {}
        self.never: dict[str, list[str]] = {}
        for kind in catalog.kinds.values():
            self.text[kind.name] = [
                f["name"] for f in kind.fields
                if f["type"] == "string" and not {"enum", "pattern"} & set(f.get("constraints", {}))
                and f["name"] not in ("confidential_basis", "withheld_fields", "delay_reason", *IDENTITY_FIELDS)
                and not f.get("x-never-public")]
            self.never[kind.name] = kind.never_public


class DeptGenerator:
    def __init__(self, plan: DeptPlan, seed: int, catalog: Catalog, secrecy: Secrecy, first: int = 2021,
                 last: int = 2025):
        self.p = plan
        self.rng = random.Random(f"{seed}:{plan.index}")
        self.catalog = catalog
        self.secrecy = secrecy
        self.first, self.last = first, last
        self.sector = T.SECTORS[plan.sector]
        self.canaries = 0
        # The first department always shows each kind of secret, so even a tiny corpus tests the guard.
        self.force = {"confidential", "withheld", "row"} if plan.index == 0 else set()
        self.records: list[Rec] = []
        self.year_totals: dict[int, list[int]] = {}  # year → [budget, spent, projects, green, yellow, red]
        self.goal_totals: dict[int, int] = {}

    # ---- helpers ---------------------------------------------------------------------------------

    def canary(self) -> str:
        self.canaries += 1
        return f"CANARY-{self.p.index + 1:04d}{self.canaries:06d}"

    def date(self, year: int, m1: int, m2: int) -> str:
        month = self.rng.randint(m1, m2)
        return f"{year}-{month:02d}-{self.rng.randint(1, 28):02d}"

    def listing(self, bank: list[str], n: int) -> str:
        items = self.rng.sample(bank, n)
        return "；".join(f"{T.ORDINALS[i]}是{s}" for i, s in enumerate(items)) + "。"

    def ctx(self, **extra: Any) -> dict[str, Any]:
        s = self.sector
        base = {"dept": self.p.name, "short": self.p.short, "sector": self.p.sector, "region": T.REGION,
                "obj": s["obj"][0], "obj_unit": s["obj"][1], "site": s["site"][0], "site_unit": s["site"][1],
                "work": s["work"][0], "work_unit": s["work"][1]}
        base.update(extra)
        return base

    def add(self, kind: str, rec: dict[str, Any], rows: list[dict[str, str]] | None = None) -> None:
        rows = rows or []
        self._secrets(kind, rec, rows)
        self._scrub(kind, rec, rows)
        self.records.append((kind, rec, rows))

    def _scrub(self, kind: str, rec: dict[str, Any], rows: list[dict[str, str]]) -> None:
        """What a careful editor does: prose no longer repeats a value redaction will withhold (a total
        a confidential row would follow from, a score beside a withheld grade)."""
        if rec.get("confidential"):
            return
        secret_rows = {i for i, row in enumerate(rows) if row.get("confidential")}
        hidden, _ = equations.closure(self.catalog.kinds[kind].equations, rec, rows,
                                      set(rec.get("withheld_fields") or []), secret_rows)
        prose = set(self.secrecy.text[kind])
        for name in hidden:
            value = rec.get(name)
            if not isinstance(value, str) or not value:
                continue
            # Only as a whole number, and only in prose: 71 inside 455.71 is another amount.
            whole = re.compile(rf"(?<![\d.,]){re.escape(value)}(?![\d])")
            for key in prose:
                text = rec.get(key)
                if key != name and isinstance(text, str) and whole.search(text):
                    rec[key] = whole.sub("（依法不予公开）", text)

    def _secrets(self, kind: str, rec: dict[str, Any], rows: list[dict[str, str]]) -> None:
        rng = self.rng
        for name in self.secrecy.never[kind]:
            if rec.get(name):
                rec[name] = f"{rec[name]}（{self.canary()}）"
        # Codes such as evaluated_dept are plain ASCII and must stay valid: only prose gets a canary.
        texts = [n for n in self.secrecy.text[kind] if rec.get(n) and not _is_code(rec[n])]
        # Notices are public by nature: never withheld, whole or in part.
        if kind != "notice" and (rng.random() < P_CONFIDENTIAL or "confidential" in self.force):
            self.force.discard("confidential")
            rec["confidential"] = "true"
            rec["confidential_basis"] = rng.choice(T.CONFIDENTIAL_BASES)
            for name in ["title", *texts]:
                rec[name] = self._mark(rec[name])
            for row in rows:
                self._mark_row(row)
            return
        forced = "withheld" in self.force and kind == "monitoring"
        if kind != "notice" and texts and (rng.random() < P_WITHHELD or forced):
            self.force.discard("withheld")
            name = rng.choice(texts)
            rec[name] = self._mark(rec[name])
            rec["withheld_fields"] = [name]
        for i, row in enumerate(rows):
            if rng.random() < P_ROW or (i == 0 and "row" in self.force and kind == "evaluation"):
                self.force.discard("row")
                row["confidential"] = "true"
                self._mark_row(row)
                row["note"] = f"该指标涉及不予公开事项（{self.canary()}）"

    def _mark_row(self, row: dict[str, str]) -> None:
        """Every word of a secret row (name, qualitative target and result, analyses) gets a canary."""
        for name, value in row.items():
            spec = self.catalog.indicator_by_name.get(name, {})
            if isinstance(value, str) and value and not re.fullmatch(r"[\d.,%≥≤=~+\-]*", value) \
                    and name not in _ROW_VOCABULARY and "enum" not in spec.get("constraints", {}) \
                    and spec.get("type", "string") == "string":
                row[name] = self._mark(value)

    def _mark(self, value: Any) -> Any:
        """Every clause of a secret gets its own canary: the stock phrases the corpus is written from
        stand in public records too, and a clause of a secret shared with another project is a quote."""
        if isinstance(value, list):
            return [self._mark(v) for v in value]
        clauses = re.findall(r"[^，、：；。！？]+[，、：；。！？]*", str(value))
        return "".join(re.sub(r"^(.*?)([，、：；。！？]*)$", lambda m: f"{m[1]}（{self.canary()}）{m[2]}", c)
                       for c in clauses) or str(value)

    # ---- indicator rows --------------------------------------------------------------------------

    def indicator_specs(self, dept_wide: bool = False) -> list[tuple]:
        rng = self.rng
        if dept_wide:
            specs = list(T.DEPT_INDICATORS)
            return sorted(rng.sample(specs, rng.randint(10, len(specs))), key=specs.index)
        own = [(LEVEL1[l2], l2, name, op, "q" if op == "定性" else "p" if unit == "%" else "n", unit, lo, hi)
               for l2, name, op, unit, lo, hi in self.sector["indicators"]]
        pools = {l2: [s for s in own if s[1] == l2] + [s for s in T.GENERIC_INDICATORS if s[1] == l2]
                 for l2, _, _ in ROW_PLAN}
        eco = self.p.sector in ECO_SECTORS
        counts = {l2: min(len(pools[l2]), rng.randint(lo, hi + (1 if eco and l2 == "生态效益指标" else 0)))
                  for l2, lo, hi in ROW_PLAN}
        while sum(counts.values()) < 10:
            l2 = rng.choice([k for k in counts if counts[k] < len(pools[k])])
            counts[l2] += 1
        while sum(counts.values()) > 20:
            l2 = rng.choice([k for k in counts if counts[k] > 1])
            counts[l2] -= 1
        out = []
        for l2, _, _ in ROW_PLAN:
            pool = pools[l2]
            out.extend(sorted(rng.sample(pool, counts[l2]), key=pool.index))
        return out

    def goal_rows(self, specs: list[tuple], year: int, total: int, ctx: dict[str, Any]) -> list[dict[str, str]]:
        rng = self.rng
        rows = []
        for level1, level2, name, op, vkind, unit, lo, hi in specs:
            unit = unit.format(**ctx)
            row = {"level1": level1, "level2": level2, "name": name.format(**ctx), "operator": op}
            if vkind == "n":
                target = str(int(lo) if lo == hi else rng.randint(int(lo), int(hi)))
            elif vkind == "p":
                target = str(int(lo) if lo == hi else rng.randint(int(lo), int(hi)))
            elif vkind == "c":
                per = max(1, total // (rng.randint(5, 60) if "/" in unit else 1))
                target = money(per, "万元")
            elif vkind == "d":
                target = f"{year}年{rng.choice((6, 9, 10, 11, 12))}月底前"
            else:
                target = rng.choice(T.QUALITATIVE_TARGETS)
            row["target"] = target
            if unit:
                row["unit"] = unit
            if op != "定性" and rng.random() < 0.3:
                row["target_text"] = f"{op}{target}{unit}"
            rows.append(row)
        return rows

    # ---- projects --------------------------------------------------------------------------------

    def project_name(self, used: set[str]) -> tuple[str, str]:
        rng = self.rng
        for _ in range(20):
            theme = rng.choice(self.sector["themes"])
            name = rng.choice(T.PROJECT_PREFIXES) + theme + rng.choice(T.PROJECT_SUFFIXES)
            if name not in used:
                used.add(name)
                return name, theme
        name = f"{name[:-2]}{rng.choice(T.PHASES)}{name[-2:]}"
        while name in used:
            name = f"{self.p.place}{name}"
        used.add(name)
        return name, theme

    def agency(self) -> str:
        if self.rng.random() < 0.5:
            return self.p.name
        return self.p.place + self.rng.choice(self.sector["units"])
