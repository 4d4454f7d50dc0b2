"""Anchors for the publication log: what a forger who rewrites the whole history cannot recompute.

The hash chain alone proves only that the log is consistent with itself: whoever can write the file
can move every event, renumber and rehash, and the chain verifies. Two anchors lie outside the file:

- git: the log at an earlier commit (the pull request's base, the last published head tag) must be an
  unchanged prefix of the log now — byte for byte, line by line (`verify_prefix`);
- the published site: every build publishes the chain head, `log/head.json` (seq, hash, time); anyone
  who kept an earlier copy of the site (citizens, archives, the finance department) can check that the
  repository's log still holds that head at that sequence number (`verify_against`). With the chain
  intact, the head's line fixes every line before it: each holds the hash of the one before.

The head's hash is the SHA-256 of the line as `publog.serialise` writes it (which is how every line
is written), so a published head and a repository line compare whatever the line endings.
"""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from generator.log import publog
from generator.problems import Problems

HEAD_FILE = "log/head.json"
_MAX_HEAD = 1 << 16


def head(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The chain head as the site publishes it: the last event's seq, line hash and time."""
    if not events:
        return {"seq": 0, "hash": publog.GENESIS, "time": None}
    last = events[-1]
    return {"seq": last["seq"], "hash": publog.line_hash(publog.serialise(last).encode("utf-8")),
            "time": last["time"]}


def verify_prefix(path: Path, base: bytes | None, label: str) -> Problems:
    """The log at `label` (its bytes `base`; None when it had no log) is an unchanged prefix of `path`."""
    problems = Problems()
    if not base:
        return problems
    old = [line.rstrip(b"\r") for line in base.split(b"\n")]
    if old and old[-1] == b"":
        old.pop()
    new = [line.rstrip(b"\r") for line in publog._lines(path)]
    for number, (was, now) in enumerate(zip(old, new, strict=False), start=1):
        if was != now:
            problems.add("log_not_prefix", path.name, number, base=label, base_lines=len(old))
            return problems
    if len(new) < len(old):
        problems.add("log_truncated", path.name, len(new) + 1 if new else None, base=label, lines=len(new),
                     base_lines=len(old))
    return problems


def git_log_bytes(root: Path, ref: str) -> tuple[bytes | None, str | None]:
    """The log file at git `ref` (None when that commit has none), or an error text."""
    try:
        exists = subprocess.run(["git", "-C", str(root), "cat-file", "-e", f"{ref}:./{publog.LOG_FILE}"],
                                capture_output=True, timeout=30, check=False)
        if exists.returncode != 0:
            commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                                    capture_output=True, timeout=30, check=False)
            if commit.returncode != 0:
                return None, f"找不到版本“{ref}”"
            return None, None
        shown = subprocess.run(["git", "-C", str(root), "show", f"{ref}:./{publog.LOG_FILE}"],
                               capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, str(exc) or type(exc).__name__
    if shown.returncode != 0:
        return None, shown.stderr.decode("utf-8", errors="replace").strip()[:200] or "git show 失败"
    return shown.stdout, None


def read_published(source: str, name: str = HEAD_FILE) -> bytes:
    """A file of a published site: `source` is its folder or its URL (http/https only)."""
    if source.startswith(("http://", "https://")):
        url = source.rstrip("/") + "/" + name
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (scheme checked above)
            return response.read(_MAX_HEAD)
    return (Path(source) / name).read_bytes()


def verify_against(path: Path, source: str) -> Problems:
    """The repository's log still holds the head a published site shows, and begins with its log copy."""
    problems = Problems()
    try:
        data = json.loads(read_published(source, HEAD_FILE).decode("utf-8"))
        seq, digest, time = data["seq"], data["hash"], data.get("time")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0 or not isinstance(digest, str):
            raise ValueError("seq 应为非负整数，hash 应为文字")
    except (OSError, urllib.error.URLError, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        problems.add("log_head_unreadable", source=source, detail=str(exc)[:200] or type(exc).__name__)
        return problems
    # With the chain intact, the head's line fixes every line before it (each holds the hash of the last).
    broken = publog.verify_chain(path)
    if broken:
        return broken
    events = publog.read_log(path)
    if seq > len(events):
        problems.add("log_head_missing", path.name, len(events) + 1 if events else None, source=source, seq=seq,
                     lines=len(events), time=time or "")
        return problems
    mine = head(events[:seq])
    if mine["hash"] != digest or (seq and mine["time"] != time):
        problems.add("log_head_mismatch", path.name, seq or None, source=source, seq=seq, time=time or "",
                     hash=digest[:12])
        return problems
    return problems


def check(root: Path, path: Path, base_ref: str | None, against: str | None) -> Problems:
    """The log checked against what lies outside it: git history (`base_ref`) and a published site."""
    problems = Problems()
    if base_ref:
        data, error = git_log_bytes(root, base_ref)
        if error:
            problems.add("log_base_unreadable", base=base_ref, detail=error)
            return problems
        problems.extend(verify_prefix(path, data, base_ref))
    if against and not problems:
        problems.extend(verify_against(path, against))
    return problems
