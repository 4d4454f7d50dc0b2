"""A publication-log event, typed: one line of publication-log.jsonl as the stages hand it on.

A TypedDict rather than a class on purpose: an event *is* its JSON line (the hash chain covers the
line's canonical JSON, templates read it by key), so the type names the keys without adding a
second representation to convert to and from.
"""

from __future__ import annotations

from typing import Literal, TypedDict

EventName = Literal["published", "updated", "withdrawn"]


class Event(TypedDict, total=False):
    seq: int
    time: str  # UTC, ISO 8601 with Z: the only clock the build reads
    event: EventName
    id: str
    kind: str
    dept: str
    year: int
    title: str
    sha256: str
    commit: str
    pr: int
    reviewer: str
    changed: list[str]  # updated events: names of the fields that changed (never values)
    prev: str  # SHA-256 of the previous line
