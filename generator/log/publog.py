"""The publication log: `publication-log.jsonl` in the site root, committed with the content.

One JSON object per line, append-only, written only by `disclose publish`. Each event says when a
public record was published, updated or withdrawn, with the SHA-256 of what was published, and the
hash of the line before it (`prev`), so an edited, removed or reordered line breaks the chain.

Event keys, in this order (keys whose value is unknown are left out):
  seq       1, 2, 3 …: always equal to the line number
  time      UTC, ISO 8601 to the second with Z: 2026-03-05T02:30:00Z
  event     published | updated | withdrawn
  id, kind, dept, year
  sha256    published/updated only: record_hash() of the public record
  commit    the commit published; pr, reviewer where the workflow gives them
  prev      SHA-256 of the previous line's bytes (UTF-8, without its line ending); 64 zeros on line 1

A withdrawn event carries id, kind, dept and year copied from the record's previous event, never from
the record itself: a record that became confidential contributes nothing new to the log, and the
log page can still filter the event by department. No hash, no content.

No event carries a title or any other content: a record published once and made confidential later
must not leave its title in an append-only file that is itself published. Pages take titles from
the current public records; the log proves *what* was published through `sha256`.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator.model.formatting import CHINA_TIME
from generator.model.records import PublicRecord
from generator.problems import BuildError, Problems

LOG_FILE = "publication-log.jsonl"
GENESIS = "0" * 64
EVENTS = ("published", "updated", "withdrawn")
KEY_ORDER = ("seq", "time", "event", "id", "kind", "dept", "year", "sha256", "commit", "pr",
             "reviewer", "changed", "prev")
# Titles of the keys, for messages and pages.
KEY_TITLES = {"seq": "序号", "time": "时间（UTC）", "event": "事件", "id": "记录编号", "kind": "类别",
              "dept": "部门", "year": "年度", "title": "标题", "sha256": "内容哈希（SHA-256）",
              "commit": "提交", "pr": "合并请求", "reviewer": "审核人", "changed": "改动的字段",
              "prev": "上一行哈希"}
EVENT_TITLES = {"published": "公开", "updated": "更新", "withdrawn": "撤回"}

_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_CONTENT_EVENTS = ("published", "updated")


# ---- hashing --------------------------------------------------------------------------------------

def _canonical(value: Any) -> Any:
    """Values as stable JSON: decimals by value (760.50 == 760.5), dates as ISO text, empty values dropped
    so a new optional field in the schemas does not turn every record into an update."""
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items() if not _empty(v)}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, Decimal):
        return "decimal:" + format(value.normalize(), "f")
    if isinstance(value, float):
        return "decimal:" + format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def record_hash(public: PublicRecord) -> str:
    """SHA-256 of the canonical JSON of what is published of a record: kind, fields, rows, withheld names,
    and its public attachments (path, title, type, SHA-256 of the file)."""
    content = {"kind": public.kind, "fields": public.fields, "rows": public.rows, "withheld": sorted(public.withheld)}
    # Only when present, so that the hashes already in a log stay valid for records without attachments.
    if public.attachments:
        content["attachments"] = [a.hash_data() for a in public.attachments]
    data = _canonical(content)
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def line_hash(line: bytes) -> str:
    return hashlib.sha256(line.rstrip(b"\r\n")).hexdigest()


def serialise(event: dict[str, Any]) -> str:
    """One log line (without its newline): keys in KEY_ORDER, no spaces, Chinese as written."""
    ordered = {k: event[k] for k in KEY_ORDER if event.get(k) is not None}
    return json.dumps(ordered, ensure_ascii=False, separators=(",", ":"))


def format_time(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def local_date(text: str) -> date:
    """The calendar day of a log time in China Standard Time, the day deadlines are counted in."""
    return parse_time(text).astimezone(CHINA_TIME).date()


# ---- reading ---------------------------------------------------------------------------------------

def _lines(path: Path) -> list[bytes]:
    data = path.read_bytes() if path.is_file() else b""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the final newline ends the last line; it does not start another
    return lines


def _check_event(event: Any, problems: Problems, file: str, line: int) -> None:
    """Shape of one event; adds at most one problem (the first one found)."""
    def bad(key: str, expected: str) -> None:
        value = event.get(key)
        if value is None:
            problems.add("log_missing_key", file, line, key, KEY_TITLES[key], key=key)
        else:
            problems.add("log_bad_value", file, line, key, KEY_TITLES[key],
                         value=json.dumps(value, ensure_ascii=False), expected=expected)

    if not isinstance(event, dict):
        problems.add("log_bad_json", file, line, detail="应为 JSON 对象 {…}")
        return
    unknown = [k for k in event if k not in KEY_ORDER]
    if unknown:
        problems.add("log_unknown_key", file, line, unknown[0], key=unknown[0], allowed=list(KEY_ORDER))
        return
    kind = event.get("event")
    if kind not in EVENTS:
        bad("event", "published、updated 或 withdrawn")
        return
    checks: list[tuple[str, bool, str]] = [
        ("seq", isinstance(event.get("seq"), int) and not isinstance(event.get("seq"), bool), "正整数"),
        ("time", isinstance(event.get("time"), str) and _valid_time(event["time"]),
         "UTC 时间，如 2026-03-05T02:30:00Z"),
        ("id", isinstance(event.get("id"), str) and bool(event.get("id")), "记录编号"),
        ("kind", isinstance(event.get("kind"), str), "记录类别"),
        ("dept", isinstance(event.get("dept"), str), "部门代码"),
        ("year", isinstance(event.get("year"), int) and not isinstance(event.get("year"), bool), "年度（整数）"),
        ("prev", isinstance(event.get("prev"), str) and bool(_HEX64.match(event["prev"])), "64 位十六进制哈希"),
    ]
    if kind in _CONTENT_EVENTS:
        checks += [("sha256", isinstance(event.get("sha256"), str) and bool(_HEX64.match(event["sha256"])),
                    "64 位十六进制哈希")]
    for key, ok, expected in checks:
        if not ok:
            bad(key, expected)
            return
    for key, expected in (("commit", "提交编号（文字）"), ("reviewer", "审核人（文字）")):
        if key in event and not isinstance(event[key], str):
            bad(key, expected)
            return
    if "pr" in event and (not isinstance(event["pr"], int) or isinstance(event["pr"], bool)):
        bad("pr", "合并请求编号（整数）")
        return
    changed = event.get("changed")
    if "changed" in event and (kind != "updated" or not isinstance(changed, list)
                               or not all(isinstance(n, str) for n in changed)):
        bad("changed", "更新事件中改动的字段名列表")
        return
    if kind == "withdrawn":
        for key in ("sha256",):
            if key in event:
                problems.add("log_withdrawn_content", file, line, key, KEY_TITLES[key])
                return


def _valid_time(text: str) -> bool:
    if not _TIME.match(text):
        return False
    try:
        parse_time(text)
    except ValueError:
        return False
    return True


def _parse(path: Path, file: str) -> tuple[list[dict[str, Any]], list[bytes], Problems]:
    """Events, raw lines and every line's shape problem."""
    problems = Problems()
    events: list[dict[str, Any]] = []
    lines = _lines(path)
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            problems.add("log_blank_line", file, number)
            events.append({})
            continue
        try:
            event = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            problems.add("log_bad_json", file, number, detail="不是 UTF-8 编码")
            events.append({})
            continue
        except json.JSONDecodeError as exc:
            problems.add("log_bad_json", file, number, detail=f"第 {exc.colno} 个字符处：{exc.msg}")
            events.append({})
            continue
        before = len(problems)
        _check_event(event, problems, file, number)
        events.append(event if len(problems) == before else {})
    return events, lines, problems


