"""Validation speed: 200,000 indicator rows from CSV, ours against `frictionless validate`.

    python benchmarks/bench_validate.py [--rows 200000] [--records 13000] [--repeat 3] [--keep DIR]

Writes a synthetic site (one monitoring table of `--records` records and its companion indicator CSV of
`--rows` rows) to a temporary directory, then times, each as a fresh subprocess:
  1. `frictionless validate <indicators.csv> --schema schemas/indicators.schema.json`
  2. `disclose validate --root <site>` (load + validate of the records table and all indicator rows)
and, in this process, `generator.build.read_site` alone (no interpreter start-up or imports).
Each is run `--repeat` times, alternating, and the best time counts (a shared machine only ever adds time).
Target (issue 2): ours within 1.5x frictionless. Not a test: figures vary with the machine.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from generator.build import read_site  # noqa: E402

DEPARTMENTS = """\
- code: lcj
  name: 内蒙古自治区林业和草原局
  short_name: 林草局
  portal_url: https://lcj.nmg.gov.cn/
"""

RECORD_COLUMNS = ["id", "title", "project_code", "months", "completed_on", "funds_unit", "budget_initial",
                  "budget_full_year", "spent_to_date", "execution_rate", "warning"]
# (level1, level2, name, operator, target, unit): the shapes a 项目支出绩效目标监控情况表 holds.
INDICATORS = [
    ("产出指标", "数量指标", "退化林修复面积", "≥", "20", "万亩"),
    ("产出指标", "质量指标", "苗木成活率", "≥", "85", "%"),
    ("产出指标", "时效指标", "资金拨付及时率", "=", "100", "%"),
    ("成本指标", "成本指标", "亩均补助标准", "≤", "300", "元/亩"),
    ("效益指标", "生态效益指标", "森林覆盖率提高", "≥", "0.1", "个百分点"),
    ("效益指标", "社会效益指标", "带动农牧民就业", "≥", "1,200", "人"),
    ("效益指标", "可持续影响指标", "管护机制健全程度", "定性", "持续健全", ""),
    ("满意度指标", "服务对象满意度指标", "农牧民满意度", "≥", "90", "%"),
]


def write_site(root: Path, records: int, rows: int) -> Path:
    content = root / "content"
    folder = content / "lcj" / "2026" / "monitoring"
    folder.mkdir(parents=True)
    shutil.copyfile(PROJECT / "site_config.yml", root / "site_config.yml")
    (content / "departments.yml").write_text(DEPARTMENTS, encoding="utf-8")
    with (folder / "bench.csv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(RECORD_COLUMNS)
        for i in range(records):
            budget = 1000 + i % 500
            spent = budget // 2
            out.writerow([f"lcj-2026-mon-{i:05d}", f"2026年林草生态保护修复项目（第{i}批）绩效监控情况",
                          f"P2026{i:06d}", 7, "2026-08-10", "万元", budget, budget, spent,
                          f"{spent / budget * 100:.1f}", "绿"])
    # Every column of the indicator schema, in its order: `frictionless validate` matches columns by position.
    columns = [f["name"] for f in json.loads((PROJECT / "schemas" / "indicators.schema.json").read_text())["fields"]]
    with (folder / "bench.indicators.csv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(columns)
        for n in range(rows):
            level1, level2, name, op, target, unit = INDICATORS[n % len(INDICATORS)]
            lagging = n % 10 == 3
            row = {"record_id": f"lcj-2026-mon-{n % records:05d}", "level1": level1, "level2": level2, "name": name,
                   "operator": op, "target": target, "unit": unit, "confidential": "否",
                   "actual": target if op == "定性" else "10", "expected": target,
                   "likelihood": "有可能" if lagging else "确定能"}
            if lagging:
                row.update(deviation_category="经费保障", deviation_reason="资金下达较晚，项目实施进度滞后。",
                           corrective_measures="加快资金拨付，督促实施单位按计划推进。", warning="黄")
            out.writerow([row.get(c, "") for c in columns])
    return folder / "bench.indicators.csv"


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall-clock and CPU (user + system) seconds of one run; CPU time is what a busy machine
    disturbs least."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc


def report(proc: subprocess.CompletedProcess) -> None:
    if proc.returncode != 0:
        print(proc.stdout[-2000:], proc.stderr[-2000:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--records", type=int, default=13_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts")
    parser.add_argument("--keep", type=Path, help="write the site here and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-validate-"))
    try:
        indicators = write_site(root, args.records, args.rows)
        # Frictionless refuses absolute paths as unsafe: run it in the site root with relative ones. A lone
        # file has no package to resolve the record_id foreign key in, so the copy leaves that key out.
        schema = json.loads((PROJECT / "schemas" / "indicators.schema.json").read_text(encoding="utf-8"))
        schema.pop("foreignKeys", None)
        (root / "indicators.schema.json").write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
        data = indicators.relative_to(root).as_posix()
        size = indicators.stat().st_size / 1024 / 1024
        print(f"site: {root}  ({args.records:,} records, {args.rows:,} indicator rows, {size:.1f} MB)")

        frictionless_cmd = ["frictionless", "validate", data, "--schema", "indicators.schema.json"]
        disclose = shutil.which("disclose") or "disclose"
        ours_cmd = [disclose, "validate", "--root", str(root)]
        fl_times, our_times, fl_cpu, our_cpu, inproc_times = [], [], [], [], []
        for _ in range(args.repeat):
            wall, cpu, fl_proc = timed(frictionless_cmd, cwd=root)
            fl_times.append(wall)
            fl_cpu.append(cpu)
            wall, cpu, our_proc = timed(ours_cmd)
            our_times.append(wall)
            our_cpu.append(cpu)
            start = time.perf_counter()
            result = read_site(root)
            inproc_times.append(time.perf_counter() - start)
        t_fl, t_ours, t_inproc = min(fl_times), min(our_times), min(inproc_times)
        fl_ok = fl_proc.returncode == 0
        print(f"frictionless validate (subprocess):  {t_fl:7.2f} s  cpu {min(fl_cpu):6.2f} s  exit {fl_proc.returncode}"
              f"  (runs: {', '.join(f'{t:.2f}' for t in fl_times)})")
        report(fl_proc)
        print(f"disclose validate (subprocess):      {t_ours:7.2f} s  cpu {min(our_cpu):6.2f} s  exit "
              f"{our_proc.returncode}  (runs: {', '.join(f'{t:.2f}' for t in our_times)})")
        report(our_proc)
        rows = sum(len(r.rows) for r in result.records)
        print(f"read_site (in process):              {t_inproc:7.2f} s  {len(result.records):,} records, "
              f"{rows:,} rows, {len(result.problems.errors)} errors")

        ratio = t_ours / t_fl
        print(f"ratio disclose / frictionless: {ratio:.2f}x wall, {min(our_cpu) / min(fl_cpu):.2f}x cpu "
              f"(target <= 1.5x): {'OK' if ratio <= 1.5 else 'SLOWER'}")
        print("commands:")
        print(f"  (cd {root} && {' '.join(frictionless_cmd)})")
        print("  " + " ".join(ours_cmd))
        return 0 if ratio <= 1.5 and fl_ok and not result.problems.errors else 1
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
