"""`disclose synth`: the synthetic corpus is valid content, holds every kind and every sort of secret, and is
byte for byte reproducible."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.build import read_site
from generator.cli import main
from generator.model.catalog import load_catalog
from generator.secrecy.redact import redact
from generator.synth.corpus import make_plan, synthesise, ys

CANARY = re.compile(r"CANARY-\d+")


def _synth(out: Path, *args: str) -> None:
    result = CliRunner().invoke(main, ["synth", *args, str(out)])
    assert result.exit_code == 0, result.output
    assert f"已在 {out} 生成合成语料" in result.stdout


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _canaries(root: Path) -> list[str]:
    return [m for data in _files(root / "content").values() for m in CANARY.findall(data.decode("utf-8"))]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "site"
    _synth(out, "--records", "60", "--seed", "7")
    return out


@pytest.fixture(scope="module")
def checked(corpus: Path):
    return read_site(corpus)


def test_small_corpus_validates_with_every_kind(corpus: Path, checked) -> None:
    assert [p.render() for p in checked.problems] == []
    assert len(checked.records) == 60
    assert {r.kind for r in checked.records} == set(load_catalog().kinds)
    assert (corpus / "site_config.yml").read_text(encoding="utf-8").count("塞北自治区") >= 3
    result = CliRunner().invoke(main, ["validate", "--root", str(corpus)])
    assert result.exit_code == 0
    assert "校验通过：60 条记录，0 个提示。" in result.stdout


def test_secrets_are_mixed_in_and_each_carries_its_own_canary(corpus: Path, checked) -> None:
    confidential = [r for r in checked.records if r.confidential]
    assert confidential and all(CANARY.search(r.fields["title"]) for r in confidential)
    assert all(r.fields["confidential_basis"] for r in confidential)
    rows = [row for r in checked.records if not r.confidential for row in r.rows if row["confidential"]]
    assert rows and all(CANARY.search(row["name"]) and CANARY.search(row["note"]) for row in rows)
    withheld = [r for r in checked.records if r.fields["withheld_fields"]]
    assert withheld
    for r in withheld:
        for name in r.fields["withheld_fields"]:
            assert CANARY.search(str(r.fields[name])), (r.id, name)
    tokens = _canaries(corpus)
    assert tokens and len(tokens) == len(set(tokens))


def test_every_canary_is_in_a_value_redaction_removes(checked) -> None:
    """A canary in a public value would make leak tests cry wolf: none survives redaction."""
    redacted = redact(checked.records, checked.catalog)
    assert len(redacted.public) < len(checked.records)
    public = repr([(p.fields, p.rows) for p in redacted.public])
    assert "CANARY" not in public
    assert any(CANARY.search(s.text) for s in redacted.secrets)


def test_amounts_rates_and_grades_agree(checked) -> None:
    for r in checked.records:
        f = r.fields
        if r.kind == "evaluation":
            rows = sum(row["weight"] for row in r.rows)
            assert rows + f["execution_weight"] == 100
            assert f["score"] == f["execution_score"] + sum(row["score"] for row in r.rows)
        if r.kind == "monitoring":
            for row in r.rows:
                if row["likelihood"] != "确定能":
                    assert row["deviation_reason"] and row["corrective_measures"]
        if r.kind in ("goal", "monitoring", "evaluation"):
            assert 10 <= len(r.rows) <= 20 or f.get("variant") == "部门整体支出"


def test_same_records_and_seed_give_the_same_bytes(tmp_path: Path) -> None:
    synthesise(tmp_path / "a", 2000, 3, jobs=1)
    synthesise(tmp_path / "b", 2000, 3, jobs=2)
    synthesise(tmp_path / "c", 2000, 4, jobs=1)
    a, b, c = (_files(tmp_path / x) for x in "abc")
    assert a == b
    assert a.keys() != c.keys() or a != c


def test_csv_corpus_validates_and_holds_the_same_records(corpus: Path, checked, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    _synth(out, "--records", "60", "--seed", "7", "--format", "csv")
    assert list((out / "content").rglob("*.indicators.csv"))
    result = read_site(out)
    assert [p.render() for p in result.problems] == []
    # Every record whole, funding tables included: a record holding a small table (funding, duties) has no
    # CSV form and is written as YAML beside the CSV tables; all the others are CSV rows.
    from_csv = {r.id: (r.kind, r.fields, r.rows) for r in result.records}
    assert from_csv == {r.id: (r.kind, r.fields, r.rows) for r in checked.records}
    tables = {r.id for r in checked.records if r.fields.get("funding") or r.fields.get("duties")}
    assert tables
    yaml_files = {p.stem for p in (out / "content").rglob("*.yml")} - {"departments"}
    assert yaml_files == tables
    assert all(r.origin.file.endswith(".csv") for r in result.records if r.id not in tables)


@pytest.mark.parametrize("records", [1, 5, 61])
def test_exactly_the_records_asked_for(tmp_path: Path, records: int) -> None:
    synthesise(tmp_path / "s", records, 1)
    result = read_site(tmp_path / "s")
    assert result.problems.errors == []
    assert len(result.records) == records


def test_plan_scales_departments_and_keeps_realistic_proportions() -> None:
    assert len(make_plan(60, 1)) == 4
    plans = make_plan(100_000, 1)
    assert len(plans) == 100
    assert len({p.code for p in plans}) == 100
    years = Counter(len(p.report_years) for p in plans)
    assert years == {5: 100}  # one monitoring report per department per year
    triples = sum(y for p in plans for _, y, goal_only in p.projects if not goal_only)
    others = sum(p.notices + p.fiscal + p.pre + len(p.report_years) + len(p.dept_goal_years) for p in plans)
    goal_only = sum(y for p in plans for _, y, g in p.projects if g)
    assert 3 * triples + goal_only + others == 100_000
    assert triples > 30_000 and sum(p.fiscal for p in plans) < triples // 10


def test_refuses_a_directory_that_is_not_a_corpus(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "departments.yml").write_text("[]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["synth", "--records", "10", str(tmp_path)])
    assert result.exit_code == 1
    assert (f"输出目录 {tmp_path} 已存在且不是合成语料目录（其中没有 disclose synth 写下的 .synth 标记文件）。"
            "为免覆盖真实内容，请指定一个新的或空的目录。") in result.stderr
    assert (tmp_path / "content" / "departments.yml").read_text(encoding="utf-8") == "[]\n"


def test_rewrites_an_earlier_corpus_without_leftovers(tmp_path: Path) -> None:
    out = tmp_path / "s"
    synthesise(out, 120, 1)
    synthesise(out, 30, 2)
    fresh = tmp_path / "fresh"
    synthesise(fresh, 30, 2)
    assert _files(out) == _files(fresh)


def test_records_must_be_positive(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["synth", "--records", "0", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert "记录条数（--records）应为不小于 1 的整数，实际为 0。" in result.stderr
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize("text", ["2024年项目绩效目标", "学生满意度达到90%以上。", "≥", "=", ">", "%", "95", "true",
                                  "no", "jyt-2024-goal-0001", "a: b", "“三公”经费", "CANARY-1", "", "x # y", "[1]",
                                  "2025-01-01", "1,250"])
def test_yaml_scalars_read_back_as_written(text: str) -> None:
    node = yaml.compose(f"k: {ys(text)}\nr: {{v: {ys(text)}}}\n")
    values = [v for _, v in node.value]
    assert values[0].value == text
    assert values[1].value[0][1].value == text
    if not text:
        assert values[0].tag != "tag:yaml.org,2002:null"