def read_log(path: Path) -> list[dict[str, Any]]:
    """Every event in the log (none when the file does not exist yet); BuildError naming each malformed line."""
    events, _, problems = _parse(path, path.name)
    if problems:
        raise BuildError(problems)
    return events


def read_verified_log(path: Path) -> list[dict[str, Any]]:
    """read_log, refusing a log whose chain is broken: a build never publishes a damaged history."""
    problems = verify_chain(path)
    if problems:
        raise BuildError(problems)
    return read_log(path)


# ---- checking ---------------------------------------------------------------------------------------

def verify_chain(path: Path) -> Problems:
    """The log on its own: every line well formed, seq = line number, prev = hash of the line before,
    times never going back. Reports the first bad line only: what follows it cannot be trusted."""
    file = path.name
    events, lines, shape = _parse(path, file)
    problems = Problems()
    first_bad_shape = shape[0].line if shape else None
    for number, event in enumerate(events, start=1):
        if number == first_bad_shape:
            problems.append(shape[0])
            return problems
        if event["seq"] != number:
            hint = (f"此行之前有 {event['seq'] - number} 条事件被删除，或事件顺序被调换。" if event["seq"] > number
                    else "事件顺序被调换，或有事件被重复写入。")
            problems.add("log_seq", file, number, "seq", KEY_TITLES["seq"], actual=event["seq"], expected=number,
                         hint=hint)
            return problems
        if number == 1 and event["prev"] != GENESIS:
            problems.add("log_chain_start", file, 1, "prev", KEY_TITLES["prev"], actual=event["prev"])
            return problems
        if number > 1:
            expected = line_hash(lines[number - 2])
            if event["prev"] != expected:
                # seq is in order, so no line is missing here: the line before was edited after it was written.
                problems.add("log_chain", file, number - 1, actual=expected, next=number, expected=event["prev"])
                return problems
            if event["time"] < events[number - 2]["time"]:
                problems.add("log_time_order", file, number, "time", KEY_TITLES["time"], time=event["time"],
                             prev_line=number - 1, prev_time=events[number - 2]["time"])
                return problems
    return problems


