"""From a parsed document to the `Spec` model.

`build_spec` reads only what the tree needs (titles, servers, the operation index,
modules); each operation's parameters, body and responses are read by its
`OperationSource` the first time they are asked for. Swagger 2.0 is mapped onto the
OpenAPI 3 shape here: `host`/`basePath`/`schemes` to servers, `in: body` and `formData`
to request bodies, `securityDefinitions` to security schemes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin

from explorer.errors import Location, NotOpenAPIError
from explorer.jsonpointer import escape_token
from explorer.spec._refs import Resolver
from explorer.spec._source import is_url
from explorer.spec.model import (
    HTTP_METHODS,
    Callback,
    Example,
    Header,
    MediaType,
    Module,
    OAuthFlow,
    Operation,
    Parameter,
    RequestBody,
    Response,
    SecurityRequirement,
    SecurityScheme,
    Server,
    ServerVariable,
    Spec,
    TagGroup,
    path_tail,
)

__all__ = ["OperationSource", "build_spec"]

_VERSION_SEGMENT = re.compile(r"^(v\d+([._]\d+)*|api|rest|\d+(\.\d+)*)$", re.IGNORECASE)
_SWAGGER_SCHEMA_KEYS = (
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
    "description",
    "x-nullable",
)
_FLOW_NAMES = {
    "implicit": "implicit",
    "password": "password",
    "application": "clientCredentials",
    "accessCode": "authorizationCode",
}


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def module_for_path(path: str, operation_id: str = "") -> str:
    """The module of an untagged operation: its first meaningful path segment. Paths of
    operation-style APIs differ only after `#` or `?` (`/#X-Amz-Target=Svc.Op`,
    `/?Action=Op`): those are grouped by the service the tail names, else by the
    operationId's prefix (`ec2.DescribeInstances` -> "ec2"), else all in one module."""
    cut = re.search(r"[#?]", path)
    for segment in (path[: cut.start()] if cut else path).split("/"):
        if not segment or segment.startswith("{") or _VERSION_SEGMENT.match(segment):
            continue
        return segment
    if cut is None:
        return "default"
    service, _ = path_tail(path)
    if service:
        return service
    prefix = re.split(r"[._:/]", operation_id, maxsplit=1)
    if len(prefix) == 2 and prefix[0] and prefix[0].upper() not in _METHOD_WORDS:
        return prefix[0]
    key = path[cut.end() :].split("=", 1)
    return key[0] if len(key) == 2 and key[0] else "operations"


_METHOD_WORDS = frozenset(m.upper() for m in HTTP_METHODS)


_LITERAL_KEYS = frozenset({"example", "examples", "default", "enum", "const", "x-examples"})
_NAME_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions"})


class _Context:
    """What every operation of one document shares."""

    def __init__(self, resolver: Resolver, root: dict[str, Any], version: str) -> None:
        self.resolver = resolver
        self.root = root
        self.swagger2 = version.startswith("2")
        self.version = version
        self.global_security: tuple[SecurityRequirement, ...] = ()
        self.global_servers: tuple[Server, ...] = ()
        consumes = root.get("consumes") if self.swagger2 else None
        produces = root.get("produces") if self.swagger2 else None
        self.consumes = _str_list(consumes)
        self.produces = _str_list(produces)
        self.patterns_seen: set[int] = set()
        self.patterns_kept: list[Any] = []  # keeps the ids in patterns_seen theirs

    def check_patterns(self, schema: Any, base: str, pointer: str) -> None:
        """A warning for each `pattern` (or `patternProperties` name) of a resolved schema
        that cannot be used even read as ECMA-262: it is not checked (values pass), and
        the warning says so. Each part of a schema is looked at once per document."""
        from explorer.spec.patterns import compile_pattern

        stack = [(schema, False)]
        while stack:
            node, names = stack.pop()
            if id(node) in self.patterns_seen:
                continue
            self.patterns_seen.add(id(node))
            self.patterns_kept.append(node)
            if isinstance(node, list):
                stack.extend((v, False) for v in node if isinstance(v, dict | list))
                continue
            if not isinstance(node, dict):
                continue
            found = [node.get("pattern")] if not names else []
            extra = node.get("patternProperties") if not names else None
            if isinstance(extra, dict):
                found.extend(extra)
            for pattern in found:
                if isinstance(pattern, str) and compile_pattern(pattern) is None:
                    self.resolver.warn(
                        f"pattern {pattern[:200]!r} is not a regular expression (read as "
                        "ECMA-262): values are not checked against it",
                        pointer,
                        base or self.resolver.root_uri,
                    )
            for key, value in node.items():
                if isinstance(value, dict | list) and (names or key not in _LITERAL_KEYS):
                    stack.append((value, not names and key in _NAME_MAPS))

    def obj(
        self, value: Any, pointer: str, base: str = "", what: str = "an object"
    ) -> dict[str, Any]:
        """`value` if it is a dict; otherwise {} and a warning."""
        if isinstance(value, dict):
            return value
        if value is not None:
            self.resolver.warn(
                f"expected {what}, found {type_name(value)}",
                pointer,
                base or self.resolver.root_uri,
            )
        return {}


