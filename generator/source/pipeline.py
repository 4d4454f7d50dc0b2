"""The front half of every command: config → load → validate, gathered before anything is written."""

from __future__ import annotations

from pathlib import Path

from generator.model.catalog import Catalog, load_catalog
from generator.model.config import SiteConfig, load_config
from generator.problems import BuildError, Problems
from generator.source.load import load_content
from generator.source.validate import Validated, validate


def check_site(root: Path, only: list[Path] | None = None, config: SiteConfig | None = None) -> Validated:
    """Load and validate the site at `root`; raise BuildError only when nothing can be read at all."""
    if not (root / "content").is_dir():
        problems = Problems()
        problems.add("no_content", str(root))
        raise BuildError(problems)
    config = config or load_config(root)
    catalog = load_catalog(root)
    loaded = load_content(root, catalog, max_file_mb=config.limits.max_file_mb, only=only,
                          attachments=config.attachments)
    result = validate(loaded, catalog, config.guard.min_length)
    if only is None:
        # The register of expected disclosures is content too: its problems are reported with the rest.
        from generator.source.register import load_register

        try:
            load_register(root, catalog, result.departments, config.limits.max_file_mb)
        except BuildError as exc:
            result.problems.extend(exc.problems)
    return result


def catalog_for(root: Path) -> Catalog:
    return load_catalog(root)
