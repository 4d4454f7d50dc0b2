"""Stage 7, search index: Pagefind's extended build (it segments Chinese) over the built site.

Only record pages carry `data-pagefind-body`, so only they are indexed; filters come from their
`data-pagefind-filter` spans (类别, 部门, 年度). The index is split in chunks: a first query downloads
a small part of it, not the whole text. Each page also carries search keys, and the index's words
are written out as the search page's vocabulary (generator/site/search_keys.py).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import cbor2

from generator.problems import BuildError, Problems
from generator.site.search_keys import write_vocabulary

EXCLUDED = ("caption", "thead", 'th[scope="row"]')
# Pagefind's own search interfaces. The search page drives Pagefind's JavaScript API itself
# (templates/assets/search.js), so no page loads these: 418 KB per site that would ship for nothing.
UNUSED_UI = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
             "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


def run_pagefind(site: Path) -> None:
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind", "--silent"]
    # Form labels (记录编号, 主管部门, …) stand on every record page: indexing them only fattens the
    # index chunks a citizen downloads. The values beside them stay indexed.
    for selector in EXCLUDED:
        cmd += ["--exclude-selectors", selector]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    except OSError as exc:
        _fail(f"无法运行 Pagefind（{exc}）；请安装 pagefind[extended]")
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        _fail("Pagefind 建立检索索引失败：" + " / ".join(detail))
    if not (site / "pagefind" / "pagefind.js").is_file():
        _fail("Pagefind 未生成检索索引（pagefind/pagefind.js 不存在）")
    for name in UNUSED_UI:
        (site / "pagefind" / name).unlink(missing_ok=True)
    make_reproducible(site / "pagefind")
    write_vocabulary(site / "pagefind")


_SIGNATURE = b"pagefind_dcd"


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    return cbor2.loads(data[len(_SIGNATURE):])


def _write(folder: Path, prefix: str, value, digits: int, suffix: str) -> str:
    data = _SIGNATURE + cbor2.dumps(value)
    name = f"{prefix}_{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(data, mtime=0))
    return name


def make_reproducible(bundle: Path) -> None:
    """Pagefind writes its filter indexes from hash maps, in an order that changes from run to run
    (Pagefind issue #638): the same pages give differently named files. Sort the filter values
    and the filter list, and name those files by their content, so one commit builds one site."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        filters = []
        for name, chunk in meta[3]:
            old = bundle / "filter" / f"{chunk}.pf_filter"
            label, values = _read(old)
            old.unlink()
            new = _write(bundle / "filter", language, [label, sorted(values, key=lambda v: v[0])], 7, ".pf_filter")
            filters.append([name, new])
        meta[3] = sorted(filters)
        meta_path.unlink()
        info["hash"] = _write(bundle, f"pagefind.{language}", meta, 13, ".pf_meta")[len("pagefind."):]
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _fail(detail: str) -> None:
    problems = Problems()
    problems.add("build_failed", detail=detail)
    raise BuildError(problems)
