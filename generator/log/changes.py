"""What an update changed, for the 变更记录 on record pages: the names of the fields (and 绩效指标, 附件)
that differ from the version the record's previous log event published — never a value.

The previous version is read from git at that event's commit, through the same load → validate →
redact stages as a build (`reports.review`), so a field withheld in either version is compared only
by whether it is withheld: its value is not read for this. When the commit is not in the repository
(a shallow clone, a hand-written log), the update is logged without the list.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from generator.model.records import PublicRecord
from generator.problems import BuildError

ROWS, ATTACHMENTS = "indicators", "attachments"
TITLES = {ROWS: "绩效指标", ATTACHMENTS: "报告及附件"}


def changed_names(before: PublicRecord, after: PublicRecord, catalog: Any) -> list[str]:
    from generator.reports.review import field_changes, row_changes

    names = [c.name for c in field_changes(before, after, catalog)]
    added, removed, changed = row_changes(before, after, set(), catalog)
    if added or removed or changed:
        names.append(ROWS)
    if [(a.title, a.name) for a in before.attachments] != [(a.title, a.name) for a in after.attachments]:
        names.append(ATTACHMENTS)
    return names


def add_changes(root: Path, new: list[dict[str, Any]], events: list[dict[str, Any]],
                public: list[PublicRecord], catalog: Any) -> None:
    """Fill `changed` into the updated events of `new`, in place, where the previous version can be read."""
    from generator.reports.review import export_base, read_side

    latest: dict[str, dict[str, Any]] = {}
    for event in events:
        latest[event["id"]] = event
    by_id = {r.id: r for r in public}
    wanted: dict[str, list[dict[str, Any]]] = {}
    for event in new:
        before = latest.get(event["id"])
        if event["event"] == "updated" and before is not None and before.get("commit"):
            wanted.setdefault(before["commit"], []).append(event)
    for commit, updates in wanted.items():
        try:
            with tempfile.TemporaryDirectory(prefix="disclose-prev-") as tmp:
                base_root, _ = export_base(root, commit, Path(tmp))
                side = read_side(base_root)
        except (BuildError, OSError):
            continue
        for event in updates:
            old = side.public.get(event["id"])
            if old is not None and side.catalog is not None:
                names = changed_names(old, by_id[event["id"]], catalog)
                if names:
                    event["changed"] = names