def _str_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def _security(value: Any) -> tuple[SecurityRequirement, ...]:
    if not isinstance(value, list):
        return ()
    out: list[SecurityRequirement] = []
    for item in value:
        if isinstance(item, dict):
            out.append({str(k): _str_list(v) for k, v in item.items()})
    return tuple(out)


def _servers(value: Any, source: str) -> tuple[Server, ...]:
    if not isinstance(value, list):
        return ()
    out = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("url"), str):
            continue
        url = item["url"]
        if is_url(source) and not re.match(r"^[a-z][a-z0-9+.-]*://|^\{", url, re.I):
            url = urljoin(source, url)
        variables = []
        raw_vars = item.get("variables")
        if isinstance(raw_vars, dict):
            for name, var in raw_vars.items():
                if isinstance(var, dict):
                    variables.append(
                        ServerVariable(
                            name=str(name),
                            default=_str(var.get("default")),
                            enum=tuple(_str(e) for e in var.get("enum") or () if e is not None)
                            if isinstance(var.get("enum"), list)
                            else (),
                            description=_str(var.get("description")),
                        )
                    )
        out.append(Server(url, _str(item.get("description")), tuple(variables)))
    return tuple(out)


def _swagger_servers(root: dict[str, Any], source: str) -> tuple[Server, ...]:
    host = _str(root.get("host"))
    base_path = _str(root.get("basePath")) or "/"
    if not base_path.startswith("/"):
        base_path = "/" + base_path
    schemes = _str_list(root.get("schemes"))
    if not host:
        if is_url(source):
            return (Server(urljoin(source, base_path)),)
        return (Server(base_path),)
    if not schemes:
        schemes = ("https",) if not source.startswith("http://") else ("http",)
    return tuple(Server(f"{scheme}://{host}{base_path}".rstrip("/") or "/") for scheme in schemes)


_SCHEME_TYPES = {
    t.lower(): t for t in ("apiKey", "http", "oauth2", "openIdConnect", "mutualTLS", "basic")
}
"""Security scheme types as the specification spells them: a document's `apikey` or `HTTP`
is read as `apiKey` and `http` once, here, so that the form, the snippets and the mock
(which compare exactly) agree on it."""


