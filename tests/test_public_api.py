"""The public surface is what it should be, and the layers keep to their rules."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import explorer
from explorer import errors, spec

PACKAGE = Path(explorer.__file__).resolve().parent
QT_MODULES = ("PySide6", "qasync", "shiboken6")
CORE = ("spec", "http", "store", "mock", "workbench", "webhooks")

SPEC_NAMES = [
    "CYCLE_KEY",
    "REF_KEY",
    "UNRESOLVED_KEY",
    "Callback",
    "Example",
    "Header",
    "MediaType",
    "Module",
    "NotOpenAPIError",
    "OAuthFlow",
    "Operation",
    "Parameter",
    "ParseError",
    "RefError",
    "RequestBody",
    "Response",
    "Schema",
    "SchemaIssue",
    "SecurityRequirement",
    "SecurityScheme",
    "Server",
    "ServerVariable",
    "SourceError",
    "Spec",
    "SpecError",
    "SpecWarning",
    "StructureError",
    "TagGroup",
    "default_cache_dir",
    "load",
    "load_bytes",
    "pattern_search",
    "sample",
    "validate",
]

ERROR_NAMES = [
    "AuthError",
    "ExplorerError",
    "Location",
    "NotOpenAPIError",
    "OAuthError",
    "ParseError",
    "RefError",
    "RequestError",
    "SourceError",
    "SpecError",
    "StoreError",
    "StructureError",
]


def test_spec_exports() -> None:
    assert sorted(spec.__all__) == sorted(SPEC_NAMES)
    assert len(set(spec.__all__)) == len(spec.__all__)
    for name in spec.__all__:
        assert getattr(spec, name) is not None, name


def test_error_exports() -> None:
    assert sorted(errors.__all__) == sorted(ERROR_NAMES)
    for name in errors.__all__:
        assert getattr(errors, name) is not None, name


def test_star_imports_work() -> None:
    for module in ("explorer.spec", "explorer.errors"):
        namespace: dict[str, object] = {}
        exec(f"from {module} import *", namespace)
        assert set(importlib.import_module(module).__all__) <= set(namespace)


def test_error_tree() -> None:
    for name in ("SourceError", "ParseError", "NotOpenAPIError", "StructureError", "RefError"):
        cls = getattr(errors, name)
        assert issubclass(cls, errors.SpecError)
        assert getattr(spec, name) is cls  # the same classes, re-exported
    for name in ("SpecError", "RequestError", "AuthError", "StoreError"):
        assert issubclass(getattr(errors, name), errors.ExplorerError)
    assert not issubclass(errors.RequestError, errors.SpecError)
    # the module docstring draws every class in the tree
    assert errors.__doc__ is not None
    for name in ERROR_NAMES:
        if name != "Location":
            assert name in errors.__doc__, name


def test_public_things_have_docstrings() -> None:
    for name in spec.__all__:
        obj = getattr(spec, name)
        if callable(obj) and not isinstance(obj, type(spec.Schema)):
            assert (obj.__doc__ or "").strip(), name
    assert (spec.__doc__ or "").strip()


def _python_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path) -> list[tuple[str, int]]:
    """Absolute names of every module a file imports (relative imports made absolute)."""
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    package = list(rel.parts[:-1])  # for __init__ too: level 1 is the package itself
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            out.append((module, node.lineno))
            # `from explorer import ui` names a module too
            out.extend((f"{module}.{alias.name}", node.lineno) for alias in node.names)
    return out


def _where(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


def test_import_scanner_sees_relative_imports(tmp_path: Path) -> None:
    names = [n for n, _ in _imports(PACKAGE / "spec" / "__init__.py")]
    assert "explorer.spec._load" in names
    assert "explorer.errors.SpecError" in names


def test_qt_only_in_ui_and_app() -> None:
    offenders = []
    for path in _python_files():
        where = _where(path)
        if where.startswith("explorer/ui/") or where == "explorer/app.py":
            continue
        for name, line in _imports(path):
            if name.split(".")[0] in QT_MODULES:
                offenders.append(f"{where}:{line} imports {name}")
    assert offenders == []


def test_core_never_imports_ui() -> None:
    offenders = []
    for path in _python_files():
        where = _where(path)
        if where.split("/")[1] not in CORE and where not in (
            "explorer/errors.py",
            "explorer/inspect.py",
            "explorer/jsonpointer.py",
            "explorer/demo.py",
            "explorer/__init__.py",
        ):
            continue
        for name, line in _imports(path):
            if name == "explorer.ui" or name.startswith("explorer.ui.") or name == "explorer.app":
                offenders.append(f"{where}:{line} imports {name}")
    assert offenders == []


def test_ui_is_widgets_and_qt_models_only() -> None:
    """Every module of explorer/ui uses Qt: one that does not is Qt-free logic (values,
    checks, parsing, descriptions), and that belongs in the core, where the mock, the
    command line and plain tests can use it too."""
    without_qt = []
    for path in _python_files():
        where = _where(path)
        if not where.startswith("explorer/ui/") or path.name == "__init__.py":
            continue
        if not any(name.split(".")[0] in QT_MODULES for name, _ in _imports(path)):
            without_qt.append(where)
    assert without_qt == []


BOTTOM = ("errors.py", "jsonpointer.py", "spec", "http", "store")
"""The bottom of the core: reading documents, making and sending requests, files."""
ABOVE = (
    "mock",
    "workbench",
    "webhooks",
    "ui",
    "app",
    "demo",
    "demo_build",
    "inspect",
    "__main__",
)
"""What is built on the bottom, and which the bottom never imports."""


def test_the_bottom_of_the_core_never_imports_what_is_built_on_it() -> None:
    """spec, http, store (and the error tree, JSON pointers) know nothing of the mock, the
    workbench, the window or the command line, so any of those can use all of them."""
    offenders = []
    for path in _python_files():
        where = _where(path)
        if where.split("/")[1] not in BOTTOM:
            continue
        for name, line in _imports(path):
            parts = name.split(".")
            if parts[0] == "explorer" and len(parts) > 1 and parts[1] in ABOVE:
                offenders.append(f"{where}:{line} imports {name}")
    assert offenders == []


def test_json_pointers_and_errors_import_nothing_of_explorer() -> None:
    for leaf in ("jsonpointer.py", "errors.py"):
        names = [n for n, _ in _imports(PACKAGE / leaf)]
        assert [n for n in names if n.startswith("explorer")] == [], leaf


@pytest.mark.parametrize(
    "module",
    [
        "explorer.spec",
        "explorer.inspect",
        "explorer.errors",
        "explorer.http.model",
        "explorer.webhooks.receiver",
        "explorer.webhooks.cli",
    ],
)
def test_core_modules_load_without_qt(module: str) -> None:
    """Also transitively: importing the core pulls in no Qt at all."""
    code = (
        f"import sys, {module}\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r}]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def _run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_inspect_command_does_not_load_qt(tmp_path: Path) -> None:
    doc = tmp_path / "api.json"
    doc.write_text('{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {}}')
    code = (
        "import sys\n"
        "from explorer.__main__ import main\n"
        f"assert main(['inspect', {str(doc)!r}]) == 0\n"
        f"print('QT:' + ','.join(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r}))\n"
    )
    result = _run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "QT:"


def test_webhooks_exports_load_on_first_use() -> None:
    """Every name of explorer.webhooks resolves, and each has a docstring."""
    from explorer import webhooks

    for name in webhooks.__all__:
        obj = getattr(webhooks, name)
        if callable(obj):
            assert (obj.__doc__ or "").strip(), name
    assert sorted(webhooks.__all__) == sorted(webhooks._LAZY)
