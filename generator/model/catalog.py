"""The record kinds and their fields, read from `schemas/` (the site's own, else the project's).

Nothing else in the code names a record field's type, title or constraints: it asks this module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from generator.model import equations

PACKAGE_DIR = Path(__file__).resolve().parents[1]


def bundled(name: str) -> Path:
    """The project's own `schemas/` or `templates/`: inside the wheel, or beside the package."""
    inside = PACKAGE_DIR / "_data" / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


def schemas_dir(root: Path | None) -> Path:
    if root is not None and (root / "schemas" / "kinds.yml").is_file():
        return root / "schemas"
    return bundled("schemas")


# Identity fields: never withheld one by one (withhold the record instead), always on every page.
IDENTITY_FIELDS = ("id", "title", "dept", "year")


@dataclass
class Kind:
    name: str
    title: str
    folder: str
    basis: str
    form: str
    schema_file: str
    fields: list[dict[str, Any]]
    has_indicators: bool
    indicator_fields: list[str]
    deadline: str
    sums: list[dict[str, Any]] = field(default_factory=list)
    ratios: list[dict[str, Any]] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    required_when: list[dict[str, Any]] = field(default_factory=list)
    row_required_when: list[dict[str, Any]] = field(default_factory=list)
    grade_field: str | None = None
    score_field: str | None = None
    # kinds.yml `equations:` (general form, see model/equations.py); `sums`, `ratios` and the grade are shorthands.
    declared_equations: list[equations.Equation] = field(default_factory=list)

    @cached_property
    def equations(self) -> list[equations.Equation]:
        """Every equation of the kind: what validation checks and redaction keeps unsolvable."""
        return equations.of_kind(self.sums, self.ratios, self.grade_field, self.score_field, self.declared_equations)

    @cached_property
    def by_name(self) -> dict[str, dict[str, Any]]:
        return {f["name"]: f for f in self.fields}

    def title_of(self, name: str) -> str:
        return self.by_name.get(name, {}).get("title", name)

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    @property
    def never_public(self) -> list[str]:
        return [f["name"] for f in self.fields if f.get("x-never-public")]

    def table_schema(self) -> dict[str, Any]:
        """The Frictionless Table Schema of this kind's record table (common fields first)."""
        return {"fields": self.fields, "primaryKey": ["id"],
                "foreignKeys": [{"fields": ["dept"], "reference": {"resource": "departments", "fields": ["code"]}}]}


@dataclass
class Catalog:
    directory: Path
    kinds: dict[str, Kind]
    indicator_schema: dict[str, Any]
    department_schema: dict[str, Any]
    list_fields: list[str]
    grades: list[dict[str, Any]]
    # The rows of a record's `attachments` (kinds.yml `attachments`); no fields: attachments not accepted.
    attachment_schema: dict[str, Any] = field(default_factory=lambda: {"fields": []})
    # Fields whose public values name public bodies or units: public whatever a secret contains.
    public_names: list[str] = field(default_factory=list)

    @cached_property
    def by_folder(self) -> dict[str, Kind]:
        return {k.folder: k for k in self.kinds.values()}

    @cached_property
    def indicator_by_name(self) -> dict[str, dict[str, Any]]:
        return {f["name"]: f for f in self.indicator_schema["fields"]}

    @property
    def base_indicator_fields(self) -> list[str]:
        """Columns every indicator table has; kinds add their own (`indicator_fields`)."""
        optional = {n for k in self.kinds.values() for n in k.indicator_fields}
        return [f["name"] for f in self.indicator_schema["fields"] if f["name"] not in optional]

    def indicator_fields_for(self, kind: Kind) -> list[str]:
        return self.base_indicator_fields + kind.indicator_fields

    def grade_for(self, score: float) -> str:
        for band in self.grades:
            if score >= band["min"]:
                return band["grade"]
        return self.grades[-1]["grade"]


def _read_json(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def load_catalog(root: Path | None = None) -> Catalog:
    directory = schemas_dir(root)
    with (directory / "kinds.yml").open(encoding="utf-8") as fh:
        spec = yaml.safe_load(fh)
    common = _read_json(directory / "common.schema.json")["fields"]
    kinds: dict[str, Kind] = {}
    for name, k in spec["kinds"].items():
        own = _read_json(directory / k["schema"])["fields"]
        kinds[name] = Kind(
            name=name, title=k["title"], folder=k["folder"], basis=k["basis"], form=k["form"],
            schema_file=k["schema"], fields=common + own, has_indicators=bool(k.get("indicators")),
            indicator_fields=list(k.get("indicator_fields") or []), deadline=k.get("deadline", "none"),
            sums=k.get("sums") or [], ratios=k.get("ratios") or [], sections=k.get("sections") or [],
            required_when=k.get("required_when") or [], row_required_when=k.get("row_required_when") or [],
            grade_field=k.get("grade_field"), score_field=k.get("score_field"),
            declared_equations=[equations.parse(e) for e in k.get("equations") or []],
        )
    return Catalog(
        directory=directory, kinds=kinds,
        indicator_schema=_read_json(directory / "indicators.schema.json"),
        department_schema=_read_json(directory / "departments.schema.json"),
        list_fields=list(spec.get("list_fields") or []), grades=spec["grades"],
        attachment_schema=_read_json(directory / spec["attachments"]) if spec.get("attachments") else {"fields": []},
        public_names=list(spec.get("public_names") or []),
    )