def _scheme(name: str, raw: dict[str, Any], swagger2: bool) -> SecurityScheme:
    kind = _str(raw.get("type"))
    kind = _SCHEME_TYPES.get(kind.lower(), kind)
    flows: list[OAuthFlow] = []
    scheme = _str(raw.get("scheme")).lower()
    if swagger2:
        if kind == "basic":
            kind, scheme = "http", "basic"
        if kind == "oauth2":
            flows.append(
                OAuthFlow(
                    kind=_FLOW_NAMES.get(_str(raw.get("flow")), _str(raw.get("flow"))),
                    authorization_url=_str(raw.get("authorizationUrl")),
                    token_url=_str(raw.get("tokenUrl")),
                    scopes={str(k): _str(v) for k, v in (raw.get("scopes") or {}).items()}
                    if isinstance(raw.get("scopes"), dict)
                    else {},
                )
            )
    elif isinstance(raw.get("flows"), dict):
        for flow_name, flow in raw["flows"].items():
            if isinstance(flow, dict):
                scopes = flow.get("scopes")
                flows.append(
                    OAuthFlow(
                        kind=str(flow_name),
                        authorization_url=_str(flow.get("authorizationUrl")),
                        token_url=_str(flow.get("tokenUrl")),
                        refresh_url=_str(flow.get("refreshUrl")),
                        device_authorization_url=_str(flow.get("deviceAuthorizationUrl")),
                        scopes={str(k): _str(v) for k, v in scopes.items()}
                        if isinstance(scopes, dict)
                        else {},
                    )
                )
    return SecurityScheme(
        name=name,
        type=kind,
        description=_str(raw.get("description")),
        scheme=scheme,
        bearer_format=_str(raw.get("bearerFormat")),
        param_name=_str(raw.get("name")),
        location=_str(raw.get("in")),
        flows=tuple(flows),
        openid_connect_url=_str(raw.get("openIdConnectUrl")),
        extensions={k: v for k, v in raw.items() if isinstance(k, str) and k.startswith("x-")},
    )


