"""`disclose build`: the whole flow, one stage after another, each handing the next plain data.

    load → validate → redact → log → shards → render → mkdocs → merge → index → guard → swap

`read_site()` is the front half (config → catalog → load → validate [→ redact]) that every command
uses: build, validate, review, compliance, publish, log verify and the preview all read a site with it.

Everything is read and checked before a byte is written; the site is built in a staging directory
and swapped in only when the leak guard has passed, so a failed build never replaces a good site.
Record pages come in shards (generator/shards/: department × year), reused from `.disclose-cache/`
when unchanged, or built on other machines (`build_shard`) and merged (`build(shards=…)`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from generator.log import publog
from generator.model.catalog import Catalog, load_catalog
from generator.model.config import SiteConfig, load_config
from generator.model.events import Event
from generator.model.records import Record
from generator.model.site import SiteModel
from generator.problems import BuildError, Problems
from generator.reports.compliance import Report, by_record, site_report
from generator.secrecy import guard, provenance
from generator.secrecy import redact as redaction
from generator.shards import merge, store
from generator.shards import plan as shard_plan
from generator.shards.shell import cached_shell
from generator.site.mkdocs_engine import run_mkdocs
from generator.site.opendata import write_open_data
from generator.site.platform_manifest import write_manifest
from generator.site.render import Renderer, make_environment, publication_info
from generator.site.search_index import run_pagefind
from generator.site.static_pages import render_static_pages, static_nav
from generator.site.swap import Workspace, check_out, swap_in
from generator.source.load import load_content
from generator.source.register import Register, load_register, resolve
from generator.source.validate import validate


@dataclass
class BuildReport:
    out: Path
    records: int = 0
    public: int = 0
    warnings: Problems = field(default_factory=Problems)
    cleaned: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    shards: store.Outcome | None = None  # which shards were built, which reused


@dataclass
class Site:
    """A site as read and checked: what every command starts from."""

    root: Path
    config: SiteConfig
    catalog: Catalog
    records: list[Record]
    departments: dict[str, dict]
    problems: Problems
    register: Register | None = None  # None when only some files were read
    redacted: redaction.Redacted | None = None  # with read_site(redact=True)


def _now(_name: str, _label: str, fn: Callable, *args, **kwargs):
    return fn(*args, **kwargs)


def read_site(root: Path, only: list[Path] | None = None, redact: bool = False,
              config: SiteConfig | None = None, run: Callable = _now) -> Site:
    """Config → catalog → load → validate (→ redact): the front half of every command.

    Problems of the records are collected in `Site.problems`, never raised; with `redact=True`
    errors raise BuildError instead (nothing invalid is redacted, published or built). BuildError
    also when nothing can be read at all (no content/, a broken site_config.yml or kinds.yml).
    `run(name, label, fn, *args)` runs each stage (build times them).
    """
    if not (root / "content").is_dir():
        raise BuildError.one("no_content", str(root))
    config = config or load_config(root)
    catalog = load_catalog(root)
    loaded = run("load", "读取记录", load_content, root, catalog, config.limits.max_file_mb, only=only,
                 attachments=config.attachments, limits=config.limits)
    validated = run("validate", "校验记录", validate, loaded, catalog, config.guard.min_length)
    site = Site(root, config, catalog, validated.records, validated.departments, validated.problems)
    if only is None:
        # The register of expected disclosures is content too: its problems are reported with the rest.
        try:
            site.register = load_register(root, catalog, site.departments, config.limits.max_file_mb)
        except BuildError as exc:
            site.problems.extend(exc.problems)
    if redact:
        site.problems.raise_errors()
        site.redacted = run("redact", "去除不予公开的内容", redaction.redact, site.records, catalog)
    return site



class _Stages:
    """Times each stage and tells the user what is happening (builds of 100,000 records take minutes)."""

    def __init__(self, report: BuildReport, progress: Callable[[str], None]):
        self.report, self.progress = report, progress

    def run(self, name: str, label: str, fn: Callable, *args, **kwargs):
        self.progress(f"{label}…")
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        self.report.timings[name] = time.perf_counter() - start
        return result


def build(root: Path, out: Path | None = None, progress: Callable[[str], None] = lambda _: None,
          shards: list[Path] | None = None, cache: bool = True) -> BuildReport:
    """The site at `out`. Record pages come in shards (generator/shards/): reused from the cache when
    unchanged (`cache`), else built here, or, with `shards` (`--merge DIR…`), checked and taken from
    folders that `build_shard` wrote, possibly on other machines."""
    root = root.resolve()
    out = (out or root / "site").resolve()
    report = BuildReport(out)
    stage = _Stages(report, progress)
    check_out(root, out)

    source = read_site(root, redact=True, run=stage.run)
    config, catalog, redacted = source.config, source.catalog, source.redacted
    assert redacted is not None
    report.warnings = Problems(source.problems.warnings)
    events = stage.run("log", "读取公开日志", publog.read_verified_log, root / publog.LOG_FILE)
    model, timeliness, register = _model(source, events, stage)
    report.records, report.public = len(source.records), len(redacted.public)

    workspace = Workspace(out)  # one hidden folder beside `out`; a killed build's leftovers are removed
    report.cleaned = workspace.cleaned
    work, site = workspace.scratch, workspace.site
    try:
        docs = work / "docs"
        docs.mkdir()
        env = make_environment(root)
        groups, fixed = shard_plan.group(model.records), shard_plan.fixed_inputs(root)
        keys = shard_plan.keys(fixed, model)
        cached = store.cache_root(root) if cache and shards is None else None
        if shards is not None:
            report.shards = stage.run("shards", "检查各分片", merge.from_folders, shards, groups, keys)
        else:
            shell = partial(cached_shell, config, catalog, root, static_nav(env), work, cached, fixed)
            report.shards = stage.run("shards", "生成各分片的信息页面", store.provide, Renderer(model, env, docs),
                                      groups, keys, shell, cached, work, time.perf_counter)
        stage.run("render", "生成页面", _render, model, env, docs, events)
        extra_pages = render_static_pages(model, env, docs, events, timeliness)
        write_manifest(model, events, register, docs)  # platform.json, read by `disclose platform`
        stage.run("mkdocs", "MkDocs 构建网站", run_mkdocs, config, catalog, docs, site, root,
                  _source_epoch(events), extra_pages)
        stage.run("merge", "合并各分片", merge.assemble, report.shards, model, site)
        stage.run("index", "建立检索索引", run_pagefind, site)
        stamps = store.GuardStamps(cached, report.shards) if cached is not None else None
        _guard(stage, site, source, model, events, stamps)
        stage.run("swap", "发布到输出目录", swap_in, site, out)
    finally:
        workspace.close()
    return report


def build_shard(root: Path, shard: str, out: Path, progress: Callable[[str], None] = lambda _: None,
                cache: bool = True) -> BuildReport:
    """One shard alone into `out` (`disclose build --shard ID --out DIR`), for `build(shards=…)` to
    merge; leak-checked like a site, and swapped in whole."""
    root, out = root.resolve(), out.resolve()
    report = BuildReport(out)
    stage = _Stages(report, progress)
    check_out(root, out)
    source = read_site(root, redact=True, run=stage.run)
    events = stage.run("log", "读取公开日志", publog.read_verified_log, root / publog.LOG_FILE)
    model, _, _ = _model(source, events, stage)
    groups = shard_plan.group(model.records)
    if shard not in groups:
        raise BuildError.one("shard_unknown", shard=shard, known="、".join(list(groups)[:20]) or "（无）")
    report.records, report.public = len(source.records), len(groups[shard])
    env = make_environment(root)
    workspace = Workspace(out)
    report.cleaned = workspace.cleaned
    try:
        fixed = shard_plan.fixed_inputs(root)
        shell = cached_shell(source.config, source.catalog, root, static_nav(env), workspace.scratch,
                             store.cache_root(root) if cache else None, fixed)
        key = shard_plan.shard_key(fixed, groups[shard], model)
        folder = workspace.scratch / "shard"
        stage.run("shards", "生成分片的信息页面", store.write_shard, Renderer(model, env, workspace.scratch), shard,
                  key, groups[shard], shell, folder)
        _guard(stage, folder, source, model, events)
        stage.run("swap", "发布到输出目录", swap_in, folder, out)
    finally:
        workspace.close()
    return report


def list_shards(root: Path) -> list[str]:
    """The shard ids of the current content (`disclose build --list-shards`), one per department and year."""
    source = read_site(root.resolve(), redact=True)
    assert source.redacted is not None
    return list(shard_plan.group(source.redacted.public))


def _model(source: Site, events: list[Event], stage: _Stages) -> tuple[SiteModel, Report, Register]:
    """The site model, with one timeliness computation for record pages, the log and the compliance page."""
    assert source.redacted is not None and source.register is not None
    config, catalog, public = source.config, source.catalog, source.redacted.public
    register = stage.run("register", "读取应公开事项登记表", resolve, source.register, source.records, catalog)
    timeliness = site_report(public, register, events, catalog, config, source.departments)
    info = publication_info(public, publog.history(events), catalog, config, by_record(timeliness))
    model = SiteModel(config, catalog, source.departments, public, info, source.redacted.withheld.counts)
    return model, timeliness, register


def _guard(stage: _Stages, folder: Path, source: Site, model: SiteModel, events: list[Event],
           stamps: store.GuardStamps | None = None) -> None:
    """Every byte under `folder` against the full current set of secrets; with `stamps`, cached shards
    already found clean by exactly these secrets are not read again."""
    assert source.redacted is not None
    leaks = stage.run("guard", "泄密检查", guard.check, folder, source.redacted.secrets, source.redacted.public,
                      _public_extra(model, events, source.root), source.config.guard.min_length,
                      source.catalog.public_names, stamps.clean if stamps else None, source.catalog.amount_fields)
    if leaks:
        raise BuildError(leaks)
    if stamps is not None:
        stamps.record()


def _render(model: SiteModel, env, docs: Path, events: list[Event]) -> None:
    Renderer(model, env, docs).render_all()
    write_open_data(model, events, docs)


def _source_epoch(events: list[Event]) -> int:
    """The newest log time: builds of one commit (one log) date their sitemap identically."""
    from datetime import datetime

    if not events:
        return 946684800  # 2000-01-01: no publication yet (a preview)
    newest = max(e["time"] for e in events)
    return int(datetime.fromisoformat(newest.replace("Z", "+00:00")).timestamp())


def _public_extra(model: SiteModel, events: list[Event], root: Path):
    """Text that is public whatever the records say (provenance.independent_texts): names, schemas,
    the generator's template wording, logged ids, the reviewed allow-list. A site's own templates are
    not: a template that prints a secret must fail the guard."""
    return provenance.independent_texts(model.catalog, model.departments.values(), events, root)
