"""Shards on many machines: `disclose build --shard` for every id of `--list-shards`, each in its own
process, then `--merge`, gives byte for byte the site one `disclose build` gives, for the example
site and a synthetic corpus; a merge with a missing, stale, unknown, duplicated or altered shard is
refused with a Chinese message and writes nothing."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.build import build, read_site
from generator.problems import BuildError
from generator.secrecy.redact import redact
from tests.example import example_root


def cli(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], capture_output=True, text=True,
                          check=False, timeout=300)


def digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


@dataclass
class Corpus:
    root: Path
    one: Path  # one `disclose build`
    shards: dict[str, Path]  # shard id → its `--shard` output
    merged: Path  # `--merge` of all shards


_BUILT: dict[str, Corpus] = {}


def _corpus(name: str, tmp_path_factory) -> Corpus:
    """Built once per module: one build, then every shard in its own process, then the merge."""
    if name in _BUILT:
        return _BUILT[name]
    base = tmp_path_factory.mktemp(name)
    if name == "example":
        root = example_root(base)
    else:
        root = base / "root"
        done = cli("synth", "--records", "24", "--seed", "7", root)
        assert done.returncode == 0, done.stderr
    one = cli("build", "--root", root, "--out", base / "one", "--no-cache")
    assert one.returncode == 0, one.stderr
    listed = cli("build", "--root", root, "--list-shards")
    assert listed.returncode == 0, listed.stderr
    ids = listed.stdout.split()
    shards = {sid: base / "shards" / sid for sid in ids}

    def one_shard(sid: str) -> subprocess.CompletedProcess:
        return cli("build", "--root", root, "--shard", sid, "--out", shards[sid])

    with ThreadPoolExecutor(2) as pool:  # separate processes, as on separate machines
        for done in pool.map(one_shard, ids):
            assert done.returncode == 0, done.stderr
    merged = cli("build", "--root", root, "--merge", *shards.values(), "--out", base / "merged")
    assert merged.returncode == 0, merged.stderr
    _BUILT[name] = Corpus(root, base / "one", shards, base / "merged")
    return _BUILT[name]


@pytest.fixture(scope="module", params=["example", "synth"])
def corpus(request, tmp_path_factory) -> Corpus:
    return _corpus(request.param, tmp_path_factory)


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Corpus:
    return _corpus("example", tmp_path_factory)


def test_shards_built_apart_and_merged_are_byte_identical_to_one_build(corpus: Corpus) -> None:
    one, merged = digest(corpus.one), digest(corpus.merged)
    assert len(corpus.shards) > 3
    assert sum(name.startswith("records/") for name in one) > 40
    assert any(name.startswith("pagefind/") for name in one)
    assert merged.keys() == one.keys()
    assert [name for name in one if merged[name] != one[name]] == []


def test_list_shards_is_department_by_year_of_public_records(corpus: Corpus) -> None:
    site = read_site(corpus.root)
    public = redact(site.records, site.catalog).public
    assert list(corpus.shards) == sorted({f"{r.dept}-{r.year}" for r in public})
    # Each shard holds its records' folders only, and its manifest.
    for sid, folder in corpus.shards.items():
        held = {p.name for p in (folder / "records").iterdir()}
        assert held == {r.id for r in public if f"{r.dept}-{r.year}" == sid}
        assert (folder / "shard.json").is_file()


def _copies(corpus: Corpus, dest: Path) -> dict[str, Path]:
    out = {}
    for sid, folder in corpus.shards.items():
        out[sid] = dest / sid
        shutil.copytree(folder, out[sid])
    return out


def test_merge_refuses_missing_altered_duplicated_and_foreign_folders(example: Corpus, tmp_path: Path) -> None:
    shards = _copies(example, tmp_path)
    first, second, third, *_ = shards
    page = sorted((shards[first] / "records").glob("*/index.html"))[0]
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<p>x</p></body>"))
    (shards[second] / "records" / "extra.html").write_text("x", encoding="utf-8")
    stranger = tmp_path / "stranger"
    stranger.mkdir()
    given = [d for s, d in shards.items() if s != third] + [shards[first], stranger]
    out = tmp_path / "site"
    done = cli("build", "--root", example.root, "--merge", *given, "--out", out)
    assert done.returncode == 1
    err = done.stderr
    assert f"分片 {first} 在构建后被改动或已损坏：文件 {page.relative_to(shards[first]).as_posix()} 的内容与清单" in err
    assert f"分片 {second} 在构建后被改动或已损坏：多出清单以外的文件 records/extra.html" in err
    assert f"分片 {first} 给出了两次" not in err  # refused once, not counted twice
    assert "此目录不是 disclose build --shard 的输出" in err and str(stranger) in err
    assert f"合并缺少 1 个分片：{third}。" in err
    assert not out.exists()


def test_merge_refuses_a_manifest_naming_pages_the_shard_does_not_ship(example: Corpus, tmp_path: Path) -> None:
    """The sitemap takes each record's attachment text pages from the manifest: a page name that is not
    one of the shard's own files (a rewritten manifest) is refused, not published as a link."""
    shards = _copies(example, tmp_path)
    sid = next(iter(shards))
    path = shards[sid] / "shard.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    rid = sorted(data["pages"])[0]
    data["pages"][rid] = ["../../elsewhere.html"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "site"
    done = cli("build", "--root", example.root, "--merge", *shards.values(), "--out", out)
    assert done.returncode == 1
    assert f"分片 {sid} 在构建后被改动或已损坏：清单为记录 {rid} 列出的页面 ../../elsewhere.html 不是本分片的文件" in done.stderr
    assert not out.exists()


def test_merge_names_the_one_stale_shard_after_a_record_changed(example: Corpus, tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(example.root, root, ignore=shutil.ignore_patterns(".disclose-cache"))
    site = read_site(root)
    public = redact(site.records, site.catalog).public
    record = next(r for r in site.records if r.id in {p.id for p in public} and r.kind == "goal")
    path = root / record.origin.file
    text = path.read_text(encoding="utf-8")
    assert "\nsummary: " in text
    path.write_text(text.replace("\nsummary: ", "\nsummary: 已修改。", 1), encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build(root, tmp_path / "site", shards=list(example.shards.values()))
    assert [(p.code, p.params["shard"]) for p in caught.value.problems] == [
        ("shard_stale", f"{record.fields['dept']}-{record.fields['year']}")]
    assert "是根据另一版本的记录、模板、表结构、配置或生成工具构建的" in caught.value.problems[0].message
    assert not (tmp_path / "site").exists()


def test_duplicate_shard_and_bad_options_are_refused(example: Corpus, tmp_path: Path) -> None:
    sid, folder = next(iter(example.shards.items()))
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    with pytest.raises(BuildError) as caught:
        build(example.root, tmp_path / "site", shards=[*example.shards.values(), copy])
    assert [(p.code, p.params["shard"]) for p in caught.value.problems] == [("shard_duplicate", sid)]
    unknown = cli("build", "--root", example.root, "--shard", "nope-1999", "--out", tmp_path / "x")
    assert unknown.returncode == 1 and "没有编号为“nope-1999”的分片" in unknown.stderr
    assert not (tmp_path / "x").exists()
    no_out = cli("build", "--root", example.root, "--shard", sid)
    assert no_out.returncode == 1 and "--shard 须同时用 --out 指定" in no_out.stderr
    both = cli("build", "--root", example.root, "--merge", folder, "--shard", sid, "--out", tmp_path / "y")
    assert both.returncode == 1 and "--shard、--merge 不能同时使用" in both.stderr
