"""`disclose build`: the whole flow, one stage after another, each handing the next plain data.

    load → validate → redact → log → render → mkdocs → records → index → guard → swap

Everything is read and checked before a byte is written; the site is built in a staging directory
and swapped in only when the leak guard has passed, so a failed build never replaces a good site.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.log import publog
from generator.model.catalog import load_catalog
from generator.model.config import load_config
from generator.problems import BuildError, Problems
from generator.secrecy import guard, provenance
from generator.secrecy.redact import redact
from generator.site.mkdocs_engine import run_mkdocs
from generator.site.opendata import write_open_data
from generator.site.record_pages import write_record_pages, write_shell
from generator.site.render import Renderer, SiteModel, make_environment, publication_info
from generator.site.search_index import run_pagefind
from generator.site.static_pages import render_static_pages
from generator.site.swap import discard, staging_dir, swap_in
from generator.source.load import load_content
from generator.source.register import site_register
from generator.source.validate import validate

LOG_FILE = "publication-log.jsonl"


@dataclass
class BuildReport:
    out: Path
    records: int = 0
    public: int = 0
    warnings: Problems = field(default_factory=Problems)
    timings: dict[str, float] = field(default_factory=dict)


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

    config = load_config(root)
    catalog = load_catalog(root)
    loaded = stage.run("load", "读取记录", load_content, root, catalog, config.limits.max_file_mb,
                       attachments=config.attachments)
    validated = stage.run("validate", "校验记录", validate, loaded, catalog, config.guard.min_length)
    if validated.problems.errors:
        raise BuildError(validated.problems.sorted())
    report.warnings = Problems(validated.problems.warnings)
    redacted = stage.run("redact", "去除不予公开的内容", redact, validated.records, catalog)
    events = stage.run("log", "读取公开日志", publog.read_verified_log, root / LOG_FILE)
    register = stage.run("register", "读取应公开事项登记表", site_register, root, validated.records, catalog,
                         validated.departments, config.limits.max_file_mb)
    report.records, report.public = len(validated.records), len(redacted.public)

    work = Path(tempfile.mkdtemp(prefix="disclose-"))
    site = staging_dir(out)
    try:
        docs = work / "docs"
        docs.mkdir()
        model = SiteModel(config, catalog, validated.departments, redacted.public,
                          publication_info(redacted.public, publog.history(events), catalog, config),
                          redacted.withheld.counts)
        env = make_environment(root)
        stage.run("render", "生成页面", _render, model, env, docs, events)
        extra_pages = render_static_pages(model, env, docs, events, register)
        stage.run("mkdocs", "MkDocs 构建网站", run_mkdocs, config, catalog, docs, site, root,
                  _source_epoch(events), extra_pages)
        stage.run("records", "生成各条信息页面", write_record_pages, Renderer(model, env, docs), site)
        stage.run("index", "建立检索索引", run_pagefind, site)
        leaks = stage.run("guard", "泄密检查", guard.check, site, redacted.secrets, redacted.public,
                          _public_extra(model, events, root), config.guard.min_length, catalog.public_names)
        if leaks:
            raise BuildError(leaks)
        stage.run("swap", "发布到输出目录", swap_in, site, out)
    except BaseException:
        discard(site)
        raise
    finally:
        discard(work)
    return report


def _render(model: SiteModel, env, docs: Path, events: list[dict]) -> None:
    Renderer(model, env, docs).render_all()
    write_shell(docs)
    write_open_data(model, events, docs)


def _source_epoch(events: list[dict]) -> int:
    """The newest log time: builds of one commit (one log) date their sitemap identically."""
    from datetime import datetime

    if not events:
        return 946684800  # 2000-01-01: no publication yet (a preview)
    newest = max(e["time"] for e in events)
    return int(datetime.fromisoformat(newest.replace("Z", "+00:00")).timestamp())


def _public_extra(model: SiteModel, events: list[dict], root: Path):
    """Text that is public whatever the records say (provenance.independent_texts): names, schemas,
    the generator's template wording, logged ids, the reviewed allow-list. A site's own templates are
    not: a template that prints a secret must fail the guard."""
    return provenance.independent_texts(model.catalog, model.departments.values(), events, root)
