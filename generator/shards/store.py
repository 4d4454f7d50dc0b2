"""Build one shard into a folder, or reuse it from `.disclose-cache/` when its inputs are unchanged.

A shard folder is written under a temporary name and renamed into place only when complete, so a
killed build leaves no half shard that a later build could take for a whole one. The cache holds one
folder per shard (`.disclose-cache/shards/<id>/`, replaced when the shard's key changes, removed
when the shard no longer exists); it is checked like any shard before reuse (manifest.check), lives
beside content/ in the private repository, is ignored by git and may be deleted at any time.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.model.records import PublicRecord
from generator.problems import BuildError
from generator.shards import manifest
from generator.shards.manifest import Manifest
from generator.site.record_pages import write_records
from generator.site.render import Renderer
from generator.site.swap import CACHE_DIR


@dataclass
class Outcome:
    """What the shards stage did: which shards it built and which it reused (the benchmark prints it)."""

    folders: dict[str, Path] = field(default_factory=dict)
    manifests: dict[str, Manifest] = field(default_factory=dict)
    built: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def write_shard(renderer: Renderer, shard: str, key: str, records: list[PublicRecord], shell: str,
                folder: Path) -> Manifest:
    """The shard's files and manifest at `folder` (which must not exist), all or nothing."""
    temp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".part", dir=folder.parent))
    try:
        pages = write_records(renderer, records, shell, temp)
        written = manifest.write(temp, shard, key, pages)
        os.chmod(temp, 0o755)
        try:
            temp.rename(folder)
        except OSError:
            if not folder.is_dir():
                raise
            # Another build (a preview beside `disclose build`) wrote the same shard meanwhile: replace it.
            old = folder.with_name(f".{folder.name}.{os.getpid()}.old")
            folder.rename(old)
            temp.rename(folder)
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if temp.exists():
            shutil.rmtree(temp, ignore_errors=True)
    return written


def cache_root(root: Path) -> Path | None:
    """`.disclose-cache/` of the site, or None when it cannot be written (builds go on without)."""
    folder = root / CACHE_DIR
    try:
        for sub in ("shards", "shell"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")  # never committed, even without the project's .gitignore
    except OSError:
        return None
    return folder if os.access(folder / "shards", os.W_OK) else None


def provide(renderer: Renderer, groups: dict[str, list[PublicRecord]], keys: dict[str, str],
            shell: Callable[[], str], cache: Path | None, scratch: Path,
            clock: Callable[[], float]) -> Outcome:
    """Every shard as a checked folder: from the cache (`cache`/shards/) when its key is unchanged, else
    built (into the cache, or into `scratch` without one). `shell` is called only when a shard must be built."""
    outcome = Outcome()
    home = cache / "shards" if cache is not None else scratch
    records = {sid: [r.id for r in rs] for sid, rs in groups.items()}
    shell_html: str | None = None
    for sid, rs in groups.items():
        start = clock()
        folder = home / sid
        found = _reusable(folder, sid, keys, records) if cache is not None else None
        if found is not None:
            outcome.reused.append(sid)
        else:
            if folder.exists():
                shutil.rmtree(folder)
            if shell_html is None:
                shell_html = shell()
            found = write_shard(renderer, sid, keys[sid], rs, shell_html, folder)
            outcome.built.append(sid)
        outcome.folders[sid], outcome.manifests[sid] = folder, found
        outcome.seconds[sid] = clock() - start
    if cache is not None:
        for old in home.iterdir():  # shards that no longer exist, parts of killed builds
            if old.name not in groups:
                shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)
    return outcome


def _reusable(folder: Path, sid: str, keys: dict[str, str], records: dict[str, list[str]]) -> Manifest | None:
    if not folder.is_dir():
        return None
    try:
        return manifest.check(folder, {sid: keys[sid]}, records)
    except BuildError:
        return None  # stale or damaged: rebuilt


class GuardStamps:
    """Which cached shards the leak guard found clean, and under which pieces (guard.fingerprint):
    `.disclose-cache/guard/<id>` holds the fingerprint and the hash of the shard's manifest (every
    file's SHA-256) at the time of that scan. A reused shard whose stamp matches both is not scanned
    again; a new secret, a changed public text that frees or adds a piece, or a changed file is a
    different stamp, and the shard is scanned again. Written only after a guard that passed."""

    def __init__(self, cache: Path, outcome: Outcome):
        self.folder, self.outcome, self.fingerprint = cache / "guard", outcome, ""

    def _stamp(self, sid: str) -> str:
        data = (self.outcome.folders[sid] / manifest.NAME).read_bytes()
        return f"{self.fingerprint} {hashlib.sha256(data).hexdigest()}\n"

    def clean(self, fingerprint: str) -> frozenset[str]:
        self.fingerprint = fingerprint
        files: set[str] = set()
        for sid in self.outcome.reused:
            try:
                if (self.folder / sid).read_text(encoding="utf-8") == self._stamp(sid):
                    files.update(self.outcome.manifests[sid].files)
            except OSError:
                continue
        return frozenset(files)

    def record(self) -> None:
        if not self.fingerprint:
            return
        try:
            self.folder.mkdir(exist_ok=True)
            for old in self.folder.iterdir():
                if old.name not in self.outcome.folders:
                    old.unlink(missing_ok=True)
            for sid in self.outcome.folders:
                (self.folder / sid).write_text(self._stamp(sid), encoding="utf-8")
        except OSError:
            pass  # a cache that cannot be written only means a full scan next time
