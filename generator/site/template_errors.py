"""A Jinja error in any template (the project's or a site's own) as one located problem.

Templates are input like records: a syntax error or an undefined name stops the build with the
template's file and line, never a traceback and never a site missing a page.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, TemplateError, TemplateSyntaxError

from generator.problems import BuildError, Problems


def template_failure(exc: TemplateError, env: Environment | None, page: str, template: str = "") -> BuildError:
    filename, line = _where(exc)
    problems = Problems()
    problems.add("template_error", _display(filename, env) or f"templates/{getattr(exc, 'name', None) or template}",
                 line, page=page, detail=exc.message or str(exc))
    return BuildError(problems)


def _where(exc: TemplateError) -> tuple[str | None, int | None]:
    if isinstance(exc, TemplateSyntaxError):
        return exc.filename, exc.lineno
    # Jinja rewrites the traceback so that template frames carry the template's file and line;
    # the innermost one is where the error happened (inside an included template, say).
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if not name.endswith(".py") and not name.startswith("<"):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _display(filename: str | None, env: Environment | None) -> str:
    """`templates/…` relative to the folder holding the templates folder (the site root for a site's own)."""
    if not filename:
        return ""
    path = Path(filename).resolve()
    for folder in _search_paths(env):
        try:
            return path.relative_to(folder.parent).as_posix()
        except ValueError:
            continue
    return str(path)


def _search_paths(env: Environment | None) -> list[Path]:
    loader = getattr(env, "loader", None)
    loaders = getattr(loader, "loaders", None) or ([loader] if loader is not None else [])
    return [Path(p).resolve() for ld in loaders for p in getattr(ld, "searchpath", [])]
