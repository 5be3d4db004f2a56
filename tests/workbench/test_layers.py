"""The layers of docs/ARCHITECTURE.md, checked over the source: kernel ← parts ← app, one way only.

Every ``import`` / ``from ... import`` statement of every module is read with `ast` (also the
ones inside functions and under ``TYPE_CHECKING``, which are still arrows a reader follows), and
each edge between two of our modules must point down: the kernel (``workbench`` outside
``workbench.app``) imports nothing of ours but itself, a part imports itself and the kernel, the
app imports anything. Parts never import each other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PARTS = ("provers.fol", "provers.itp", "typeinfer", "rulecheck", "causal")
#: Compatibility aliases of the app that sit outside `workbench.app` (see workbench/cli.py).
APP_ALIASES = ("workbench.cli",)
TOP = ("workbench", "provers", "typeinfer", "rulecheck", "causal")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer(module: str) -> str:
    """``app``, ``kernel``, a part's name, or ``provers`` (the namespace package itself)."""
    if module == "workbench.app" or module.startswith("workbench.app.") or module in APP_ALIASES:
        return "app"
    if module == "workbench" or module.startswith("workbench."):
        return "kernel"
    for part in PARTS:
        if module == part or module.startswith(part + "."):
            return part
    return module.split(".")[0]


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import of one of our packages in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], *([base] if base else [])])
            # `from pkg import sub` may name a submodule: count it as an edge to pkg.sub
            names = [f"{base}.{a.name}" if (ROOT / Path(*f"{base}.{a.name}".split("."))).exists()
                     or (ROOT / (Path(*f"{base}.{a.name}".split(".")).as_posix() + ".py")).exists()
                     else base for a in node.names]
        else:
            continue
        out += [(node.lineno, n) for n in names if n.split(".")[0] in TOP]
    return out


def sources() -> list[Path]:
    return sorted(p for top in TOP for p in (ROOT / top).rglob("*.py") if "__pycache__" not in p.parts)


def allowed(src: str, dst: str) -> bool:
    if src == "app":
        return True
    if src == "kernel":
        return dst == "kernel"
    return dst in ("kernel", src)


def test_every_import_points_down_the_layers() -> None:
    bad = []
    for path in sources():
        src = layer(module_name(path))
        for line, target in imports(path):
            dst = layer(target)
            if not allowed(src, dst):
                bad.append(f"{path.relative_to(ROOT)}:{line}: {src} imports {target} ({dst})")
    assert not bad, "imports against the layers of docs/ARCHITECTURE.md:\n" + "\n".join(bad)


def test_the_check_sees_real_edges() -> None:
    """The checker finds the edges it must judge (else the test above could pass by reading nothing)."""
    cli = imports(ROOT / "workbench/app/cli.py")
    assert any(t.startswith("workbench.errors") for _, t in cli)
    fol = {t for _, t in imports(ROOT / "provers/fol/cli.py")}
    assert any(layer(t) == "kernel" for t in fol) and any(layer(t) == "provers.fol" for t in fol)
    assert not allowed("kernel", "app") and not allowed("causal", "rulecheck") and not allowed("typeinfer", "app")
    assert len(sources()) > 100


@pytest.mark.parametrize("module", ["workbench", "workbench.errors", "workbench.jobs", "workbench.llm"])
def test_kernel_imports_load_no_part(module: str) -> None:
    """At run time too: importing a kernel module loads neither the app nor a part."""
    import subprocess
    import sys

    code = (f"import sys, {module}; bad = sorted(m for m in sys.modules if m.split('.')[0] in "
            f"('provers', 'typeinfer', 'rulecheck', 'causal') or m.startswith('workbench.app')); print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stdout