class OperationSource:
    """Reads the lazy parts of one operation from its document."""

    def __init__(
        self,
        ctx: _Context,
        op: dict[str, Any],
        path_item: dict[str, Any],
        pointer: str,
        base: str,
        module: str,
    ) -> None:
        self.ctx = ctx
        self.op = op
        self.path_item = path_item
        self.pointer = pointer
        self.base = base
        self.module = module

    # -- helpers ---------------------------------------------------------------------
    def _deep(self, node: Any, base: str, pointer: str) -> Any:
        resolved = self.ctx.resolver.deep(node, base, pointer)
        self.ctx.check_patterns(resolved, base, pointer)
        return resolved

    def _examples(self, holder: dict[str, Any], base: str, pointer: str) -> tuple[Example, ...]:
        out: list[Example] = []
        if "example" in holder:
            out.append(Example("example", holder["example"]))
        raw = holder.get("examples")
        if isinstance(raw, dict):
            for name, value in raw.items():
                ex, _ = self.ctx.resolver.follow(value, base, f"{pointer}/examples/{name}")
                if isinstance(ex, dict):
                    out.append(
                        Example(
                            name=str(name),
                            value=ex.get("value"),
                            summary=_str(ex.get("summary")),
                            description=_str(ex.get("description")),
                            external_value=_str(ex.get("externalValue")),
                        )
                    )
        return tuple(out)

    def _content(self, raw: Any, base: str, pointer: str) -> tuple[MediaType, ...]:
        content = self.ctx.obj(raw, pointer, base)
        out = []
        for media_type, media in content.items():
            ptr = f"{pointer}/{escape_token(str(media_type))}"
            media = self.ctx.obj(media, ptr, base)
            schema = media.get("schema")
            out.append(
                MediaType(
                    media_type=str(media_type),
                    schema=self._deep(schema, base, ptr + "/schema")
                    if schema is not None
                    else None,
                    examples=self._examples(media, base, ptr),
                    encoding=encoding
                    if isinstance(encoding := media.get("encoding"), dict)
                    else {},
                )
            )
        return tuple(out)

    def _swagger_schema(self, param: dict[str, Any], base: str, pointer: str) -> dict[str, Any]:
        schema = {k: param[k] for k in _SWAGGER_SCHEMA_KEYS if k in param and k != "description"}
        if schema.get("x-nullable") is True:
            schema["nullable"] = True
        schema.pop("x-nullable", None)
        result = self._deep(schema, base, pointer)
        return result if isinstance(result, dict) else {}

    def _raw_parameters(self) -> list[tuple[dict[str, Any], str, str]]:
        """Path-level then operation-level parameter objects, followed, with base and pointer."""
        merged: dict[tuple[str, str], tuple[dict[str, Any], str, str]] = {}
        path_ptr = self.pointer.rsplit("/", 1)[0]
        for holder, ptr in ((self.path_item, path_ptr), (self.op, self.pointer)):
            raw = holder.get("parameters")
            if raw is None:
                continue
            if not isinstance(raw, list):
                self.ctx.resolver.warn(
                    "`parameters` should be a list", ptr + "/parameters", self.base
                )
                continue
            for i, item in enumerate(raw):
                p_ptr = f"{ptr}/parameters/{i}"
                param, base = self.ctx.resolver.follow(item, self.base, p_ptr)
                if not isinstance(param, dict) or not isinstance(param.get("name"), str):
                    if param is not None:
                        self.ctx.resolver.warn("a parameter without a name", p_ptr, self.base)
                    continue
                location = _str(param.get("in"))
                if location not in ("path", "query", "header", "cookie", "body", "formData"):
                    self.ctx.resolver.warn(
                        f"parameter with unknown `in`: {location!r}", p_ptr, self.base
                    )
                    continue
                merged[(param["name"], location)] = (param, base, p_ptr)
        return list(merged.values())

    # -- the lazy parts ----------------------------------------------------------------
    def description(self) -> str:
        return _str(self.op.get("description")) or _str(self.path_item.get("description"))

    def parameters(self) -> tuple[Parameter, ...]:
        out = []
        for param, base, ptr in self._raw_parameters():
            location = param["in"]
            schema: dict[str, Any]
            if location in ("body", "formData"):
                continue
            media_type = ""
            if self.ctx.swagger2:
                schema = self._swagger_schema(param, base, ptr)
                fmt = _str(param.get("collectionFormat"))
                style = {
                    "csv": "form",
                    "multi": "form",
                    "ssv": "spaceDelimited",
                    "pipes": "pipeDelimited",
                    "tsv": "tabDelimited",
                }.get(fmt, "")
                explode: bool | None = (fmt == "multi") if fmt else None
            else:
                raw_schema = param.get("schema")
                if (
                    raw_schema is None
                    and isinstance(param.get("content"), dict)
                    and param["content"]
                ):
                    media_type, media = next(iter(param["content"].items()))
                    raw_schema = media.get("schema") if isinstance(media, dict) else None
                resolved = self._deep(raw_schema, base, ptr + "/schema") if raw_schema else {}
                schema = resolved if isinstance(resolved, dict) else {}
                style = _str(param.get("style"))
                explode = param.get("explode") if isinstance(param.get("explode"), bool) else None
            out.append(
                Parameter(
                    name=param["name"],
                    location=location,
                    required=bool(param.get("required")) or location == "path",
                    description=_str(param.get("description")),
                    deprecated=bool(param.get("deprecated")),
                    schema=schema,
                    style=style,
                    explode=explode,
                    allow_empty_value=bool(param.get("allowEmptyValue")),
                    example=param.get("example"),
                    examples=self._examples(param, base, ptr),
                    media_type=str(media_type),
                )
            )
        return tuple(out)

    def request_body(self) -> RequestBody | None:
        if self.ctx.swagger2:
            return self._swagger_body()
        raw = self.op.get("requestBody")
        if raw is None:
            return None
        ptr = self.pointer + "/requestBody"
        body, base = self.ctx.resolver.follow(raw, self.base, ptr)
        if not isinstance(body, dict):
            return None
        return RequestBody(
            description=_str(body.get("description")),
            required=bool(body.get("required")),
            content=self._content(body.get("content"), base, ptr + "/content"),
        )

    def _swagger_body(self) -> RequestBody | None:
        consumes = _str_list(self.op.get("consumes")) or self.ctx.consumes
        form: list[tuple[dict[str, Any], str, str]] = []
        for param, base, ptr in self._raw_parameters():
            if param["in"] == "body":
                schema = param.get("schema")
                resolved = self._deep(schema, base, ptr + "/schema") if schema is not None else None
                types = consumes or ("application/json",)
                examples = self._examples(param, base, ptr)
                return RequestBody(
                    description=_str(param.get("description")),
                    required=bool(param.get("required")),
                    content=tuple(MediaType(t, resolved, examples) for t in types),
                )
            if param["in"] == "formData":
                form.append((param, base, ptr))
        if not form:
            return None
        properties: dict[str, Any] = {}
        required: list[str] = []
        has_file = False
        for param, base, ptr in form:
            prop = self._swagger_schema(param, base, ptr)
            if prop.get("type") == "file":
                has_file = True
                prop = {"type": "string", "format": "binary"}
            if param.get("description"):
                prop = {**prop, "description": param["description"]}
            properties[param["name"]] = prop
            if param.get("required"):
                required.append(param["name"])
        form_schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            form_schema["required"] = required
        types = tuple(t for t in consumes if "form" in t) or (
            ("multipart/form-data",) if has_file else ("application/x-www-form-urlencoded",)
        )
        return RequestBody(
            required=bool(required),
            content=tuple(MediaType(t, form_schema) for t in types),
        )

    def responses(self) -> tuple[Response, ...]:
        raw = self.op.get("responses")
        ptr = self.pointer + "/responses"
        out = []
        for status, value in self.ctx.obj(raw, ptr, self.base).items():
            r_ptr = f"{ptr}/{escape_token(str(status))}"
            resp, base = self.ctx.resolver.follow(value, self.base, r_ptr)
            if not isinstance(resp, dict):
                continue
            headers = []
            for name, h in self.ctx.obj(resp.get("headers"), r_ptr + "/headers", base).items():
                h_ptr = f"{r_ptr}/headers/{escape_token(str(name))}"
                header, h_base = self.ctx.resolver.follow(h, base, h_ptr)
                if not isinstance(header, dict):
                    continue
                if self.ctx.swagger2:
                    schema = self._swagger_schema(header, h_base, h_ptr)
                else:
                    raw_schema = header.get("schema")
                    schema = self._deep(raw_schema, h_base, h_ptr + "/schema") if raw_schema else {}
                headers.append(
                    Header(
                        str(name),
                        _str(header.get("description")),
                        bool(header.get("required")),
                        schema if isinstance(schema, dict) else {},
                    )
                )
            if self.ctx.swagger2:
                content: tuple[MediaType, ...] = ()
                body_schema = resp.get("schema")
                if body_schema is not None:
                    resolved = self._deep(body_schema, base, r_ptr + "/schema")
                    produces = _str_list(self.op.get("produces")) or self.ctx.produces
                    raw_examples = resp.get("examples")
                    examples: dict[str, Any] = (
                        raw_examples if isinstance(raw_examples, dict) else {}
                    )
                    content = tuple(
                        MediaType(
                            t,
                            resolved,
                            (Example("example", examples[t]),) if t in examples else (),
                        )
                        for t in (produces or ("application/json",))
                    )
            else:
                content = self._content(resp.get("content"), base, r_ptr + "/content")
            out.append(
                Response(str(status), _str(resp.get("description")), content, tuple(headers))
            )
        return tuple(out)

    def security(self) -> tuple[SecurityRequirement, ...]:
        if "security" in self.op:
            return _security(self.op.get("security"))
        return self.ctx.global_security

    def servers(self) -> tuple[Server, ...]:
        source = self.ctx.resolver.root_uri
        if not self.ctx.swagger2:
            for holder in (self.op, self.path_item):
                own = _servers(holder.get("servers"), source)
                if own:
                    return own
        return self.ctx.global_servers

    def callbacks(self) -> tuple[Callback, ...]:
        raw = self.op.get("callbacks")
        ptr = self.pointer + "/callbacks"
        out = []
        for name, value in self.ctx.obj(raw, ptr, self.base).items():
            cb_ptr = f"{ptr}/{escape_token(str(name))}"
            cb, base = self.ctx.resolver.follow(value, self.base, cb_ptr)
            if not isinstance(cb, dict):
                continue
            for expression, item in cb.items():
                e_ptr = f"{cb_ptr}/{escape_token(str(expression))}"
                ops = _path_operations(
                    self.ctx, str(expression), item, e_ptr, base, "callback", self.module
                )
                out.append(Callback(str(name), str(expression), tuple(ops)))
        return tuple(out)

    def extensions(self) -> Mapping[str, Any]:
        return {k: v for k, v in self.op.items() if isinstance(k, str) and k.startswith("x-")}


