"""`disclose build`: the whole flow, one stage after another, each handing the next plain data.

    load → validate → redact → log → render → mkdocs → records → index → guard → swap

`read_site()` is the front half (config → catalog → load → validate [→ redact]) that every command
uses: build, validate, review, compliance, publish, log verify and the preview all read a site with it.

Everything is read and checked before a byte is written; the site is built in a staging directory
and swapped in only when the leak guard has passed, so a failed build never replaces a good site.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.log import publog
from generator.model.catalog import Catalog, load_catalog
from generator.model.config import SiteConfig, load_config
from generator.model.events import Event
from generator.model.records import Record
from generator.model.site import SiteModel
from generator.problems import BuildError, Problems
from generator.reports.compliance import by_record, site_report
from generator.secrecy import guard, provenance
from generator.secrecy import redact as redaction
from generator.site.mkdocs_engine import run_mkdocs
from generator.site.opendata import write_open_data
from generator.site.platform_manifest import write_manifest
from generator.site.record_pages import write_record_pages, write_shell
from generator.site.render import Renderer, make_environment, publication_info
from generator.site.search_index import run_pagefind
from generator.site.static_pages import render_static_pages
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


def build(root: Path, out: Path | None = None, progress: Callable[[str], None] = lambda _: None) -> BuildReport:
    root = root.resolve()
    out = (out or root / "site").resolve()
    report = BuildReport(out)
    stage = _Stages(report, progress)
    check_out(root, out)

    source = read_site(root, redact=True, run=stage.run)
    config, catalog, redacted = source.config, source.catalog, source.redacted
    assert redacted is not None and source.register is not None
    report.warnings = Problems(source.problems.warnings)
    events = stage.run("log", "读取公开日志", publog.read_verified_log, root / publog.LOG_FILE)
    register = stage.run("register", "读取应公开事项登记表", resolve, source.register, source.records, catalog)
    report.records, report.public = len(source.records), len(redacted.public)

    workspace = Workspace(out)  # one hidden folder beside `out`; a killed build's leftovers are removed
    report.cleaned = workspace.cleaned
    work, site = workspace.scratch, workspace.site
    try:
        docs = work / "docs"
        docs.mkdir()
        # One timeliness computation for record pages, the log and the compliance page.
        timeliness = site_report(redacted.public, register, events, catalog, config, source.departments)
        model = SiteModel(config, catalog, source.departments, redacted.public,
                          publication_info(redacted.public, publog.history(events), catalog, config,
                                           by_record(timeliness)),
                          redacted.withheld.counts)
        env = make_environment(root)
        stage.run("render", "生成页面", _render, model, env, docs, events)
        extra_pages = render_static_pages(model, env, docs, events, timeliness)
        write_manifest(model, events, register, docs)  # platform.json, read by `disclose platform`
        stage.run("mkdocs", "MkDocs 构建网站", run_mkdocs, config, catalog, docs, site, root,
                  _source_epoch(events), extra_pages)
        stage.run("records", "生成各条信息页面", write_record_pages, Renderer(model, env, docs), site)
        stage.run("index", "建立检索索引", run_pagefind, site)
        leaks = stage.run("guard", "泄密检查", guard.check, site, redacted.secrets, redacted.public,
                          _public_extra(model, events, root), config.guard.min_length, catalog.public_names)
        if leaks:
            raise BuildError(leaks)
        stage.run("swap", "发布到输出目录", swap_in, site, out)
    finally:
        workspace.close()
    return report


def _render(model: SiteModel, env, docs: Path, events: list[Event]) -> None:
    Renderer(model, env, docs).render_all()
    write_shell(docs)
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
