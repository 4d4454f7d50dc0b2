"""What the platform keeps between builds, in its state folder (default: `<out>.state/` beside the output):

  members/<division code>/   the last good copy of each member (fetch.Snapshot)
  state.json                 per member: how far its log went and which records it showed, last time

A member whose log does not extend what was seen last time (lines rewritten or removed) is flagged,
and the records it showed then but no longer does are kept, marked withdrawn, not silently dropped.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.log import publog
from generator.platform.fetch import Snapshot

STATE_FILE = "state.json"
KEPT = ("id", "kind", "kind_title", "dept", "dept_name", "year", "title", "path", "url", "first_published")


@dataclass
class Seen:
    fetched_at: str = ""
    log_events: int = 0
    log_head: str = ""
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    kept_withdrawn: dict[str, dict[str, Any]] = field(default_factory=dict)


class State:
    def __init__(self, folder: Path):
        self.folder = folder
        self.seen: dict[str, Seen] = {}
        path = folder / STATE_FILE
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            self.seen = {code: Seen(**s) for code, s in data.get("members", {}).items()}

    def last_good(self, code: str) -> Snapshot | None:
        folder = self.folder / "members" / code
        try:
            return Snapshot.load(folder) if folder.is_dir() else None
        except (OSError, ValueError, KeyError):
            return None

    def extends(self, code: str, snap: Snapshot) -> bool:
        """Whether the member's log starts with every line the platform saw of it last time."""
        prev = self.seen.get(code)
        if prev is None or prev.log_events == 0:
            return True
        if len(snap.lines) < prev.log_events:
            return False
        return publog.line_hash(snap.lines[prev.log_events - 1]) == prev.log_head

    def withdrawn_kept(self, code: str, snap: Snapshot, extends: bool) -> dict[str, dict[str, Any]]:
        prev = self.seen.get(code) or Seen()
        now = {r["id"] for r in snap.records}
        kept = dict(prev.kept_withdrawn)
        if not extends:
            kept.update(prev.records)
        # A record shown again (published anew) is current, not withdrawn.
        return {i: r for i, r in kept.items() if i not in now}

    def commit(self, fresh: dict[str, Snapshot], kept: dict[str, dict[str, dict[str, Any]]]) -> None:
        """Move the new copies in (each whole, the old one aside first), then write state.json."""
        members = self.folder / "members"
        members.mkdir(parents=True, exist_ok=True)
        for code, snap in fresh.items():
            target = members / code
            old = None
            if target.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{code}.old-", dir=members))
                old.rmdir()
                target.rename(old)
            shutil.move(str(snap.folder), str(target))
            snap.folder = target
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
            self.seen[code] = Seen(snap.fetched_at, len(snap.lines),
                                   publog.line_hash(snap.lines[-1]) if snap.lines else "",
                                   {r["id"]: {k: r.get(k) for k in KEPT} for r in snap.records},
                                   kept.get(code, {}))
        for code, k in kept.items():
            if code in self.seen:
                self.seen[code].kept_withdrawn = k
        data = {"members": {code: vars(s) for code, s in sorted(self.seen.items())}}
        tmp = self.folder / (STATE_FILE + ".new")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        tmp.replace(self.folder / STATE_FILE)
