"""TypeScript in the style of ECOSIRE's SDK (`@ecosire/sdk`): one client, a member per
module (the operation's tag), a method per operation (its operationId without the
module's name), typed from the document.

    const client = new EcosireClient({ baseUrl, apiKey: process.env.ECOSIRE_API_KEY });
    const result = await client.contacts.create({ "Idempotency-Key": "..." }, { type: ... });

A method takes the operation's parameters as one object (path, query, header and cookie
parameters by name) and the JSON body, in that order, each only when the operation has
them. Credentials go in the client's options: `apiKey` or `token` (sent as a bearer
token, as ECOSIRE documents), `username`/`password`, and an API key in a header, the
query or a cookie through `headers`, `query` and `cookies`. A request the SDK's methods
cannot express (no operation, a body that is not JSON) uses `client.request(...)`.

The real SDK is not public: `sdk_declaration(api)` writes the client's TypeScript
declaration from the document (for `tsc`), and `sdk_runtime(api)` a small JavaScript
implementation of it that builds requests as the explorer does (for the tests).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from explorer.http.snippets._common import (
    SnippetContext,
    SnippetOptions,
    TextBody,
    Value,
    expression,
    merged,
    request_view,
)
from explorer.http.snippets._javascript import js_string

if TYPE_CHECKING:
    from explorer.http.model import PreparedRequest, RequestInput
    from explorer.spec.model import Operation, Spec

__all__ = ["method_name", "module_name", "sdk_declaration", "sdk_runtime", "to_ts_sdk"]

_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_RESERVED = {"constructor", "request", "prototype", "toString", "valueOf"}


def _camel(text: str) -> str:
    words = [w for w in re.split(r"[^A-Za-z0-9]+", text) if w]
    if not words:
        return "api"
    head = words[0][0].lower() + words[0][1:]
    name = head + "".join(w[0].upper() + w[1:] for w in words[1:])
    return name if not name[0].isdigit() else "_" + name


def module_name(op: Operation) -> str:
    """The client's member for the operation's module: its tag in camelCase
    ("ecosire-ai" -> "ecosireAi")."""
    name = _camel(op.module or (op.tags[0] if op.tags else "default"))
    return name + "_" if name in _RESERVED else name


def method_name(op: Operation) -> str:
    """The method for an operation: its operationId without the module's name in front
    ("contactsList" -> "list", "ecosireAiAsk" -> "ask"), else the method and path."""
    module = module_name(op).rstrip("_")
    raw = _camel(op.operation_id) if op.operation_id else ""
    if raw.lower().startswith(module.lower()) and len(raw) > len(module):
        rest = raw[len(module) :]
        raw = rest[0].lower() + rest[1:]
    if not raw:
        words = [op.method.lower(), *re.findall(r"[A-Za-z0-9]+", op.path)]
        raw = _camel(" ".join(words))
    return raw + "_" if raw in _RESERVED else raw


def _names(api: Spec) -> dict[str, tuple[str, str]]:
    """{operation key: (module member, method)}, methods made unique per module."""
    out: dict[str, tuple[str, str]] = {}
    seen: dict[tuple[str, str], int] = {}
    for op in api.operations:
        module, method = module_name(op), method_name(op)
        count = seen.get((module, method), 0)
        seen[(module, method)] = count + 1
        out[op.key] = (module, method if not count else f"{method}{count + 1}")
    return out


def _key(name: str) -> str:
    return name if _IDENT.match(name) else json.dumps(name)


# --- the snippet -------------------------------------------------------------------------


def _js_value(value: Any, indent: str = "") -> str:
    """A JSON value as a JavaScript literal (object keys bare where they can be)."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = indent + "  "
        items = [f"{inner}{_key(str(k))}: {_js_value(v, inner)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = indent + "  "
        items = [f"{inner}{_js_value(v, inner)}," for v in value]
        return "[\n" + "\n".join(items) + f"\n{indent}]"
    if isinstance(value, str):
        return js_string(value)
    return json.dumps(value)


def _expr(value: Value) -> str:
    return expression(value, js_string, lambda name: f"process.env.{name}")


def _options(
    prepared: PreparedRequest,
    inp: RequestInput | None,
    options: SnippetOptions,
    credentials: bool = True,
) -> list[str]:
    """The client's options: base URL and credentials (from the environment by default;
    with `credentials` False only basic ones, which no header of the request can carry
    without giving the pair away)."""
    view = request_view(prepared, options)
    base = inp.base_url.rstrip("/") if inp is not None else _origin(prepared.url)
    lines = [f"  baseUrl: {js_string(base)},"]
    if not credentials:
        if view.basic is not None:
            user, password = view.basic
            lines += [f"  username: {_expr(user)},", f"  password: {_expr(password)},"]
        return lines
    auth = inp.auth if inp is not None else None
    if auth is None or prepared.secrets == ():
        return lines

    def secret(text: str) -> str:
        if options.secrets == "inline":
            return js_string(text)
        env = next((name for value, name in prepared.secrets if value == text), "")
        return f"process.env.{env}" if env else js_string(text)

    if auth.kind == "bearer":
        word = "apiKey" if auth.env_name.upper().endswith("KEY") else "token"
        lines.append(f"  {word}: {secret(auth.token)},")
    elif auth.kind == "basic" and view.basic is not None:
        user, password = view.basic
        lines.append(f"  username: {_expr(user)},")
        lines.append(f"  password: {_expr(password)},")
    elif auth.kind == "apikey":
        where = {"query": "query", "cookie": "cookies"}.get(auth.location.lower(), "headers")
        lines.append(f"  {where}: {{ {_key(auth.name.strip())}: {secret(auth.token)} }},")
    return lines


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _fallback(prepared: PreparedRequest, inp: RequestInput | None, options: SnippetOptions) -> str:
    """`client.request(...)` with the request as it is sent."""
    view = request_view(prepared, options)
    base = inp.base_url.rstrip("/") if inp is not None else _origin(prepared.url)
    url = merged(view.url)
    first = url[0] if isinstance(url[0], str) else ""
    path: Value = (first[len(base) :], *url[1:]) if first.startswith(base) else url
    init = [f"  method: {js_string(view.method)},", f"  path: {_expr(path)},"]
    headers = [f"    {js_string(n)}: {_expr(v)}," for n, v in view.headers]
    if headers:
        init += ["  headers: {", *headers, "  },"]
    if isinstance(view.body, TextBody):
        init.append(f"  body: {_expr(view.body.text)},")
    return "\n".join(
        [
            'import { EcosireClient } from "@ecosire/sdk";',
            "",
            "const client = new EcosireClient({",
            *_options(prepared, inp, options, credentials=False),
            "});",
            "const result = await client.request({",
            *init,
            "});",
            "console.log(result);",
            "",
        ]
    )


def to_ts_sdk(prepared: PreparedRequest, options: SnippetOptions, context: SnippetContext) -> str:
    """The request as a call of the SDK's method for its operation (see the module
    docstring); `client.request(...)` when there is no operation or the body is not JSON."""
    op, api, inp = context.operation, context.api, context.request
    if op is None or api is None or inp is None:
        return _fallback(prepared, inp, options)
    body: Any = None
    if inp.body is not None and (inp.body.text or inp.body.fields):
        if inp.body.fields or "json" not in inp.body.media_type.lower():
            return _fallback(prepared, inp, options)
        try:
            body = json.loads(inp.body.text)
        except ValueError:
            return _fallback(prepared, inp, options)
    declared = {(p.name, p.location) for p in op.parameters}
    params = {
        p.name: p.value
        for p in inp.params
        if p.value is not None and (p.name, p.location) in declared
    }
    extra = [p for p in inp.params if p.value is not None and (p.name, p.location) not in declared]
    if extra or inp.headers:
        return _fallback(prepared, inp, options)
    module, method = _names(api)[op.key]
    args = []
    if op.parameters:
        args.append(_js_value(params))
    if op.request_body is not None:
        args.append(_js_value(body))
    while args and args[-1] in ("{}", "null") and (len(args) == 1 or args[-1] == "null"):
        args.pop()
    call = f"client.{module}.{method}({', '.join(args)})"
    if op.summary:
        comment = " ".join(op.summary.split())[:100]
        call_comment = [f"// {comment}"]
    else:
        call_comment = []
    return "\n".join(
        [
            'import { EcosireClient } from "@ecosire/sdk";',
            "",
            "const client = new EcosireClient({",
            *_options(prepared, inp, options),
            "});",
            *call_comment,
            f"const result = await {call};",
            "console.log(result);",
            "",
        ]
    )


# --- the declaration ---------------------------------------------------------------------


def _ts_type(schema: Any, depth: int = 0) -> str:
    """A TypeScript type for a JSON schema (unknown where it cannot say)."""
    if not isinstance(schema, Mapping) or depth > 6:
        return "unknown"
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return " | ".join(json.dumps(v) for v in enum[:50])
    for key in ("oneOf", "anyOf"):
        parts = schema.get(key)
        if isinstance(parts, list) and parts:
            return " | ".join(f"({_ts_type(p, depth + 1)})" for p in parts[:20])
    all_of = schema.get("allOf")
    if isinstance(all_of, list) and all_of:
        return " & ".join(f"({_ts_type(p, depth + 1)})" for p in all_of[:20])
    kind = schema.get("type")
    if isinstance(kind, list):
        return " | ".join(_ts_type({**schema, "type": k}, depth) for k in kind[:8])
    nullable = " | null" if schema.get("nullable") is True else ""
    if kind in ("integer", "number"):
        return "number" + nullable
    if kind == "string":
        return "string" + nullable
    if kind == "boolean":
        return "boolean" + nullable
    if kind == "null":
        return "null"
    if kind == "array":
        return f"Array<{_ts_type(schema.get('items'), depth + 1)}>" + nullable
    props = schema.get("properties")
    if kind == "object" or isinstance(props, Mapping):
        return _object_type(schema, depth) + nullable
    return "unknown"


def _object_type(schema: Mapping[str, Any], depth: int) -> str:
    props = schema.get("properties")
    listed = schema.get("required")
    required = listed if isinstance(listed, list) else []
    members = []
    if isinstance(props, Mapping):
        for name, prop in list(props.items())[:300]:
            if isinstance(prop, Mapping) and prop.get("readOnly") is True:
                continue
            mark = "" if name in required else "?"
            members.append(f"{_key(str(name))}{mark}: {_ts_type(prop, depth + 1)}")
    extra = schema.get("additionalProperties")
    if extra is not False and (extra is not None or not members):
        members.append("[key: string]: unknown")
    return "{ " + "; ".join(members) + " }" if members else "Record<string, unknown>"


def _params_type(op: Operation) -> tuple[str, bool]:
    """The parameters object's type, and whether any parameter is required."""
    members = []
    needed = False
    for p in op.parameters:
        required = p.required or p.location == "path"
        needed = needed or required
        members.append(f"{_key(p.name)}{'' if required else '?'}: {_ts_type(p.schema)}")
    return "{ " + "; ".join(members) + " }", needed


def sdk_declaration(api: Spec) -> str:
    """`index.d.ts` of the client for `api` (module "@ecosire/sdk")."""
    by_module: dict[str, list[str]] = {}
    names = _names(api)
    for op in api.operations:
        module, method = names[op.key]
        args = []
        if op.parameters:
            kind, needed = _params_type(op)
            args.append(f"params{'' if needed else '?'}: {kind}")
        rb = op.request_body
        if rb is not None:
            media = next((m for m in rb.content if "json" in m.media_type), None)
            body_type = _ts_type(media.schema) if media is not None else "unknown"
            args.append(f"body{'' if rb.required else '?'}: {body_type}")
        fixed = []
        for i, arg in enumerate(args):
            # A required argument may not follow an optional one.
            if i < len(args) - 1 and "?:" in arg.split(":", 1)[0] + ":":
                arg = arg.replace("?:", ":", 1)
            fixed.append(arg)
        by_module.setdefault(module, []).append(
            f"    {_key(method)}({', '.join(fixed)}): Promise<unknown>;"
        )
    lines = [
        'declare module "@ecosire/sdk" {',
        "  export interface ClientOptions {",
        "    baseUrl?: string;",
        "    apiKey?: string;",
        "    token?: string;",
        "    username?: string;",
        "    password?: string;",
        "    headers?: Record<string, string | undefined>;",
        "    query?: Record<string, string | undefined>;",
        "    cookies?: Record<string, string | undefined>;",
        "  }",
        "  export interface RawRequest {",
        "    method: string;",
        "    path: string;",
        "    headers?: Record<string, string | undefined>;",
        "    body?: string;",
        "  }",
        "  export class EcosireClient {",
        "    constructor(options?: ClientOptions);",
        "    request(request: RawRequest): Promise<unknown>;",
    ]
    for module, methods in by_module.items():
        lines.append(f"    readonly {_key(module)}: {{")
        lines += methods
        lines.append("    };")
    lines += ["  }", "}", ""]
    return "\n".join(lines)


# --- the runtime (for the tests) ---------------------------------------------------------

_RUNTIME_FILE = Path(__file__).with_name("sdk_runtime.js")
"""The client's code; `sdk_runtime` puts the document's operations into it."""


def sdk_runtime(api: Spec) -> str:
    """`index.js` of a working client for `api` (an ES module; see the module docstring)."""
    names = _names(api)
    table: dict[str, dict[str, Any]] = {}
    for op in api.operations:
        module, method = names[op.key]
        rb = op.request_body
        media = ""
        if rb is not None:
            media = next((m.media_type for m in rb.content if "json" in m.media_type), "")
        table.setdefault(module, {})[method] = {
            "method": op.method,
            "path": op.path,
            "params": [
                {"name": p.name, "in": p.location, "style": p.style, "explode": p.explode}
                for p in op.parameters
            ],
            "body": media if rb is not None else "",
        }
    code = _RUNTIME_FILE.read_text(encoding="utf-8")
    return code.replace("__OPERATIONS__", json.dumps(table, indent=1))
