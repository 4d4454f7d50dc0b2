"""The example site, copied out of the repository and built once per test session.

Tests that only read the built example share it (`example_build` in tests/conftest.py); a test that
changes files copies the site first. Building it once instead of once per module saves CI time.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The day the test site's log says everything was published, when the example has no log yet.
PUBLISHED = datetime(2026, 9, 1, 2, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class ExampleBuild:
    root: Path  # a copy of the example's sources: content/, site_config.yml, publication-log.jsonl
    site: Path  # the site built from it


def example_root(tmp: Path) -> Path:
    """A copy of the example site's sources, with a publication log (published once) if it has none."""
    root = tmp / "example"
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    shutil.copyfile(REPO / "site_config.yml", root / "site_config.yml")
    log = REPO / "publication-log.jsonl"
    if log.is_file():
        shutil.copyfile(log, root / log.name)
    else:
        from generator.log.publish import publish_log

        publish_log(root, commit=None, now=PUBLISHED)
    return root


def build_example(tmp: Path) -> ExampleBuild:
    from generator.build import build

    root = example_root(tmp)
    build(root, root / "site")
    return ExampleBuild(root, root / "site")
