"""Fetch one member's published output and check it, before any of it is used.

Everything of a member is downloaded into a fresh folder first (manifest, publication log, search
bundle, and a look at the pages every disclosure column must have); only when all of it arrived and
holds together is the folder handed on. A member that is down, slow or serving something invalid
raises FetchFailed with one Chinese sentence saying what failed; the caller keeps its last good copy.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from generator.log import publog
from generator.platform.members import MemberSpec
from generator.site.platform_manifest import FORMAT, MANIFEST
from generator.site.search_index import _read as read_pagefind

LOG_PATH = "log/publication-log.jsonl"
FETCH_INFO = "fetch.json"
# The pages every disclosure column has (the site's own nav): their absence is a 四个统一 finding.
REQUIRED_PAGES = {"index.html": "首页", "search/index.html": "检索", "log/index.html": "公开日志",
                  "compliance/index.html": "公开情况考核", "data/index.html": "开放数据",
                  "data/datapackage.json": "开放数据目录", "about/index.html": "公开说明"}
MAX_BYTES = 64 * 1024 * 1024
READ_CHUNK = 256 * 1024
# Seconds one member may take in all (every file of it), unless the platform build says otherwise.
DEFAULT_BUDGET = 300.0
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_FILE = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


class FetchFailed(Exception):
    """`str(exc)` is the Chinese sentence of what failed."""


@dataclass
class Snapshot:
    """A member's checked copy in `folder`: its manifest, its log events and when it was fetched."""

    folder: Path
    manifest: dict[str, Any]
    lines: list[bytes]
    fetched_at: str
    missing_pages: list[str] = field(default_factory=list)
    unlogged: list[str] = field(default_factory=list)  # records on the site with no published hash in its log

    @property
    def records(self) -> list[dict[str, Any]]:
        return [r for r in self.manifest["records"] if r["id"] not in self.unlogged]

    @classmethod
    def load(cls, folder: Path) -> Snapshot:
        info = json.loads((folder / FETCH_INFO).read_text(encoding="utf-8"))
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        lines = _split((folder / LOG_PATH).read_bytes())
        return cls(folder, manifest, lines, info["fetched_at"], info.get("missing_pages", []),
                   info.get("unlogged", []))