def verify(path: Path, public: list[PublicRecord]) -> Problems:
    """verify_chain, then the log against the public records: each one's hash, title, kind, department and
    year equal its latest event, and each id whose latest event is not a withdrawal is still public."""
    problems = verify_chain(path)
    if problems:
        return problems
    file = path.name
    events = read_log(path)
    latest = _latest(events)
    by_id = {r.id: r for r in public}
    for r in sorted(public, key=lambda r: r.id):
        event = latest.get(r.id)
        if event is None or event["event"] == "withdrawn":
            problems.add("log_unpublished", file, event["seq"] if event else None, id=r.id)
            continue
        if event["sha256"] != record_hash(r):
            problems.add("log_hash_mismatch", file, event["seq"], "sha256", KEY_TITLES["sha256"], id=r.id,
                         event=EVENT_TITLES[event["event"]])
            continue
        for key, value in (("kind", r.kind), ("dept", r.dept), ("year", r.year)):
            if event[key] != value:
                problems.add("log_field_mismatch", file, event["seq"], key, KEY_TITLES[key], id=r.id,
                             logged=event[key], actual=value)
                break
    for record_id, event in sorted(latest.items(), key=lambda item: item[1]["seq"]):
        if event["event"] != "withdrawn" and record_id not in by_id:
            problems.add("log_not_withdrawn", file, event["seq"], id=record_id, event=EVENT_TITLES[event["event"]])
    return problems


# ---- planning and writing -----------------------------------------------------------------------------

def _latest(events: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    latest: dict[str, dict[str, Any]] = {}
    for event in events:
        latest[event["id"]] = event
    return latest


def plan(public: list[PublicRecord], events: list[dict[str, Any]], *, now: datetime, commit: str | None,
         pr: int | None = None, reviewer: str | None = None) -> list[dict[str, Any]]:
    """The events that bring the log up to date with `public`, in id order (withdrawals last); none when
    nothing changed. `prev` is filled in by append(), from the bytes actually in the file."""
    latest = _latest(events)
    if events and format_time(now) < events[-1]["time"]:
        problems = Problems()
        problems.add("log_clock", LOG_FILE, now=format_time(now), last=events[-1]["time"])
        raise BuildError(problems)
    stamp = {"time": format_time(now), "commit": commit or None, "pr": pr, "reviewer": reviewer or None}
    new: list[dict[str, Any]] = []
    public_ids = set()
    for r in sorted(public, key=lambda r: r.id):
        public_ids.add(r.id)
        digest = record_hash(r)
        before = latest.get(r.id)
        if before is not None and before["event"] != "withdrawn" and before["sha256"] == digest:
            continue
        kind = "published" if before is None or before["event"] == "withdrawn" else "updated"
        new.append({"event": kind, "id": r.id, "kind": r.kind, "dept": r.dept, "year": r.year,
                    "sha256": digest, **stamp})
    for record_id in sorted(latest):
        before = latest[record_id]
        if before["event"] != "withdrawn" and record_id not in public_ids:
            new.append({"event": "withdrawn", "id": record_id, "kind": before["kind"], "dept": before["dept"],
                        "year": before["year"], **stamp})
    first = events[-1]["seq"] + 1 if events else 1
    for seq, event in enumerate(new, start=first):
        event["seq"] = seq
    return [{k: e[k] for k in KEY_ORDER if e.get(k) is not None} for e in new]


def append(path: Path, new_events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Append `new_events` (from plan()), chaining each to the line before; returns them with `prev` set.
    Never rewrites what is there: the file is opened for appending only."""
    if not new_events:
        return []
    lines = _lines(path)
    prev = line_hash(lines[-1]) if lines else GENESIS
    needs_newline = path.is_file() and path.stat().st_size > 0 and not path.read_bytes().endswith(b"\n")
    text = []
    written = []
    for event in new_events:
        event = {**event, "prev": prev}
        line = serialise(event)
        prev = line_hash(line.encode("utf-8"))
        text.append(line + "\n")
        written.append(event)
    with path.open("a", encoding="utf-8", newline="\n") as fh:
        fh.write(("\n" if needs_newline else "") + "".join(text))
    return written


# ---- reading for pages ---------------------------------------------------------------------------------

def history(events: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each record id's events, oldest first."""
    out: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        out.setdefault(event["id"], []).append(event)
    return out


def first_published(events: list[dict[str, Any]]) -> dict[str, date]:
    """Each id's publication day (China time) for deadlines: the published event that began its current
    run of publication (a record withdrawn and published again counts from the new publication)."""
    out: dict[str, date] = {}
    for event in events:
        if event["event"] == "published":
            out[event["id"]] = local_date(event["time"])
    return out

