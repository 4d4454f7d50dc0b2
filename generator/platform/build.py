"""`disclose platform build`: read every member, keep what checks out, render, swap the output in whole.

1. read platform.yml;
2. fetch every member (in parallel, each into its own fresh folder, with a timeout) and check it;
3. a member that failed keeps its last good copy (with the date it was fetched), reported in Chinese;
4. a member whose log does not extend what was seen last time is flagged, its vanished records kept
   as withdrawn;
5. render into a staging folder beside the output and swap it in; only then the state is updated.
A member's failure never fails the build; a broken platform.yml or disk does, leaving the old output.
"""

from __future__ import annotations

import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from generator.platform.fetch import DEFAULT_BUDGET, FetchFailed, Snapshot, fetch_member
from generator.platform.members import MemberSpec, load_members
from generator.platform.render import render
from generator.platform.rollup import MemberView
from generator.platform.state import State
from generator.site.swap import Workspace, swap_in


@dataclass
class PlatformReport:
    out: Path
    members: list[MemberView] = field(default_factory=list)

    @property
    def messages(self) -> list[str]:
        """One Chinese line per member that needs attention."""
        lines = []
        for m in self.members:
            if m.error:
                kept = (f"保留 {m.snap.fetched_at} 获取的副本" if m.snap else "尚无可用副本，本次未列入")
                lines.append(f"成员站点“{m.name}”（{m.code}）未能更新：{m.error}。{kept}。")
            if m.log_broken:
                lines.append(f"成员站点“{m.name}”（{m.code}）的公开日志没有延续平台上次看到的内容；"
                             f"{len(m.kept_withdrawn)} 条此前显示的信息标为已撤回。")
        return lines


def default_state(out: Path) -> Path:
    return out.parent / f"{out.name}.state"


def build_platform(sites: Path, out: Path, state_dir: Path | None = None, timeout: float = 20.0,
                   now: datetime | None = None, member_budget: float = DEFAULT_BUDGET) -> PlatformReport:
    out = out.resolve()
    members = load_members(sites)
    state_dir = (state_dir or default_state(out)).resolve()
    state_dir.mkdir(parents=True, exist_ok=True)
    state = State(state_dir)
    now = now or datetime.now(timezone.utc)
    work = Path(tempfile.mkdtemp(prefix=".fetch-", dir=state_dir))
    report = PlatformReport(out)
    try:
        with ThreadPoolExecutor(max_workers=min(8, len(members))) as pool:
            results = list(pool.map(lambda s: _fetch(s, work, timeout, now, member_budget), members))
        fresh: dict[str, Snapshot] = {}
        kept: dict[str, dict] = {}
        for spec, (snap, error) in zip(members, results, strict=True):
            if snap is not None:
                extends = state.extends(spec.division_code, snap)
                kept[spec.division_code] = state.withdrawn_kept(spec.division_code, snap, extends)
                fresh[spec.division_code] = snap
                view = MemberView(spec, snap, True, log_broken=not extends)
            else:
                view = MemberView(spec, state.last_good(spec.division_code), False, error=error)
                prev = state.seen.get(spec.division_code)
                kept[spec.division_code] = prev.kept_withdrawn if prev else {}
            view.kept_withdrawn = sorted(kept[spec.division_code].values(), key=lambda r: r["id"])
            report.members.append(view)
        workspace = Workspace(out)  # one hidden 0700 folder beside `out`; a killed run's leftovers removed
        try:
            render(report.members, workspace.site, now.strftime("%Y-%m-%dT%H:%M:%SZ"))
            swap_in(workspace.site, out, mark=False)
        finally:
            workspace.close()
        state.commit(fresh, kept)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report


def _fetch(spec: MemberSpec, work: Path, timeout: float, now: datetime,
           budget: float) -> tuple[Snapshot | None, str | None]:
    dest = work / spec.division_code
    dest.mkdir()
    try:
        return fetch_member(spec, dest, timeout, now, budget), None
    except FetchFailed as exc:
        return None, str(exc)