class _Source:
    """Reads a member's files. `timeout` bounds each request; `budget` the whole member, so a member
    that answers every request slowly (or trickles its bytes) cannot hold the platform build up."""

    def __init__(self, spec: MemberSpec, timeout: float, budget: float = DEFAULT_BUDGET):
        self.spec, self.timeout, self.budget = spec, timeout, budget
        self.deadline = time.monotonic() + budget

    def _left(self, url: str) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise FetchFailed(f"读取 {self.spec.url} 超过 {self.budget:g} 秒仍未完成（停在 {url}），本次不更新该站点")
        return left

    def get(self, rel: str) -> bytes:
        if not self.spec.remote:
            path = Path(self.spec.url) / rel
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise FetchFailed(f"读取 {path} 失败（{exc.strerror or exc}）") from None
            return data
        url = self.spec.url + rel
        try:
            timeout = min(self.timeout, self._left(url))
            with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 - http(s) only (members.py)
                data = self._read(resp, url)
        except urllib.error.HTTPError as exc:
            raise FetchFailed(f"{url} 返回 HTTP {exc.code}") from None
        except TimeoutError:
            raise self._timed_out(url) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise self._timed_out(url) from None
            raise FetchFailed(f"无法连接 {url}（{reason}）") from None
        if len(data) > MAX_BYTES:
            raise FetchFailed(f"{url} 超过 {MAX_BYTES // 1024 // 1024} MB")
        return data

    def _timed_out(self, url: str) -> FetchFailed:
        try:
            self._left(url)
        except FetchFailed as over_budget:  # the member's budget ran out during this request
            return over_budget
        return FetchFailed(f"{url} 超过 {self.timeout:g} 秒未响应")

    def _read(self, resp: Any, url: str) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_BYTES:
            self._left(url)
            chunk = resp.read(min(READ_CHUNK, MAX_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)

    def exists(self, rel: str) -> bool:
        try:
            self.get(rel)
        except FetchFailed:
            return False
        return True


def fetch_member(spec: MemberSpec, dest: Path, timeout: float, now: datetime | None = None,
                 budget: float = DEFAULT_BUDGET) -> Snapshot:
    """Download and check everything of `spec` into the empty folder `dest`; FetchFailed on any problem."""
    src = _Source(spec, timeout, budget)
    raw = src.get(MANIFEST)
    manifest = _json(raw, MANIFEST)
    check_manifest(manifest, spec)
    log = src.get(LOG_PATH)
    lines = _split(log)
    unlogged = check_log(manifest, log, lines, dest)
    bundle = fetch_bundle(src, dest / "pagefind")
    missing = [rel for rel in REQUIRED_PAGES if not src.exists(rel)]
    (dest / MANIFEST).write_bytes(raw)
    when = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    info = {"fetched_at": when, "missing_pages": missing, "unlogged": unlogged, "bundle_files": bundle}
    (dest / FETCH_INFO).write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    return Snapshot(dest, manifest, lines, when, missing, unlogged)


def _json(data: bytes, name: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FetchFailed(f"{name} 不是有效的 JSON（{exc}）") from None


def _split(data: bytes) -> list[bytes]:
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


def check_manifest(m: Any, spec: MemberSpec) -> None:
    def bad(what: str) -> FetchFailed:
        return FetchFailed(f"{MANIFEST} 内容无效：{what}")

    if not isinstance(m, dict) or m.get("format") != FORMAT or not isinstance(m.get("format_version"), int):
        raise bad(f"不是本工具生成的站点清单（format 应为 {FORMAT}）")
    site = m.get("site")
    if not isinstance(site, dict) or not all(isinstance(site.get(k), str) for k in ("name", "level", "division_code")):
        raise bad("缺少站点名称、层级或行政区划代码")
    if not str(site.get("base_url") or "").startswith(("http://", "https://")):
        raise bad("站点地址（base_url）应以 http:// 或 https:// 开头")
    if site["division_code"] != spec.division_code:
        raise bad(f"行政区划代码为 {site['division_code']}，平台成员清单中为 {spec.division_code}")
    for key in ("generator", "schema", "deadlines", "log"):
        if not isinstance(m.get(key), dict):
            raise bad(f"缺少 {key}")
    if not isinstance(m["log"].get("events"), int) or not isinstance(m["log"].get("head"), str):
        raise bad("公开日志的条数或末行哈希缺失")
    records, tallies = m.get("records"), m.get("compliance")
    if not isinstance(records, list) or not isinstance(tallies, list):
        raise bad("缺少记录列表或考核统计")
    seen = set()
    for r in records:
        if not isinstance(r, dict) or not isinstance(r.get("id"), str) or not _ID.match(r["id"]) or r["id"] in seen:
            raise bad(f"记录编号无效或重复：{str(r.get('id') if isinstance(r, dict) else r)[:80]}")
        seen.add(r["id"])
        if r.get("path") != f"records/{r['id']}/" or not isinstance(r.get("year"), int):
            raise bad(f"记录 {r['id']} 的地址或年度无效")
        for key in ("kind", "kind_title", "dept", "dept_name", "title"):
            if not isinstance(r.get(key), str):
                raise bad(f"记录 {r['id']} 缺少 {key}")
        if r.get("sha256") is not None and not (isinstance(r["sha256"], str) and _HEX64.match(r["sha256"])):
            raise bad(f"记录 {r['id']} 的内容哈希无效")
    for t in tallies:
        if not isinstance(t, dict) or not all(isinstance(t.get(k), int) for k in
                                               ("year", "expected", "published", "on_time", "late", "missing",
                                                "not_due")) or not isinstance(t.get("dept"), str):
            raise bad("考核统计中有无效的行")


def check_log(m: dict[str, Any], log: bytes, lines: list[bytes], dest: Path) -> list[str]:
    """The log's chain holds, it is the one the manifest names, and each record's hash is its latest event's.
    Returns the records that have no published hash yet (built but never logged): not shown."""
    path = dest / LOG_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(log)
    problems = publog.verify_chain(path)
    if problems:
        raise FetchFailed(f"公开日志未通过哈希链校验（{problems[0].render()}）")
    head = publog.line_hash(lines[-1]) if lines else publog.GENESIS
    if len(lines) != m["log"]["events"] or head != m["log"]["head"]:
        raise FetchFailed(f"公开日志与站点清单不一致（日志 {len(lines)} 条，清单记为 {m['log']['events']} 条）")
    latest: dict[str, dict[str, Any]] = {}
    for line in lines:
        e = json.loads(line)
        latest[e["id"]] = e
    unlogged = []
    for r in m["records"]:
        e = latest.get(r["id"])
        if r.get("sha256") is None:
            unlogged.append(r["id"])
        elif e is None or e.get("event") == "withdrawn" or e.get("sha256") != r["sha256"]:
            raise FetchFailed(f"记录 {r['id']} 的内容哈希与公开日志中最近一次公开的哈希不一致")
    return unlogged


def fetch_bundle(src: _Source, folder: Path) -> int:
    """The Pagefind bundle, file by file as its entry and meta files list them. Returns the file count."""
    entry_raw = src.get("pagefind/pagefind-entry.json")
    entry = _json(entry_raw, "pagefind/pagefind-entry.json")
    files: dict[str, bytes] = {"pagefind-entry.json": entry_raw, "pagefind.js": src.get("pagefind/pagefind.js")}
    try:  # Pagefind 1.5 searches in a worker when it can; older bundles have no worker file
        files["pagefind-worker.js"] = src.get("pagefind/pagefind-worker.js")
    except FetchFailed:
        pass
    try:
        languages = entry["languages"].items()
        for _, info in languages:
            wasm = f"wasm.{info['wasm'] or 'unknown'}.pagefind"
            meta_name = f"pagefind.{info['hash']}.pf_meta"
            for name in (wasm, meta_name):
                if not _FILE.match(name):
                    raise FetchFailed(f"检索索引的文件名无效：{name[:80]}")
                if name not in files:
                    files[name] = src.get(f"pagefind/{name}")
            folder.mkdir(parents=True, exist_ok=True)
            (folder / meta_name).write_bytes(files[meta_name])
            meta = read_pagefind(folder / meta_name)
            wanted = ([f"fragment/{p[0]}.pf_fragment" for p in meta[1]] + [f"index/{c[2]}.pf_index" for c in meta[2]]
                      + [f"filter/{f[1]}.pf_filter" for f in meta[3]])
            for rel in wanted:
                if not _FILE.match(rel.split("/", 1)[1]):
                    raise FetchFailed(f"检索索引的文件名无效：{rel[:80]}")
                files[rel] = src.get(f"pagefind/{rel}")
    except (KeyError, TypeError, IndexError, ValueError, OSError, EOFError) as exc:
        raise FetchFailed(f"检索索引（pagefind/）无效（{exc.__class__.__name__}）") from None
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return len(files)
