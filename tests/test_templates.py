"""A broken template anywhere (record page, prose page, static page, theme) fails the build with exit 1,
names the template's file and line, and leaves the previous site as it was."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.model.catalog import bundled
from tests.fixtures_site import make_site


def _fingerprint(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A site built once; each case copies it, breaks one template and builds again."""
    root = make_site(tmp_path_factory.mktemp("tpl"))
    result = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == 0, result.output
    return root


BROKEN = "第一行\n{% if %}\n"


@pytest.mark.parametrize("rel, line", [
    ("templates/record.md.j2", 2),          # one page per record, filled after MkDocs
    ("templates/pages/about.md", 2),        # a prose page (used to be skipped silently)
    ("templates/log.md.j2", 2),             # a static page
    ("templates/theme/main.html", 2),       # the MkDocs theme override
])
def test_template_syntax_error_fails_build_naming_file_and_line(built, tmp_path, rel, line):
    root = tmp_path / "site-root"
    shutil.copytree(built, root)
    before = _fingerprint(root / "site")
    target = root / rel
    if rel.startswith("templates/theme/"):
        shutil.copytree(bundled("templates") / "theme", root / "templates" / "theme")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(BROKEN, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == 1, result.output
    assert f"{rel}:{line}" in result.output
    assert "模板出错" in result.output
    assert "Traceback" not in result.output
    assert _fingerprint(root / "site") == before


def test_undefined_name_in_an_included_template_names_the_included_file(built, tmp_path):
    root = tmp_path / "site-root"
    shutil.copytree(built, root)
    before = _fingerprint(root / "site")
    (root / "templates").mkdir()
    source = (bundled("templates") / "home.md.j2").read_text(encoding="utf-8")
    (root / "templates" / "home.md.j2").write_text("{% include '_part.j2' %}\n" + source, encoding="utf-8")
    (root / "templates" / "_part.j2").write_text("a\nb\n{{ no_such_name.x }}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == 1, result.output
    assert "templates/_part.j2:3" in result.output
    assert _fingerprint(root / "site") == before



def test_build_error_keeps_its_problems_across_processes():
    """Record pages render in worker processes: a template error raised there must arrive whole."""
    import pickle

    from generator.problems import BuildError

    exc = BuildError.one("template_error", "templates/record.md.j2", 7, page="records/x/", detail="bad")
    back = pickle.loads(pickle.dumps(exc))
    assert [p.where for p in back.problems] == ["templates/record.md.j2:7"]
    assert back.problems[0].params["detail"] == "bad"
