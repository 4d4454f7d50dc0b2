"""Incremental builds: an unchanged shard is reused from `.disclose-cache/`, byte for byte what a
rebuild gives; one changed record rebuilds its own shard only; a record made confidential is gone
from every file, in its shard and in the shards that linked to it; and the leak guard scans reused
shards against the full current set of secrets."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.build import build, read_site
from generator.model.records import project_key
from generator.problems import BuildError
from generator.secrecy import guard
from generator.shards import manifest
from generator.shards.store import CACHE_DIR


def digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


@dataclass
class Cached:
    root: Path  # a synthetic site whose cache holds every shard
    ids: list[str]
    cold: Path
    cold_built: list[str]
    warm: Path
    warm_reused: list[str]
    warm_built: list[str]
    fresh: Path  # built without the cache


@pytest.fixture(scope="module")
def cached(tmp_path_factory) -> Cached:
    base = tmp_path_factory.mktemp("cache")
    root = base / "root"
    done = subprocess.run([sys.executable, "-m", "generator", "synth", "--records", "40", "--seed", "5", str(root)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    build(root, base / "fresh", cache=False)  # no cache at all: none is written either
    assert not (root / CACHE_DIR).exists()
    cold = build(root, base / "cold")  # as after deleting the cache: every shard built into it
    warm = build(root, base / "warm")
    assert cold.shards is not None and warm.shards is not None
    return Cached(root, sorted(cold.shards.folders), base / "cold", cold.shards.built, base / "warm",
                  warm.shards.reused, warm.shards.built, base / "fresh")


def _copy(cached: Cached, dest: Path) -> Path:
    shutil.copytree(cached.root, dest)
    return dest


def _rebuilt(root: Path, out: Path, monkeypatch) -> tuple[list[str], dict[str, str], frozenset[str]]:
    """The shards a cached build rebuilt, its files, and the files its leak guard did not read again
    (found clean by the same secrets before), after checking it equals a build without cache."""
    skipped: list[frozenset[str]] = []
    scan = guard.scan

    def watched(site, automaton, limit=20, skip=frozenset()):
        skipped.append(skip)
        return scan(site, automaton, limit, skip)

    monkeypatch.setattr(guard, "scan", watched)
    report = build(root, out / "cached")
    build(root, out / "fresh", cache=False)
    assert report.shards is not None
    files = digest(out / "cached")
    assert files == digest(out / "fresh")
    assert skipped[1] == frozenset()  # without the cache, every file
    return report.shards.built, files, skipped[0]


def test_reused_shards_are_byte_identical_to_rebuilt_ones(cached: Cached) -> None:
    assert len(cached.ids) > 5
    assert cached.cold_built == cached.ids
    assert cached.warm_built == [] and cached.warm_reused == cached.ids
    cold = digest(cached.cold)
    assert sum(name.startswith("records/") for name in cold) > 100
    assert digest(cached.warm) == cold == digest(cached.fresh)
    cache = cached.root / CACHE_DIR
    assert (cache / ".gitignore").read_text(encoding="utf-8") == "*\n"
    assert sorted(p.name for p in (cache / "shards").iterdir()) == cached.ids


def _record_file(root: Path, rid: str) -> Path:
    return next((root / "content").rglob(f"{rid}.yml"))


def test_one_changed_record_rebuilds_its_shard_only(cached: Cached, tmp_path: Path, monkeypatch) -> None:
    root = _copy(cached, tmp_path / "root")
    site = read_site(root)
    goal = next(r for r in site.records if r.kind == "goal" and not r.fields.get("confidential"))
    path = _record_file(root, goal.fields["id"])
    text = path.read_text(encoding="utf-8")
    assert "\noverall_goal: " in text
    path.write_text(text.replace("\noverall_goal: ", "\noverall_goal: 本年度新增修订目标。", 1), encoding="utf-8")
    built, files, skipped = _rebuilt(root, tmp_path, monkeypatch)
    sid = f"{goal.fields['dept']}-{goal.fields['year']}"
    assert built == [sid]
    # The guard reads the rebuilt shard and the cross-shard pages again, not the unchanged shards.
    others = {name for name in files if name.startswith("records/")
              and not any(name.startswith(f"records/{r.fields['id']}/") for r in site.records
                          if f"{r.fields['dept']}-{r.fields['year']}" == sid)}
    assert skipped == others
    page = tmp_path / "cached" / "records" / goal.fields["id"] / "index.html"
    assert "本年度新增修订目标。" in page.read_text(encoding="utf-8")
    changed = {name for name, sha in files.items() if digest(cached.cold).get(name) != sha}
    assert f"records/{goal.fields['id']}/index.html" in changed


def test_a_record_made_confidential_is_removed_everywhere(cached: Cached, tmp_path: Path, monkeypatch) -> None:
    """One edit, two records: a notice made confidential, and a goal retitled whose project has records
    in other shards (their pages link to it by title, so those shards are rebuilt too)."""
    root = _copy(cached, tmp_path / "root")
    site = read_site(root)
    public = [r for r in site.records if not r.fields.get("confidential")]
    shard = {r.fields["id"]: f"{r.fields['dept']}-{r.fields['year']}" for r in public}

    def linking(r) -> set[str]:
        key = project_key(r.fields)
        return {shard[o.fields["id"]] for o in public if o is not r and key and project_key(o.fields) == key}

    # In the synthetic corpus only a notice can be made confidential alone: every other record's
    # wording is quoted by another public record, which validation refuses (tests/test_leak_provenance.py).
    notice = next(r for r in public if r.kind == "notice")
    goal = next(r for r in public if r.kind == "goal" and linking(r) - {shard[r.fields["id"]]})
    rid, title = notice.fields["id"], notice.fields["title"]
    old_title = goal.fields["title"]
    cold = digest(cached.cold)
    assert any(rid.encode() in (cached.cold / name).read_bytes() for name in cold if not name.startswith("records/"))
    path = _record_file(root, rid)
    path.write_text(re.sub(r"^id: .*$", lambda m: m.group(0) + "\nconfidential: true\nconfidential_basis: 可能危及公共安全",
                           path.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
    path = _record_file(root, goal.fields["id"])
    text = path.read_text(encoding="utf-8")
    assert f"\ntitle: {old_title}\n" in text
    path.write_text(text.replace(f"\ntitle: {old_title}\n", "\ntitle: 改名后的绩效目标表\n"), encoding="utf-8")
    built, files, skipped = _rebuilt(root, tmp_path, monkeypatch)
    assert skipped == frozenset()  # a new secret: the guard reads every file again, reused shards too
    assert set(built) == {shard[rid], shard[goal.fields["id"]]} | linking(goal)
    assert len(built) < len(cached.ids)
    for name in files:
        data = (tmp_path / "cached" / name).read_bytes()
        assert rid.encode() not in data and title.encode() not in data, name
        assert old_title.encode() not in data, name


def test_the_guard_scans_reused_shards_against_the_current_secrets(cached: Cached, tmp_path: Path) -> None:
    root = _copy(cached, tmp_path / "root")
    secret = next(s for s in read_site(root, redact=True).redacted.secrets if "CANARY-" in s.text)
    # A cache entry that holds a secret yet agrees with its own manifest (no rebuild would notice).
    sid = cached.ids[0]
    folder = root / CACHE_DIR / "shards" / sid
    found = manifest.read(folder)
    assert found is not None
    page = sorted(folder.glob("records/*/index.html"))[0]
    page.write_bytes(page.read_bytes().replace(b"</body>", f"<p>{secret.text}</p></body>".encode()))
    manifest.write(folder, sid, found.key, found.pages)
    with pytest.raises(BuildError) as caught:
        build(root, tmp_path / "site")
    leaks = [p for p in caught.value.problems if p.code == "leak_found"]
    assert [p.params["output"] for p in leaks] == [page.relative_to(folder).as_posix()]
    assert not (tmp_path / "site").exists()


def test_the_cache_is_never_an_output(cached: Cached) -> None:
    for out in (cached.root / CACHE_DIR, cached.root / CACHE_DIR / "shards" / cached.ids[0]):
        with pytest.raises(BuildError) as caught:
            build(cached.root, out)
        assert [p.code for p in caught.value.problems] == ["out_refused"]
        assert "构建缓存目录" in caught.value.problems[0].message
    assert sorted(p.name for p in (cached.root / CACHE_DIR / "shards").iterdir()) == cached.ids