def _path_operations(
    ctx: _Context,
    path: str,
    raw_item: Any,
    pointer: str,
    base: str,
    kind: str,
    default_module: str | None = None,
) -> list[Operation]:
    item, base = ctx.resolver.follow(raw_item, base, pointer)
    if not isinstance(item, dict):
        if item is not None:
            ctx.obj(item, pointer, base, "a path item object")
        return []
    out = []
    for method in HTTP_METHODS:
        op = item.get(method)
        if op is None:
            continue
        op_ptr = f"{pointer}/{method}"
        if not isinstance(op, dict):
            ctx.obj(op, op_ptr, base, "an operation object")
            continue
        tags = _str_list(op.get("tags"))
        if default_module is not None:
            module = default_module
        else:
            module = (
                tags[0]
                if tags
                else (
                    "webhooks"
                    if kind == "webhook"
                    else module_for_path(path, _str(op.get("operationId")))
                )
            )
        out.append(
            Operation(
                method=method.upper(),
                path=path,
                operation_id=_str(op.get("operationId")),
                summary=_str(op.get("summary")).strip(),
                module=module,
                tags=tags,
                deprecated=op.get("deprecated") is True,
                kind=kind,
                pointer=op_ptr,
                _source=OperationSource(ctx, op, item, op_ptr, base, module),
            )
        )
    return out


