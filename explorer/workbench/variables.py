"""`{{name}}` in a request, filled from the environment's variables. No Qt.

    inp, unknown = substitute(inp, {"baseUrl": "http://127.0.0.1:5000/api", "tenant": "t1"})

Anywhere a person types: the base URL, path and parameter values, headers, the body (its
text and form fields) and a credential typed for the request. A name the environment
does not define is left as written and returned in `unknown`, for the window to flag (a
send with an unknown variable is refused: it would go out with `{{name}}` in it).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from explorer.http.model import AuthInput, BodyInput, FormField, RequestInput

__all__ = ["VARIABLE", "names_in", "substitute", "substitute_text"]

VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*\}\}")
"""`{{name}}`: letters, digits, `_`, `.` and `-`, spaces around the name allowed."""


def names_in(text: str) -> list[str]:
    """The variable names a text uses, in order."""
    return [m.group(1) for m in VARIABLE.finditer(text)]


def substitute_text(text: str, variables: Mapping[str, str], unknown: set[str]) -> str:
    """`text` with each known `{{name}}` filled in; unknown names are added to `unknown`."""
    if "{{" not in text:
        return text

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in variables:
            return variables[name]
        unknown.add(name)
        return match.group(0)

    return VARIABLE.sub(fill, text)


def _value(value: Any, variables: Mapping[str, str], unknown: set[str]) -> Any:
    if isinstance(value, str):
        return substitute_text(value, variables, unknown)
    if isinstance(value, list):
        return [_value(v, variables, unknown) for v in value]
    if isinstance(value, dict):
        return {k: _value(v, variables, unknown) for k, v in value.items()}
    return value


def substitute(
    inp: RequestInput, variables: Mapping[str, str]
) -> tuple[RequestInput, frozenset[str]]:
    """The request with its variables filled in, and the names no variable defines."""
    unknown: set[str] = set()

    def text(value: str) -> str:
        return substitute_text(value, variables, unknown)

    params = tuple(
        dataclasses.replace(p, value=_value(p.value, variables, unknown)) for p in inp.params
    )
    headers = tuple((name, text(value)) for name, value in inp.headers)
    body: BodyInput | None = inp.body
    if body is not None:
        body = BodyInput(
            body.media_type,
            text=text(body.text),
            fields=tuple(
                FormField(f.name, text(f.value), f.file_path, f.content_type) for f in body.fields
            ),
        )
    auth: AuthInput | None = inp.auth
    if auth is not None:
        auth = dataclasses.replace(
            auth, token=text(auth.token), username=text(auth.username), password=text(auth.password)
        )
    filled = dataclasses.replace(
        inp,
        base_url=text(inp.base_url),
        path=text(inp.path),
        params=params,
        headers=headers,
        body=body,
        auth=auth,
    )
    return filled, frozenset(unknown)
