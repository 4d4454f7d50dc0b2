"""`disclose import`: an Excel workbook of the official forms → one YAML record per sheet, in the
content layout, with every cell that could not be placed reported by sheet and cell.

A sheet is read in three parts: the title (which form, which year, which unit), the indicator table
(`xlsx_table`), and everything else as labels next to — or above — their values.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.editor.xlsx_layouts import IMPORTABLE, Cell, Form, Grid, detect_form, form_for_kind
from generator.editor.xlsx_sheet import Options, SheetReader
from generator.editor.yaml_write import dump
from generator.model.catalog import Catalog, Kind, load_catalog
from generator.model.departments import read_departments
from generator.problems import Problems
from generator.util.paths import shown

NOT_XLSX = "不是有效的 .xlsx 文件（可能已损坏、加了密码，或其实是改了扩展名的 .xls）"


@dataclass
class Imported:
    sheet: str
    form: str
    path: Path
    rows: int
    previous: bytes | None = None  # the file this import replaced (--force), restored if the record is invalid


@dataclass
class ImportResult:
    written: list[Imported] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)


def import_workbook(path: Path, root: Path, options: Options, display: str | None = None,
                    catalog: Catalog | None = None) -> ImportResult:
    from openpyxl import load_workbook

    catalog = catalog or load_catalog(root)
    result = ImportResult()
    file = display or str(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        result.problems.add("import_not_xlsx", file, ext=path.suffix or "无扩展名")
        return result
    try:
        workbook = load_workbook(path, data_only=True)
    except zipfile.BadZipFile:
        result.problems.add("import_unreadable", file, detail=NOT_XLSX)
        return result
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a malformed file
        detail = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        result.problems.add("import_unreadable", file, detail=detail)
        return result
    forms = "、".join(f"“{n}”" for n in dict.fromkeys(catalog.kinds[k].form for k in IMPORTABLE))
    taken: set[Path] = set()
    found = 0
    for number, ws in enumerate(workbook.worksheets, start=1):
        if not hasattr(ws, "iter_rows"):  # a chart sheet holds no cells
            continue
        grid = Grid.read(ws)
        form, title = _find_form(grid, catalog)
        if form is None and options.kind:
            form = form_for_kind(options.kind)
        if form is None:
            if grid.filled():
                result.problems.add("import_sheet_skipped", file, sheet=ws.title, forms=forms)
            continue
        if options.kind and form.kind != options.kind:
            result.problems.add("import_sheet_other_kind", file, sheet=ws.title, found=catalog.kinds[form.kind].form,
                                expected=catalog.kinds[options.kind].form)
            continue
        found += 1
        reader = SheetReader(grid, form, catalog, result.problems, file, title, number)
        record = reader.read(options, _departments(root))
        if record is None:
            continue
        target = _target(root, catalog.kinds[form.kind], record, taken, options.force, result.problems)
        if target is None:
            continue
        taken.add(target)
        previous = target.read_bytes() if target.is_file() else None
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(record, catalog.kinds[form.kind], path.name, ws.title, catalog), encoding="utf-8")
        # The form as the record's page will caption it: 部门整体支出绩效目标表, …监控情况表（1–6月）.
        result.written.append(Imported(ws.title, catalog.kinds[form.kind].caption(record), target,
                                       len(record.get("indicators") or []), previous))
    if not found:
        result.problems.add("import_no_form", file, forms=forms)
    return result


def _find_form(grid: Grid, catalog: Catalog) -> tuple[Form | None, Cell | None]:
    for cell in grid.filled():
        if cell.row > 6:
            break
        form = detect_form(cell.text, catalog)
        if form is not None:
            return form, cell
    return None, None


def _departments(root: Path) -> list[dict[str, Any]]:
    return read_departments(root) or []


def _target(root: Path, kind: Kind, record: dict[str, Any], taken: set[Path], force: bool,
            problems: Problems) -> Path | None:
    folder = root / "content" / record["dept"] / str(record["year"]) / kind.folder
    base = record["id"]
    path, n = folder / f"{base}.yml", 1
    while path in taken:
        n += 1
        record["id"] = f"{base}-{n}"
        path = folder / f"{record['id']}.yml"
    if path.exists() and not force:
        problems.add("editor_file_exists", shown(path, root))
        return None
    return path


def render(record: dict[str, Any], kind: Kind, workbook: str, sheet: str, catalog: Catalog) -> str:
    head = [f"# 由 disclose import 从“{workbook}”的工作表“{sheet}”（{kind.caption(record)}）导入。",
            "# 请与原表逐项核对，并做保密审查：涉密内容按《编辑指南》标注 confidential 或 withheld_fields 后再提交。"]
    due = {"approved": "approved_on", "completed": "completed_on"}.get(kind.deadline)
    tail = []
    if due and not record.get(due):
        spec = kind.by_name[due]
        tail.append(f"# 尚需补填 {due}（{spec['title']}，YYYY-MM-DD）：{spec.get('description', '')}")
    return "\n".join(head) + "\n" + dump(record) + ("\n".join(tail) + "\n" if tail else "")