def type_name(value: Any) -> str:
    """What a JSON value is, in JSON's words."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        type(None): "null",
    }.get(type(value), f"a {type(value).__name__}")


def _version(root: dict[str, Any], source: str) -> str:
    openapi = root.get("openapi")
    swagger = root.get("swagger")
    if isinstance(openapi, str | int | float) and not isinstance(openapi, bool):
        return str(openapi)
    if openapi is not None:
        raise NotOpenAPIError(
            f'`openapi` should be a version such as "3.0.3", found {type_name(openapi)}',
            Location(source, "/openapi"),
        )
    if "swaggerVersion" in root:
        raise NotOpenAPIError(
            f"Swagger {_str(root.get('swaggerVersion'))} is not supported "
            "(only Swagger 2.0 and OpenAPI 3.x)",
            Location(source, "/swaggerVersion"),
        )
    if isinstance(swagger, str | int | float) and not isinstance(swagger, bool):
        version = str(swagger)
        if not version.startswith("2"):
            raise NotOpenAPIError(
                f"Swagger {version} is not supported (only 2.0 and OpenAPI 3.x)",
                Location(source, "/swagger"),
            )
        return version
    raise NotOpenAPIError(
        "not an OpenAPI document: it has no `openapi` or `swagger` field", Location(source)
    )


def build_spec(root: Any, source: str, resolver: Resolver) -> Spec:
    """The `Spec` of a parsed document (see the module docstring for what is lazy)."""
    if not isinstance(root, dict):
        raise NotOpenAPIError(
            f"not an OpenAPI document: the top level is {type_name(root)}, not an object",
            Location(source),
        )
    version = _version(root, source)
    warn = resolver.warn
    if not re.match(r"^(2\.0|3\.[01]\.\d+|3\.[01])$", version):
        warn(
            f"unknown OpenAPI version {version!r}; read as the nearest known one",
            "/openapi",
            source,
        )
    ctx = _Context(resolver, root, version)
    info = ctx.obj(root.get("info"), "/info", source)
    if ctx.swagger2:
        ctx.global_servers = _swagger_servers(root, source)
        raw_schemes = ctx.obj(root.get("securityDefinitions"), "/securityDefinitions", source)
        schema_names = tuple(ctx.obj(root.get("definitions"), "/definitions", source))
    else:
        ctx.global_servers = _servers(root.get("servers"), source) or (
            (Server(urljoin(source, "/")),) if is_url(source) else (Server("/"),)
        )
        components = ctx.obj(root.get("components"), "/components", source)
        raw_schemes = ctx.obj(
            components.get("securitySchemes"), "/components/securitySchemes", source
        )
        schema_names = tuple(ctx.obj(components.get("schemas"), "/components/schemas", source))
    ctx.global_security = _security(root.get("security"))
    schemes: dict[str, SecurityScheme] = {}
    for name, raw in raw_schemes.items():
        followed, _ = resolver.follow(raw, source, f"/securitySchemes/{name}")
        if isinstance(followed, dict):
            schemes[str(name)] = _scheme(str(name), followed, ctx.swagger2)

    operations: list[Operation] = []
    paths = ctx.obj(root.get("paths"), "/paths", source)
    for path, item in paths.items():
        if not isinstance(path, str) or not path.startswith("/"):
            if isinstance(path, str) and path.startswith("x-"):
                continue
            warn(f"path {path!r} does not start with '/'", "/paths", source)
        operations.extend(
            _path_operations(
                ctx, str(path), item, "/paths/" + escape_token(str(path)), source, "operation"
            )
        )

    webhooks: list[Operation] = []
    for key in ("webhooks", "x-webhooks"):
        for name, item in ctx.obj(root.get(key), f"/{key}", source).items():
            webhooks.extend(
                _path_operations(
                    ctx, str(name), item, f"/{key}/{escape_token(str(name))}", source, "webhook"
                )
            )

    seen_ids: dict[str, str] = {}
    for op in operations:
        if op.operation_id:
            if op.operation_id in seen_ids:
                warn(
                    f"duplicate operationId {op.operation_id!r} (also {seen_ids[op.operation_id]})",
                    op.pointer,
                    source,
                )
            else:
                seen_ids[op.operation_id] = op.key

    return Spec(
        source=source,
        openapi_version=version,
        title=_str(info.get("title")) or "Untitled API",
        version=_str(info.get("version")),
        description=_str(info.get("description")),
        servers=ctx.global_servers,
        security_schemes=schemes,
        security=ctx.global_security,
        modules=_modules(root, operations),
        operations=tuple(operations),
        webhooks=tuple(webhooks),
        tag_groups=_tag_groups(root),
        schema_names=tuple(str(n) for n in schema_names),
        warnings=resolver.warnings,
        raw=root,
    )


def _modules(root: dict[str, Any], operations: list[Operation]) -> tuple[Module, ...]:
    declared: dict[str, str] = {}
    tags = root.get("tags")
    if isinstance(tags, list):
        for tag in tags:
            if isinstance(tag, dict) and isinstance(tag.get("name"), str):
                declared.setdefault(tag["name"], _str(tag.get("description")))
    grouped: dict[str, list[Operation]] = {}
    for op in operations:
        grouped.setdefault(op.module, []).append(op)
    order = [name for name in declared if name in grouped]
    tagged = {op.module for op in operations if op.tags}
    rest = [name for name in grouped if name not in declared]
    order += [n for n in rest if n in tagged] + sorted(n for n in rest if n not in tagged)
    return tuple(Module(name, declared.get(name, ""), tuple(grouped[name])) for name in order)


def _tag_groups(root: dict[str, Any]) -> tuple[TagGroup, ...]:
    raw = root.get("x-tagGroups")
    if not isinstance(raw, list):
        return ()
    return tuple(
        TagGroup(_str(g.get("name")), _str_list(g.get("tags"))) for g in raw if isinstance(g, dict)
    )
