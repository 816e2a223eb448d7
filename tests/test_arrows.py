"""The module map (ARCHITECTURE.md, "Module map"): data flows one way, and each module of
src/cnextract imports only the modules named in its row. The imports are read from the source with
ast, lazy ones inside functions included, so a circle hidden in a function body fails here too."""

import ast

import pytest

from conftest import ROOT

PACKAGE = ROOT / "src" / "cnextract"

#: module -> the project modules it may import, in the order of the map: a row names only modules
#: above it, so the arrows cannot make a circle. ``workers`` is not in ARCHITECTURE.md's table: it
#: holds what both the pipeline (a Path, ``Pipeline.map``) and the batch runner need (one input read
#: and extracted, the worker pool), so that batch imports the pipeline and never the reverse.
MAP = {
    "records": set(),
    "rules": {"records"},
    "normalise": {"rules", "records"},
    "page": {"normalise", "rules", "records"},
    "segment": {"rules"},
    "numbers": {"rules"},
    "mentions": {"segment", "rules", "records"},
    "figures": {"numbers", "segment", "page", "rules", "records"},
    "speakers": {"mentions", "segment", "page", "rules", "records"},
    "workers": {"normalise", "records"},
    "pipeline": {"records", "rules", "normalise", "page", "segment", "numbers", "mentions", "figures",
                 "speakers", "workers"},
    "evaluate": {"records"},
    "batch": {"workers", "pipeline", "records"},
    "tables": {"records"},
    "show": {"records", "evaluate"},
    "exchange": {"records"},
    "spark": {"pipeline", "records", "tables"},
    "cli": {"records", "rules", "normalise", "page", "segment", "numbers", "mentions", "figures", "speakers",
            "workers", "pipeline", "evaluate", "batch", "tables", "show", "exchange", "spark"},
    "__init__": {"pipeline", "records"},
    "__main__": {"cli"},
}

#: Imports that go against the map today, each with the reason it is left. Removing one that is
#: gone is required (the test fails on a stale entry), so the list only shrinks.
KNOWN = {
    ("figures", "normalise"): "fold() of a rank numeral (第二) and find_figures' convenience fold; the "
                              "folded view should come from the caller (the figure-table rewrite, issue 13 part 6)",
    ("tables", "page"): "a flat row carries its sentence, cut by the project's one sentence splitter",
    ("evaluate", "page"): "a miss is shown in its sentence, cut by the project's one sentence splitter",
    ("tables", "rules"): "the title lexicon of speaker_key (a speaker's name without its titles)",
    ("tables", "batch"): "Encoder, run in each worker, writes batch's output line (to_line); it belongs "
                         "with the batch output, a move across tables, batch and cli",
    ("exchange", "pipeline"): "an imported region without attributes is read by extract() to fill them",
    ("exchange", "tables"): "speaker_key, shared with the flat speaker rows",
    ("__init__", "tables"): "to_frame is on the public surface (README, pandas)",
    ("cli", "__init__"): "__version__ for --version (the package is imported before any of its modules)",
}


def _modules() -> dict[str, ast.Module]:
    return {p.stem: ast.parse(p.read_text(encoding="utf-8"), filename=p.name) for p in sorted(PACKAGE.glob("*.py"))}


def _type_checking_only(tree: ast.Module) -> set[int]:
    """ids of import nodes under ``if TYPE_CHECKING:``: names for annotations, never run."""
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return skip


def project_imports(module: str, tree: ast.Module) -> dict[str, int]:
    """The project modules ``module`` imports (anywhere in the file), each with its first line."""
    names = set(MAP)
    skip = _type_checking_only(tree)
    found: dict[str, int] = {}

    def add(target: str, line: int) -> None:
        if target != module:
            found.setdefault(target, line)

    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "cnextract":
                    add(parts[1] if len(parts) > 1 else "__init__", node.lineno)
        elif isinstance(node, ast.ImportFrom):
            parts = (node.module or "").split(".") if node.module else []
            if node.level == 0 and (not parts or parts[0] != "cnextract"):
                continue  # another package
            if node.level > 1:
                pytest.fail(f"{module}: an import from above the package (line {node.lineno})")
            inner = parts[1:] if node.level == 0 else parts
            if inner:
                add(inner[0], node.lineno)
            else:  # from . import x / from cnextract import x: a module, or a name of __init__
                for alias in node.names:
                    add(alias.name if alias.name in names else "__init__", node.lineno)
    return found


def test_every_module_has_a_row_and_the_rows_point_up():
    assert set(_modules()) == set(MAP), "a module was added or removed: give it its row in MAP"
    order = list(MAP)
    for module, allowed in MAP.items():
        assert allowed <= set(order[:order.index(module)]), (module, allowed - set(order[:order.index(module)]))


def test_every_import_follows_the_module_map():
    wrong, used = [], set()
    for module, tree in _modules().items():
        for target, line in sorted(project_imports(module, tree).items()):
            if target not in MAP:
                wrong.append(f"{module}.py:{line} imports {target}, which is not a module of the package")
            elif target not in MAP[module]:
                if (module, target) in KNOWN:
                    used.add((module, target))
                else:
                    wrong.append(f"{module}.py:{line} imports {target}, against the module map")
    assert not wrong, "\n".join(wrong)
    assert set(KNOWN) == used, f"known exceptions no longer needed: {sorted(set(KNOWN) - used)}"


@pytest.mark.parametrize("source, expected", [
    ("from .pipeline import Pipeline", {"pipeline"}),
    ("def f():\n    from . import batch\n", {"batch"}),  # lazy: still an arrow
    ("from cnextract.cli import main", {"cli"}),
    ("import cnextract.spark as cs", {"spark"}),
    ("from . import __version__, tables", {"__init__", "tables"}),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .pipeline import Options\n", set()),
    ("import json\nfrom pydantic import BaseModel", set()),
])
def test_the_reader_sees_every_form_of_import(source, expected):
    assert set(project_imports("x", ast.parse(source))) == expected


def test_the_four_circles_of_issue_13_are_gone():
    mods = _modules()
    assert "pipeline" not in project_imports("evaluate", mods["evaluate"])  # the scorer never runs the pipeline
    assert "batch" not in project_imports("pipeline", mods["pipeline"])  # Pipeline.map, a Path
    assert "cli" not in project_imports("spark", mods["spark"])
    cli = project_imports("cli", mods["cli"])  # explain goes through the pipeline
    assert "figures" not in cli and "normalise" not in cli
