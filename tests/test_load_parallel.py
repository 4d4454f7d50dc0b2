"""Loading YAML on several cores gives exactly what one core gives: same records, same order,
same problems (region-scale sites have one YAML file per record)."""

from __future__ import annotations

from click.testing import CliRunner

from generator.cli import main
from generator.model.catalog import load_catalog
from generator.source import load
from generator.util import parallel as cores


def test_parallel_load_equals_sequential_load(tmp_path, monkeypatch):
    out = tmp_path / "corpus"
    result = CliRunner().invoke(main, ["synth", "--records", "2500", "--seed", "3", str(out)])
    assert result.exit_code == 0, result.output
    broken = sorted((out / "content").rglob("*.yml"))[-1]
    broken.write_text(broken.read_text(encoding="utf-8") + "title: 重复的键\n", encoding="utf-8")
    catalog = load_catalog(out)

    monkeypatch.setattr(cores.os, "cpu_count", lambda: 2)
    parallel = load.load_content(out, catalog)
    monkeypatch.setattr(cores.os, "cpu_count", lambda: 1)
    sequential = load.load_content(out, catalog)

    assert len(parallel.records) == len(sequential.records) == 2499
    assert [(r.origin.file, r.values, r.rows) for r in parallel.records] == \
        [(r.origin.file, r.values, r.rows) for r in sequential.records]
    assert [p.render() for p in parallel.problems] == [p.render() for p in sequential.problems]
    assert any(p.code == "yaml_duplicate_key" for p in parallel.problems)
    assert parallel.files == sequential.files
