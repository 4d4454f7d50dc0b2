"""Stage 7, search index: Pagefind's extended build (it segments Chinese) over the built site.

Only record pages carry `data-pagefind-body`, so only they are indexed; filters come from their
`data-pagefind-filter` spans (类别, 部门, 年度). The index is split in chunks: a first query downloads
a small part of it, not the whole text.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .problems import BuildError, Problems


def run_pagefind(site: Path) -> None:
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind", "--silent"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    except OSError as exc:
        _fail(f"无法运行 Pagefind（{exc}）；请安装 pagefind[extended]")
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        _fail("Pagefind 建立检索索引失败：" + " / ".join(detail))
    if not (site / "pagefind" / "pagefind.js").is_file():
        _fail("Pagefind 未生成检索索引（pagefind/pagefind.js 不存在）")


def _fail(detail: str) -> None:
    problems = Problems()
    problems.add("build_failed", detail=detail)
    raise BuildError(problems)
