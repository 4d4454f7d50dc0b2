"""`shard.json`: what a shard is (id, inputs hash), what it holds (every file's size and SHA-256) and
what the merged pages need of it (each record's attachment text pages, for the sitemap).

`check` is what a merge trusts a shard folder by, whether it comes from the local cache or from a CI
artifact built elsewhere: the manifest must be readable, name the expected shard and inputs hash
(else the shard was built from other content, templates, config or generator: stale), and the folder
must hold exactly the listed files with those bytes, under the listed records' folders, no links.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from generator.problems import BuildError
from generator.shards.plan import FORMAT
from generator.site.swap import MARKER

NAME = "shard.json"
SKIP = (NAME, MARKER)  # the manifest itself and the marker that lets --out replace a shard folder


@dataclass
class Manifest:
    shard: str
    key: str
    pages: dict[str, list[str]]  # record id → its attachment text pages
    files: dict[str, list]  # path inside the shard → [size, sha256]


def file_digest(path: Path) -> list:
    data = path.read_bytes()
    return [len(data), hashlib.sha256(data).hexdigest()]


def write(folder: Path, shard: str, key: str, pages: dict[str, list[str]]) -> Manifest:
    files = {rel: file_digest(folder / rel) for rel in _files(folder)}
    manifest = Manifest(shard, key, pages, files)
    data = {"format": FORMAT, "shard": shard, "key": key, "pages": pages, "files": files}
    (folder / NAME).write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0) + "\n",
                               encoding="utf-8")
    return manifest


def _files(folder: Path) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            rel = Path(dirpath, name).relative_to(folder).as_posix()
            if rel not in SKIP:
                out.append(rel)
    return out


def read(folder: Path) -> Manifest | None:
    """The manifest, or None when there is none or it is not one (a cache entry then is rebuilt)."""
    try:
        data = json.loads((folder / NAME).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        return Manifest(str(data["shard"]), str(data["key"]), dict(data["pages"]), dict(data["files"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def check(folder: Path, expected: dict[str, str], records: dict[str, list[str]]) -> Manifest:
    """The shard in `folder` if it is one of `expected` (shard → key) with its current key, holds the
    current record ids of that shard (`records`) and exactly the files its manifest lists; else
    BuildError naming the folder and what is wrong."""
    shown = str(folder)
    manifest = read(folder)
    if manifest is None:
        raise BuildError.one("shard_not_shard", shown, name=NAME)
    if manifest.shard not in expected:
        raise BuildError.one("shard_unknown_merged", shown, shard=manifest.shard)
    if manifest.key != expected[manifest.shard] or sorted(manifest.pages) != sorted(records[manifest.shard]):
        raise BuildError.one("shard_stale", shown, shard=manifest.shard)
    reason = _tampered(folder, manifest)
    if reason:
        raise BuildError.one("shard_tampered", shown, shard=manifest.shard, reason=reason)
    return manifest


def _tampered(folder: Path, manifest: Manifest) -> str | None:
    roots = {f"records/{rid}/" for rid in manifest.pages}
    listed = set(manifest.files)
    for rel in listed:
        if not any(rel.startswith(r) for r in roots) or "/../" in f"/{rel}/" or "\\" in rel:
            return f"清单中的文件 {rel} 不属于本分片的任何记录"
    # The sitemap lists each record's attachment text pages from the manifest: only files it ships.
    for rid, names in manifest.pages.items():
        for name in names if isinstance(names, list) else [names]:
            if not isinstance(name, str) or f"records/{rid}/{name}" not in listed:
                return f"清单为记录 {rid} 列出的页面 {str(name)[:80]} 不是本分片的文件"
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            if path.is_symlink():
                return f"{path.relative_to(folder).as_posix()} 是符号链接"
    found = set(_files(folder))
    if found - listed:
        return f"多出清单以外的文件 {sorted(found - listed)[0]}"
    if listed - found:
        return f"缺少清单中的文件 {sorted(listed - found)[0]}"
    for rel in sorted(listed):
        if file_digest(folder / rel) != list(manifest.files[rel]):
            return f"文件 {rel} 的内容与清单记载的校验值不符"
    return None
