"""What a deploy must do, worked out before anything is sent: pure data, no network.

A deploy compares the built site with what the bucket holds by content (MD5, which is what an
S3 ETag is for a single-part upload), never by time: a rebuild that rewrites every file with the
same bytes uploads nothing. The order keeps readers on a whole site at every moment:

1. assets: new or changed files that pages point to (styles, scripts, downloads, attachments,
   Pagefind's content-hashed index chunks and fragments) — nothing points to them yet;
2. entries: new or changed pages and the files that name other files (HTML, the Pagefind entry,
   feeds, sitemap, datapackage, log head) — now they point to files that are all there;
3. deletions: what the new site no longer has — nothing points to it any more.

An interrupted deploy therefore leaves the previous site readable: its entries still point to
files that have not been deleted yet.
"""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# Files that name other files: uploaded after everything they can point to.
ENTRY_PATTERNS = (
    "*.html",
    "*.xml",
    "*.webmanifest",
    "pagefind/pagefind-entry.json",
    "pagefind/pagefind.js",
    "pagefind/wasm.*",
    # The search page's query vocabulary keeps its file names when its content changes.
    "pagefind/dc-vocab/*",
    "datapackage.json",
    "log/head.json",
)
# Never uploaded: the build's own bookkeeping.
SKIP_PATTERNS = (".disclose-*", "*/.disclose-*")


@dataclass(frozen=True)
class LocalFile:
    key: str  # path inside the site, with "/" separators
    path: Path
    md5: str
    size: int


@dataclass
class Plan:
    assets: list[LocalFile] = field(default_factory=list)
    entries: list[LocalFile] = field(default_factory=list)
    deletions: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def uploads(self) -> list[LocalFile]:
        return self.assets + self.entries

    @property
    def empty(self) -> bool:
        return not (self.assets or self.entries or self.deletions)


def is_entry(key: str) -> bool:
    return any(fnmatch.fnmatchcase(key, p) for p in ENTRY_PATTERNS)


def md5_of(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def local_files(site: Path) -> list[LocalFile]:
    out = []
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        key = path.relative_to(site).as_posix()
        if any(fnmatch.fnmatchcase(key, p) for p in SKIP_PATTERNS):
            continue
        out.append(LocalFile(key, path, md5_of(path), path.stat().st_size))
    return out


def make_plan(local: Iterable[LocalFile], remote: dict[str, str]) -> Plan:
    """`remote` maps each key in the bucket (below the prefix) to its MD5 (the ETag without quotes)."""
    plan = Plan()
    seen = set()
    for f in local:
        seen.add(f.key)
        if remote.get(f.key) == f.md5:
            plan.unchanged += 1
        elif is_entry(f.key):
            plan.entries.append(f)
        else:
            plan.assets.append(f)
    plan.deletions = sorted(k for k in remote if k not in seen)
    return plan
