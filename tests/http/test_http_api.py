"""The public surface of explorer.http: exactly these names, each documented."""

from __future__ import annotations

import ast
from pathlib import Path

import explorer.http as http_api

EXPECTED = {
    "DEFAULT_MAX_BODY",
    "AuthInput",
    "BodyInput",
    "FieldError",
    "FormField",
    "NetworkFailure",
    "ParamValue",
    "PreparedRequest",
    "Problem",
    "RateLimit",
    "RedirectHop",
    "RequestError",
    "RequestInput",
    "ResponseResult",
    "Sender",
    "Timing",
    "TransportOptions",
    "build_request",
    "is_json_media_type",
    "name_looks_secret",
    "parse_problem",
    "parse_rate_limit",
    "to_curl",
}


def test_all_is_what_it_should_be() -> None:
    assert set(http_api.__all__) == EXPECTED
    assert len(http_api.__all__) == len(EXPECTED)  # no duplicates


def test_every_exported_name_exists_and_is_documented() -> None:
    for name in http_api.__all__:
        value = getattr(http_api, name)
        if callable(value):
            assert (value.__doc__ or "").strip(), f"{name} has no docstring"


def test_no_qt_or_ui_imported_by_the_http_package() -> None:
    package = Path(http_api.__file__ or "").parent
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert not name.startswith(("PySide6", "qasync", "explorer.ui")), (path, name)
