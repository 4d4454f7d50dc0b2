"""The record kinds and their fields, read from `schemas/` (the site's own, else the project's).

Nothing else in the code names a record field's type, title or constraints: it asks this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypedDict

from generator.model import equations, funding_equations, units
from generator.problems import BuildError

PACKAGE_DIR = Path(__file__).resolve().parents[1]


def bundled(name: str) -> Path:
    """The project's own `schemas/` or `templates/`: inside the wheel, or beside the package."""
    inside = PACKAGE_DIR / "_data" / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


def schemas_dir(root: Path | None) -> Path:
    if root is not None and (root / "schemas" / "kinds.yml").is_file():
        return root / "schemas"
    return bundled("schemas")


# One field of a Frictionless Table Schema as schemas/ writes it (x- keys are this project's own).
FieldSpec = TypedDict("FieldSpec", {
    "name": str, "type": str, "title": str, "description": str, "format": str,
    "constraints": dict[str, Any],  # required, enum, pattern, minimum, maximum, maxLength…
    "x-unit-field": bool,           # an amount in the record's funds_unit (元 or 万元)
    "x-never-public": bool,         # personal data: never on a page, whatever the record says
    "x-default": Any,
}, total=False)

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
    fields: list[FieldSpec]
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
    # Words citizens use for this category (绩效自评, 监控报告 …): indexed on its pages.
    search_terms: list[str] = field(default_factory=list)
    # kinds.yml `captions`: {field, values: {value: caption}}; `period`: {from, to} month fields.
    captions: dict[str, Any] = field(default_factory=dict)
    period: dict[str, str] = field(default_factory=dict)
    # kinds.yml `indicators_required`: a form of this kind without indicator rows is an error.
    indicators_required: bool = False
    # kinds.yml `funding_total`: amount field → funding column key of the table's total row.
    funding_total: dict[str, str] = field(default_factory=dict)

    def caption(self, values: dict[str, Any]) -> str:
        """The form's own caption for this record: its family (项目/部门整体) and its period (1–6月)."""
        caption = self.form
        if self.captions:
            caption = self.captions["values"].get(values.get(self.captions["field"]) or "", caption)
        label = self.period_text(values)
        return f"{caption}（{label}）" if label else caption

    def period_text(self, values: dict[str, Any]) -> str:
        """`1–6月` for a monitoring record to June, `7–9月` for the third quarter; '' without a period."""
        if not self.period or values.get(self.period["to"]) is None:
            return ""
        return f"{values.get(self.period['from']) or 1}–{values[self.period['to']]}月"

    @property
    def structures(self) -> dict[str, dict[str, Any]]:
        """Fields written as YAML lists of lists or mappings (x-structure): funding tables, pairs, rows."""
        return {f["name"]: f for f in self.fields if f.get("x-structure")}

    @cached_property
    def equations(self) -> list[equations.Equation]:
        """Every equation of the kind: what validation checks and redaction keeps unsolvable."""
        return equations.of_kind(self.sums, self.ratios, self.grade_field, self.score_field, self.declared_equations)

    @cached_property
    def by_name(self) -> dict[str, FieldSpec]:
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
    indicator_levels: dict[str, list[str]] = field(default_factory=dict)
    funding: dict[str, Any] = field(default_factory=dict)
    # Fields whose public values name public bodies or units: public whatever a secret contains.
    public_names: list[str] = field(default_factory=list)

    @cached_property
    def by_folder(self) -> dict[str, Kind]:
        return {k.folder: k for k in self.kinds.values()}

    @cached_property
    def amount_fields(self) -> dict[str, frozenset[str]]:
        """Per kind, the fields holding an amount in the record's funds_unit (converted in bulk files)."""
        return {name: frozenset(units.amount_fields(k.fields)) for name, k in self.kinds.items()}

    @cached_property
    def indicator_by_name(self) -> dict[str, FieldSpec]:
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


def load_catalog(root: Path | None = None) -> Catalog:
    """Read and check kinds.yml and the Table Schemas it names; BuildError naming every mistake."""
    from generator.model.kinds_file import KindsFile

    directory = schemas_dir(root)
    own = root is not None and directory == root / "schemas"
    file = KindsFile(directory, "schemas" if own or root is None else str(directory))
    spec = file.read()
    common = (file.schema("common.schema.json", ()) or {"fields": []})["fields"]
    indicators = file.schema("indicators.schema.json", ()) or {"fields": []}
    departments = file.schema("departments.schema.json", ()) or {"fields": []}
    attachments = file.schema(spec["attachments"], ("attachments",)) if "attachments" in spec else None
    indicator_names = [f["name"] for f in indicators["fields"]]
    entries = {name: file.kind(name, entry, common, indicator_names)
               for name, entry in (spec.get("kinds") or {}).items()}
    checked = {name: e for name, e in entries.items() if e is not None}
    for key in ("folder", "title"):
        file.unique(checked, key)
    all_fields = {f["name"] for e in checked.values() for f in e["_fields"]}
    for i, name in enumerate(spec.get("list_fields") or []):
        if name not in all_fields:
            file.add("kinds_unknown_field", ("list_fields", i), value=name, hint="", allowed=sorted(all_fields))
    grades = file.grades(spec.get("grades") or [])
    declared = {name: _equations(file, name, k) for name, k in checked.items()}
    for i, raw in enumerate((spec.get("funding") or {}).get("equations") or []):
        try:
            funding_equations.parse(raw)
        except ValueError as exc:
            file.add("kinds_type", ("funding", "equations", i), expected=str(exc), value=raw)
    if file.problems:
        raise BuildError(file.problems)
    kinds = {name: Kind(
        name=name, title=k["title"], folder=k["folder"], basis=k["basis"], form=k["form"],
        schema_file=k["schema"], fields=k["_fields"], has_indicators=bool(k.get("indicators")),
        indicator_fields=list(k.get("indicator_fields") or []), deadline=k.get("deadline", "none"),
        sums=k.get("sums") or [], ratios=k.get("ratios") or [], sections=k.get("sections") or [],
        required_when=k.get("required_when") or [], row_required_when=k.get("row_required_when") or [],
        grade_field=k.get("grade_field"), score_field=k.get("score_field"),
        search_terms=[str(t) for t in k.get("search_terms") or []],
        captions=k.get("captions") or {}, period=k.get("period") or {},
        indicators_required=bool(k.get("indicators_required")), funding_total=k.get("funding_total") or {},
        declared_equations=declared[name],
    ) for name, k in checked.items()}
    return Catalog(
        directory=directory, kinds=kinds, indicator_schema=indicators, department_schema=departments,
        list_fields=list(spec.get("list_fields") or []), grades=grades,
        attachment_schema=attachments or {"fields": []},
        indicator_levels=spec.get("indicator_levels") or {}, funding=spec.get("funding") or {},
        public_names=list(spec.get("public_names") or []),
    )


def _equations(file: Any, name: str, entry: dict[str, Any]) -> list[equations.Equation]:
    """A kind's `equations:` entries; a malformed one is a located kinds.yml problem."""
    out = []
    for i, raw in enumerate(entry.get("equations") or []):
        try:
            out.append(equations.parse(raw))
        except ValueError as exc:
            file.add("kinds_type", ("kinds", name, "equations", i), expected=str(exc), value=raw)
    return out
