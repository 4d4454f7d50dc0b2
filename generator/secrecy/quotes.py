"""Before anything is built: every public value that quotes a secret is a validation error naming both
places (the public value, and the file, line and field of the secret, the secret itself masked).
Which public text may share a piece of a secret is `provenance.py`'s rule; this is its report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.secrecy.allow_list import check_allow_list
from generator.secrecy.provenance import Public, independent_texts, quotes


def check_quotes(records: list[Any], catalog: Any, departments: dict[str, dict[str, Any]], root: Path | None,
                 min_length: int, problems: Any) -> None:
    """Before anything is built: every public value quoting a secret is an error naming both places.
    (`records`: validated Records; redaction is run here on them, as the build will.)"""
    from generator.log.publog import LOG_FILE, read_log
    from generator.problems import BuildError
    from generator.secrecy.redact import redact

    if root is not None:
        check_allow_list(root, problems)
    redacted = redact(records, catalog)
    if not redacted.secrets:
        return
    events: list[dict[str, Any]] = []
    if root is not None:
        try:
            events = read_log(root / LOG_FILE)
        except BuildError:
            events = []  # a damaged log is reported by the build and by `disclose log verify`
    public = Public(redacted.public, independent_texts(catalog, departments.values(), events, root),
                    catalog.public_names, catalog.amount_fields)
    origins = {r.id: r for r in records}
    for q in sorted(quotes(redacted.secrets, public, min_length), key=lambda q: (q.record.id, q.label)):
        r = origins[q.record.id]
        name = q.label.rsplit(" ", 1)[-1]
        kind = catalog.kinds[r.kind]
        line = r.origin.line_of(name) if " " not in q.label else r.origin.line
        label = "" if " " not in q.label else f"{q.label}："
        problems.add("quote_of_secret", r.origin.file, line, name if " " not in q.label else "",
                     kind.title_of(name) if " " not in q.label else "", where_label=label,
                     hint=mask(q.piece), source=q.secret.where or q.secret.record, what=q.secret.what)


def mask(needle: str) -> str:
    """Enough of a hit to find it, not enough to read it in a build log."""
    return f"{needle[:2]}…（共 {len(needle)} 个字符）"
