"""A saved request turned into what is sent: the one conversion. No Qt, no I/O.

    inp, options = to_request_input(saved, api, folder=collection_root)
    op = security_operation(saved, api.find(saved.operation))   # whose credentials it sends
    inp = fill_variables(inp, variables, where)                  # explorer.workbench.exchange
    prepared = build_request(inp)

`explorer run` and the window (a saved request opened and sent) both convert here, and
then send through `explorer.workbench.exchange`, so a request goes out the same way from
both. `{{variables}}` stay as written: the environment fills them in later (the one
`substitute`).

- The URL template is split into the base and the path: the base is what comes before
  the path of the request's `operation` when the URL ends with it; else a leading
  `{{variable}}` ("{{baseUrl}}/contacts/c_1"); else, for an absolute URL, the base the
  document's servers give (`explorer.workbench.address.link_address`), or its origin.
- Path, query, header and cookie values take the style and explode of the operation's
  parameter of that name, where the operation has one (OpenAPI's defaults otherwise).
  Headers the operation does not declare are sent as typed headers.
- A form field's file is read from the collection's folder: a collection is shared in
  git, so a path that leaves the folder (absolute, or through `..`) is refused rather
  than uploading a file of the machine it runs on.
"""

from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.errors import RequestError
from explorer.http.model import (
    BodyInput,
    FormField,
    ParamValue,
    RequestInput,
    TransportOptions,
    name_looks_secret,
)

if TYPE_CHECKING:
    from explorer.collection.model import Body, SavedRequest
    from explorer.spec.model import Operation, Spec

__all__ = ["security_operation", "split_url", "to_request_input"]

_DEFAULT_OPTIONS = TransportOptions()


def to_request_input(
    saved: SavedRequest, api: Spec | None = None, *, folder: Path | None = None
) -> tuple[RequestInput, TransportOptions]:
    """What `saved` sends, before variables and credentials: the request and its transport
    options. `folder` is the collection's folder (where form fields' files are read from).
    Raises RequestError for a file field that leaves the folder."""
    op = api.find(saved.operation) if api is not None and saved.operation else None
    base, path = split_url(saved.url, op, api, saved.method)
    params: list[ParamValue] = []
    for location, pairs in (("path", saved.path), ("query", saved.query)):
        params += [_param(op, name, location, value) for name, value in pairs]
    headers: list[tuple[str, str]] = []
    for name, value in saved.headers:
        if op is not None and op.parameter(name, "header") is not None:
            params.append(_param(op, name, "header", value))
        else:
            headers.append((name, value))
    params += [_param(op, name, "cookie", value) for name, value in saved.cookies]
    inp = RequestInput(
        method=saved.method,
        base_url=base,
        path=path,
        params=tuple(params),
        headers=tuple(headers),
        body=_body(saved.body, folder) if saved.body is not None else None,
        secret_headers=tuple(n for n, _v in headers if name_looks_secret(n)),
    )
    settings = saved.settings
    options = TransportOptions(
        timeout=_DEFAULT_OPTIONS.timeout if settings.timeout is None else settings.timeout,
        follow_redirects=_DEFAULT_OPTIONS.follow_redirects
        if settings.follow_redirects is None
        else settings.follow_redirects,
        verify_tls=_DEFAULT_OPTIONS.verify_tls
        if settings.verify_tls is None
        else settings.verify_tls,
    )
    return inp, options


def split_url(
    url: str, op: Operation | None, api: Spec | None = None, method: str = "GET"
) -> tuple[str, str]:
    """A URL template as (base, path): see the module docstring. The path keeps any
    query string written in the URL (the request builder sends it as written)."""
    from explorer.workbench.address import link_address, split_address
    from explorer.workbench.variables import VARIABLE

    text = url.strip()
    bare = text.split("?", 1)[0].split("#", 1)[0]
    if op is not None and op.path and bare.endswith(op.path) and len(bare) > len(op.path):
        cut = len(bare) - len(op.path)
        return text[:cut], text[cut:]
    leading = VARIABLE.match(text)
    if leading is not None:
        return text[: leading.end()], text[leading.end() :]
    address = split_address(text) if "://" in text else None
    if address is not None:
        base = address.origin
        if api is not None:
            with contextlib.suppress(ValueError):  # not an http(s) URL after all
                base = link_address(api, method, text).base
        if text.lower().startswith(base.lower()):
            return text[: len(base)], text[len(base) :]
        scheme, _sep, rest = text.partition("://")
        host, slash, tail = rest.partition("/")
        return f"{scheme}://{host}", slash + tail
    return text, ""


def security_operation(saved: SavedRequest, op: Operation | None) -> Operation | None:
    """The operation whose security requirement decides the credentials `saved` sends:
    its own operation's (auth "inherit"), none ("none"), or every one of the named slots
    (a list of slot names: one requirement that needs them all)."""
    if saved.auth == "inherit":
        return op
    if saved.auth == "none":
        return None
    from explorer.spec.model import Operation

    base = op or Operation(saved.method, "", "", "", "")
    stand_in = dataclasses.replace(base)
    # `security` is read lazily from the document and kept on the instance: set it there.
    vars(stand_in)["security"] = ({name: () for name in saved.auth},)
    return stand_in


def _param(op: Operation | None, name: str, location: str, value: object) -> ParamValue:
    declared = op.parameter(name, location) if op is not None else None
    if declared is None:
        return ParamValue(name, location, value)
    return ParamValue(name, location, value, declared.style, declared.explode)


def _body(body: Body, folder: Path | None) -> BodyInput:
    fields = tuple(
        FormField(f.name, f.value, _file(f.file, folder) if f.file else "", f.content_type)
        for f in body.fields
    )
    return BodyInput(body.media_type, text=body.text, fields=fields)


def _file(name: str, folder: Path | None) -> str:
    """The path of a form field's file: inside the collection's folder."""
    if folder is None:
        return name
    root = folder.resolve()
    path = (root / name).resolve()
    if Path(name).is_absolute() or not path.is_relative_to(root):
        raise RequestError(
            f"The file {name!r} is outside the collection's folder: copy it into the "
            "folder and name it relative to it."
        )
    return str(path)
