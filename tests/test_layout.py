"""The package's layout rules, checked: no import cycles (imports inside
functions count), no module over 400 lines, no function or class named like
its own module, and a command line that only parses, calls and prints."""

from __future__ import annotations

import ast
from pathlib import Path

import relane

PACKAGE = Path(relane.__file__).parent
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The relane modules ``name`` imports, at any depth of its code (but
    not under ``if TYPE_CHECKING:``, which never runs)."""
    tree = ast.parse(path.read_text())
    skip = _type_checking_only(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "import_module":
            continue  # relane/__init__'s lazy attribute table: names, not dependencies
        else:
            continue
        for target in targets:
            # "from relane.x import y": y may be a module or a name in x
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name and target != "relane":
                out.add(target)
    return out


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Line numbers of the code under ``if TYPE_CHECKING:``."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for inner in ast.walk(node):
                if hasattr(inner, "lineno"):
                    lines.add(inner.lineno)
    return lines


def _graph() -> dict[str, set[str]]:
    return {name: _imports(name, path) for name, path in MODULES.items()}


def test_no_import_cycles():
    graph = _graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_no_module_over_400_lines():
    long = {name: n for name, path in MODULES.items() if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_no_function_named_like_its_module():
    clashes = []
    for name, path in MODULES.items():
        leaf = name.rpartition(".")[2]
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == leaf:
                clashes.append(f"{name}.{node.name}")
    assert clashes == []


def test_the_command_line_does_not_reach_into_the_engine_internals():
    # cli/ parses options, calls the library and prints: no YAML, no edits.
    for name, path in MODULES.items():
        if name.startswith("relane.cli"):
            deps = _imports(name, path)
            assert not {d for d in deps if d.startswith(("relane.edit", "relane.read.tree", "relane.verify"))}, name
