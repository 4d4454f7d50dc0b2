"""Editors' commands: `disclose import` (Excel forms → records), `disclose new` (a commented record
skeleton), `disclose schema` (JSON Schemas and the VS Code mapping), `disclose guide` (the message
table in the editor's guide). Option values are checked here, so a mistake gets a Chinese message.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from generator.cli.base import main, print_problems, root_option, site_root
from generator.model.catalog import Catalog, Kind, load_catalog
from generator.model.departments import read_departments
from generator.problems import BuildError, Problems
from generator.util.paths import shown


def _finish(problems: Problems) -> None:
    """Print the problems and stop: exit 1 when any is an error."""
    print_problems(problems.sorted())
    sys.exit(1 if problems.errors else 0)


def _year(value: str | None, kind: Kind, problems: Problems) -> int | None:
    if value is None:
        return None
    spec = kind.by_name["year"]
    c = spec.get("constraints", {})
    if not value.strip().isdigit():
        problems.add("type_integer", "", None, "--year", spec["title"], value=value)
        return None
    year = int(value)
    for bound, bad in (("minimum", year < c.get("minimum", year)), ("maximum", year > c.get("maximum", year))):
        if bad:
            problems.add(bound, "", None, "--year", spec["title"], value=year, limit=c[bound])
            return None
    return year


def _kind(name: str | None, catalog: Catalog, allowed: list[str], problems: Problems) -> Kind | None:
    if name is None:
        return None
    if name not in allowed:
        problems.add("unknown_kind", value=name,
                     allowed=[f"{k}（{catalog.kinds[k].title}）" for k in allowed])
        return None
    return catalog.kinds[name]


def _departments(root: Path) -> list[str] | None:
    entries = read_departments(root)
    return None if entries is None else [str(d.get("code")) for d in entries]


# ---- disclose import ----------------------------------------------------------------------------------

@main.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--kind", help="表格类别：goal、monitoring 或 evaluation；默认按表格标题识别。")
@click.option("--dept", help="部门代码；默认按表上的“主管部门”与 content/departments.yml 对照。")
@click.option("--year", help="年度；默认从表格标题读取。")
@click.option("--out", "--root", "out", type=click.Path(file_okay=False),
              help="站点目录（记录写到其 content/ 下），默认为当前目录。")
@click.option("--force", is_flag=True, help="同名记录文件已存在时覆盖。")
@click.option("--keep-invalid", is_flag=True,
              help="导入的记录未通过校验时仍保留，并在旁边写下问题清单（.problems.txt）。")
def import_cmd(file: Path, kind: str | None, dept: str | None, year: str | None, out: str | None,
               force: bool, keep_invalid: bool = False) -> None:
    """从 Excel 表（.xlsx）导入记录：每个工作表一条，并列出未能导入的单元格。"""
    from generator.editor.importer import Options, import_workbook
    from generator.editor.xlsx_layouts import IMPORTABLE

    root = site_root(out)
    catalog = load_catalog(root)
    problems = Problems()
    chosen = _kind(kind, catalog, list(IMPORTABLE), problems)
    number = _year(year, next(iter(catalog.kinds.values())), problems)
    if not file.is_file():
        problems.add("file_unreadable", str(file), detail="文件不存在")
    if problems:
        _finish(problems)
    result = import_workbook(file, root, Options(chosen.name if chosen else None, dept, number, force),
                             display=str(file), catalog=catalog)
    print_problems(result.problems)
    for item in result.written:
        rel = shown(item.path, root)
        rows = f"，{item.rows} 行指标" if item.rows else ""
        click.echo(f"已导入：工作表“{item.sheet}”（{item.form}）→ {rel}{rows}")
    failed = bool(result.problems.errors)
    if result.written:
        failed = _validate_written(root, result.written, keep_invalid) or failed
        click.echo("下一步：与原表逐项核对，做保密审查（见《编辑指南》），补填批复日期或事项结束日期，再提交。")
    sys.exit(1 if failed or not result.written else 0)


def _validate_written(root: Path, written: list, keep_invalid: bool = False) -> bool:
    """Validate what was just written, when `root` is a site; True when there are errors. A record with
    errors is taken back (the file it replaced restored) unless `keep_invalid`: then its problems are
    written beside it, as `<id>.yml.problems.txt`."""
    from generator.build import read_site

    paths = [i.path for i in written]
    if not (root / "site_config.yml").is_file() or not (root / "content" / "departments.yml").is_file():
        return False
    try:
        checked = read_site(root, only=paths)
    except BuildError as exc:
        print_problems(exc.problems)
        return True
    problems = Problems(p for p in checked.problems.sorted()
                        if any(p.file == path.relative_to(root).as_posix() for path in paths))
    print_problems(problems)
    errors = problems.errors
    outcome = Problems()
    for item in written:
        rel = item.path.relative_to(root).as_posix()
        mine = [p for p in errors if p.file == rel]
        if not mine:
            continue
        if keep_invalid:
            beside = item.path.with_name(item.path.name + ".problems.txt")
            beside.write_text("\n".join(p.render() for p in mine) + "\n", encoding="utf-8")
            outcome.add("import_kept_invalid", rel, problems=beside.relative_to(root).as_posix(), count=len(mine))
        else:
            if item.previous is None:
                item.path.unlink()
            else:
                item.path.write_bytes(item.previous)
            outcome.add("import_not_written", rel, count=len(mine))
    print_problems(outcome)
    if errors:
        click.echo(f"导入的记录有 {len(errors)} 个错误需要改正（见上），改正后运行 disclose validate 复查。", err=True)
    else:
        click.echo(f"导入的 {len(paths)} 条记录已通过校验。")
    return bool(errors)


# ---- disclose new -------------------------------------------------------------------------------------

@main.command()
@click.argument("kind_name", metavar="KIND")
@click.option("--dept", help="部门代码（content/departments.yml 中登记的），必填。")
@click.option("--year", help="年度，必填。")
@click.option("--id", "record_id", help="记录编号；默认为“部门-年度-类别-序号”中第一个未用的。")
@root_option()
@click.option("--force", is_flag=True, help="文件已存在时覆盖。")
@click.option("--print", "to_stdout", is_flag=True, help="只显示在屏幕上，不写文件。")
def new(kind_name: str, dept: str | None, year: str | None, record_id: str | None, root: Path, force: bool,
        to_stdout: bool) -> None:
    """生成一条带中文注释的空白记录（类别如 goal、evaluation、notice）。"""
    import re

    from generator.editor.skeleton import next_id, skeleton

    base = root
    catalog = load_catalog(base)
    problems = Problems()
    kind = _kind(kind_name, catalog, list(catalog.kinds), problems)
    if kind is None:
        _finish(problems)
        return
    number = _year(year, kind, problems)
    for option, value, name in (("--dept", dept, "dept"), ("--year", year, "year")):
        if not value:
            problems.add("required", "", None, option, kind.title_of(name))
    known = _departments(base)
    if dept and known is not None and dept not in known:
        problems.add("unknown_dept", "content/departments.yml", None, "--dept", kind.title_of("dept"), value=dept,
                     known=known)
    pattern = kind.by_name["id"].get("constraints", {}).get("pattern")
    if record_id and pattern and not re.match(pattern, record_id):
        problems.add("pattern_id", "", None, "--id", kind.title_of("id"), value=record_id)
    if problems.errors or number is None or not dept:
        _finish(problems)
        return
    record_id = record_id or next_id(base, dept, number, kind)
    path = base / "content" / dept / str(number) / kind.folder / f"{record_id}.yml"
    rel = path.relative_to(base).as_posix()
    text = skeleton(catalog, kind, dept, number, record_id, rel)
    if to_stdout:
        click.echo(text, nl=False)
        return
    if path.exists() and not force:
        problems.add("editor_file_exists", rel)
        _finish(problems)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    click.echo(f"已生成：{rel}。请填写注释中标为“必填”的字段，然后运行 disclose validate {rel}")


# ---- disclose schema / disclose guide ----------------------------------------------------------------

@main.command()
@click.option("--out", type=click.Path(file_okay=False), help="输出目录，默认为站点目录下的 schemas/json。")
@root_option()
@click.option("--check", is_flag=True, help="只检查已提交的文件是否为最新，不写文件；过期时退出码为 1。")
def schema(out: str | None, root: Path, check: bool) -> None:
    """由 schemas/ 生成各类记录的 JSON Schema 和 .vscode/settings.json，供编辑器补全和提示。"""
    from generator.editor.jsonschema import OUT_DIR, generated, vscode_settings

    base = root
    catalog = load_catalog(base)
    out_dir = Path(out).resolve() if out else base / OUT_DIR
    files = {out_dir / name: text for name, text in generated(catalog).items()}
    settings_path = base / ".vscode" / "settings.json"
    rel_dir = Path(out_dir.relative_to(base)) if out_dir.is_relative_to(base) else OUT_DIR
    existing = _read_json(settings_path)
    settings = vscode_settings(existing, catalog, rel_dir)
    files[settings_path] = json.dumps(settings, ensure_ascii=False, indent=2) + "\n"
    problems = Problems()
    for path, text in files.items():
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if check:
            # Other settings an editor added to settings.json are theirs; only the mapping must be current.
            mapping_same = existing.get("yaml.schemas") == settings["yaml.schemas"]
            same = current == text or (path == settings_path and mapping_same)
            if not same:
                problems.add("schema_stale", shown(path, base))
            continue
        if current != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if check:
        _finish(problems)
        click.echo("JSON Schema 与 schemas/ 一致。")
        return
    click.echo(f"已生成 {len(files) - 1} 个 JSON Schema（{shown(out_dir, base)}/）和 {shown(settings_path, base)}。")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@main.command()
@root_option("项目目录（含 templates/pages/），默认为当前目录。")
@click.option("--check", is_flag=True, help="只检查，不写文件；过期时退出码为 1。")
def guide(root: Path, check: bool) -> None:
    """更新《编辑指南》中的校验提示一览表（由提示信息目录自动生成）。"""
    from generator.editor.guide import GUIDE, SECTION, refresh

    base = root
    path = base / GUIDE
    problems = Problems()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        problems.add("file_unreadable", shown(path, base), detail="找不到编辑指南")
        _finish(problems)
        return
    fresh = refresh(text)
    if fresh is None or (check and fresh != text):
        problems.add("guide_stale", shown(path, base), section=SECTION)
        _finish(problems)
        return
    if fresh != text:
        path.write_text(fresh, encoding="utf-8")
    click.echo(f"{shown(path, base)} 中的“{SECTION}”已是最新。")
