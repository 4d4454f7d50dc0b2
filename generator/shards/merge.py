"""Shards into one site: checked against the current content, then copied in, and the sitemap.

`from_folders` is `disclose build --merge DIR…`: every shard the current content has must be given
once, built from the current inputs (its key), and hold exactly what its manifest lists; a missing,
stale, unknown, duplicated or altered shard refuses the merge (nothing is written).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.model.records import PublicRecord
from generator.model.site import SiteModel
from generator.problems import BuildError, Problems
from generator.shards import manifest
from generator.shards.store import Outcome
from generator.site.record_pages import write_sitemap


def from_folders(folders: list[Path], groups: dict[str, list[PublicRecord]], keys: dict[str, str]) -> Outcome:
    outcome = Outcome()
    records = {sid: [r.id for r in rs] for sid, rs in groups.items()}
    problems = Problems()
    refused: set[str] = set()  # given but not usable: reported as such, not as missing too
    for folder in folders:
        try:
            found = manifest.check(folder, keys, records)
        except BuildError as exc:
            problems.extend(exc.problems)
            listed = manifest.read(folder)
            refused.update([listed.shard] if listed else [])
            continue
        if found.shard in outcome.folders:
            problems.add("shard_duplicate", str(folder), shard=found.shard, other=str(outcome.folders[found.shard]))
            continue
        outcome.folders[found.shard], outcome.manifests[found.shard] = folder, found
        outcome.reused.append(found.shard)
    missing = [sid for sid in groups if sid not in outcome.folders and sid not in refused]
    if missing:
        problems.add("shard_missing", shards="、".join(missing[:20]) + ("等" if len(missing) > 20 else ""),
                     count=len(missing))
    problems.raise_errors()
    return outcome


def assemble(outcome: Outcome, m: SiteModel, site: Path) -> None:
    """Copy every shard's listed files into `site` (bytes only: no links, modes or times from an
    artifact) and add their pages to the sitemap MkDocs wrote."""
    pages: dict[str, list[str]] = {}
    for sid in sorted(outcome.folders):
        folder, found = outcome.folders[sid], outcome.manifests[sid]
        for rel in sorted(found.files):
            target = site / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(folder / rel, target)
        pages.update(found.pages)
    write_sitemap(m, site, pages)
