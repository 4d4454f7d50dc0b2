"""Publishing: append one log event per change, then build; the only writer of the log and the only
code that reads the clock. The build reads times from the log, so two builds of one commit are
byte-identical.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from generator.log import publog
from generator.log.changes import add_changes
from generator.model.events import Event
from generator.problems import BuildError, Problems


def publish_log(root: Path, *, commit: str | None, now: datetime, pr: int | None = None,
                reviewer: str | None = None) -> list[Event]:
    """Validate and redact the site, then append one event per change to its log; returns the new events.

    Nothing is written when validation fails, the log is damaged or nothing changed.
    """
    from generator.build import read_site

    site = read_site(root, redact=True)
    assert site.redacted is not None
    path = root / publog.LOG_FILE
    damaged = publog.verify_chain(path)
    if damaged:
        raise BuildError(damaged)
    events = publog.read_log(path)
    new = publog.plan(site.redacted.public, events, now=now, commit=commit, pr=pr, reviewer=reviewer)
    # Which fields each update changed (names only), read from the previous version in git.
    add_changes(root, new, events, site.redacted.public, site.catalog)
    new = [Event(**{k: e[k] for k in publog.KEY_ORDER if e.get(k) is not None}) for e in new]
    return publog.append(path, new)


def publish(root: Path, out: Path | None, *, commit: str | None, now: datetime, pr: int | None = None,
            reviewer: str | None = None, say: Callable[[str], None] = lambda _: None) -> list[Event]:
    """publish_log, then build; a failed build takes this run's events back out of the log."""
    from generator.build import build
    from generator.site.swap import check_out

    check_out(root, out or root / "site")  # an --out that would destroy something: refused before the log is touched
    path = root / publog.LOG_FILE
    size = path.stat().st_size if path.is_file() else None
    new = publish_log(root, commit=commit, now=now, pr=pr, reviewer=reviewer)
    say(summary(new))
    try:
        report = build(root, out)
        cleaned = getattr(report, "cleaned", None)  # what a killed build had left beside the site
        if cleaned:
            say(f"已清理上次被中断的构建留下的临时文件：{'、'.join(cleaned)}。")
    except BuildError as exc:
        if new:
            _restore(path, size)
        problems = Problems(exc.problems)
        if new:
            problems.add("log_build_failed", publog.LOG_FILE, count=len(new))
        raise BuildError(problems) from None
    except BaseException:
        if new:
            _restore(path, size)
        raise
    return new


def verify_site(root: Path) -> tuple[list, int]:
    """The log checked against the site's public records: (problems, number of public records)."""
    from generator.build import read_site

    site = read_site(root, redact=True)
    assert site.redacted is not None
    return publog.verify(root / publog.LOG_FILE, site.redacted.public), len(site.redacted.public)


def git_head(root: Path) -> str | None:
    """The checked-out commit, for runs outside GitHub Actions (which sets GITHUB_SHA)."""
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.strip() or None


def _restore(path: Path, size: int | None) -> None:
    """Undo this run's appends: cut the log back to its old length (or remove a log this run created)."""
    if size is None:
        path.unlink(missing_ok=True)
        return
    with path.open("r+b") as fh:
        fh.truncate(size)


def summary(new: list[Event]) -> str:
    if not new:
        return "内容无变化，公开日志未追加事件。"
    counts = {name: sum(e["event"] == name for e in new) for name in publog.EVENTS}
    parts = "、".join(f"{publog.EVENT_TITLES[name]} {n} 条" for name, n in counts.items() if n)
    return f"公开日志已追加 {len(new)} 条事件（{parts}），序号 {new[0]['seq']}–{new[-1]['seq']}。"
