"""Assemble the ECOSIRE demo document from its sources. A tool of the checkout; no Qt.

    python -m explorer.demo_build [OUTPUT]    # default: resources/ecosire/openapi.json

The sources, in resources/ecosire/src/, are data:

    document.yaml       the top of the document; its null members are filled here
    components.yaml     shared schemas, error responses, parameters, headers, security
    modules.yaml        the 57 modules (tags) and their descriptions, in the order their
                        schemas are written to components.schemas
    modules/NAME.yaml   one module: hand-written `paths` and `schemas`, and/or a
                        `resources` table whose rows become schemas and operations
    resources.yaml      how such a row is expanded (read its header first)
    events.yaml         the webhook events (x-webhooks) and their schemas

The same sources always give the same bytes: generated ids and UUIDs are hashes of fixed
seeds. tests/resources/test_demo_spec.py checks that the committed document is what the
sources give.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import sys
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explorer.demo import resource_path
from explorer.errors import ExplorerError
from explorer.spec._yaml import parse_yaml

__all__ = ["assemble", "main", "render", "source_dir"]

Json = dict[str, Any]


def source_dir() -> Path:
    """resources/ecosire/: the document, and its sources in a checkout (a wheel carries
    the document only)."""
    return resource_path("ecosire")


def _read(path: Path) -> Any:
    return parse_yaml(path.read_bytes(), str(path))


# -- words and references ------------------------------------------------------------------
def _words(name: str) -> list[str]:
    """camelCase, kebab-case and snake_case split into lower-case words."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name.replace("-", " ").replace("_", " "))
    return [w.lower() for w in spaced.split()]


def _human(name: str) -> str:
    return " ".join(_words(name))


def _camel(name: str) -> str:
    first, *rest = _words(name)
    return first + "".join(w.capitalize() for w in rest)


def _pascal(name: str) -> str:
    return "".join(w.capitalize() for w in _words(name))


def _article(label: str) -> str:
    first = label.split()[0]
    if first.isupper() and first[0] in "AEFHILMNORSX":  # an SLA, an SMS, an HR ...
        return "an " + label
    return ("an " if label[0].lower() in "aeiou" else "a ") + label


def _ref(kind: str, name: str) -> Json:
    return {"$ref": f"#/components/{kind}/{name}"}


# -- the rules of resources.yaml -------------------------------------------------------------
@dataclass(frozen=True)
class _Rules:
    """resources.yaml, the label of every id prefix, and the shared components."""

    data: Mapping[str, Any]
    labels: Mapping[str, str]
    components: Mapping[str, Any]

    def id_pattern(self, prefix: str) -> str:
        special: str | None = self.data["idPatterns"].get(prefix)
        return special or f"^{prefix}_[0-9A-HJKMNP-TV-Z]{{10,26}}$"

    def id_example(self, prefix: str, seed: str = "") -> str:
        """A documented example id, or a ULID-like id derived from a hash of the seed."""
        if not seed and prefix in self.data["idExamples"]:
            return str(self.data["idExamples"][prefix])
        n = int.from_bytes(hashlib.sha256((prefix + seed).encode()).digest(), "big")
        tail = "".join("0123456789ABCDEFGHJKMNPQRSTVWXYZ"[(n >> (5 * i)) & 31] for i in range(23))
        return f"{prefix}_01H{tail}"

    def ok(
        self, description: str, schema: Json | None = None, example: Any = None, **more: Json
    ) -> Json:
        """A success response with the rate-limit headers (and `more` headers)."""
        names = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
        headers = {name: _ref("headers", name) for name in names} | dict(more)
        response: Json = {"description": description, "headers": headers}
        if schema is not None:
            media: Json = {"schema": schema}
            if example is not None:
                media["example"] = example
            response["content"] = {"application/json": media}
        return response

    def errors(self, kind: str) -> Json:
        names = self.data["errorResponses"]
        return {
            str(code): _ref("responses", names[str(code)]) for code in self.data["errors"][kind]
        }


@dataclass(frozen=True)
class _Field:
    """One field of a resource, from "name[!][~]:type[:arg][=example]"."""

    name: str
    kind: str
    arg: str
    required: bool
    read_only: bool
    schema: Json
    example: Any  # as the server shows it
    sent: Any  # as a client sends it: no nested readOnly members


def _field(rules: _Rules, spec: str, ctx: str) -> _Field:
    left, has_example, text = spec.partition("=")
    flagged, _, rest = left.partition(":")
    name = flagged.rstrip("!~")
    flags = flagged[len(name) :]
    kind, _, arg = rest.partition(":")
    kind = kind or "str"
    schema, example = _field_type(rules, name, kind, arg, ctx)
    if has_example:
        example = _parse_example(rules, kind, text)
    drop = rules.data["fieldTypes"].get(kind, {}).get("readOnlyItems", ())
    sent = example
    if drop and isinstance(example, list):
        sent = [{k: v for k, v in item.items() if k not in drop} for item in example]
    if "$ref" in schema and "~" in flags:
        raise ValueError(f"{ctx}: {name}: a {kind} field cannot be readOnly")
    if "$ref" not in schema:
        described = (
            {} if "description" in schema else {"description": _describe(rules, name, kind, arg)}
        )
        schema = described | schema | ({"readOnly": True} if "~" in flags else {})
        schema["example"] = sent  # a property's example is what a client sends
    return _Field(name, kind, arg, "!" in flags, "~" in flags, schema, example, sent)


def _field_type(rules: _Rules, name: str, kind: str, arg: str, ctx: str) -> tuple[Json, Any]:
    """(schema, default example) of a field type."""
    if kind == "enum":
        values = arg.split("|")
        return {"type": "string", "enum": values}, values[0]
    if kind in ("ref", "refs"):
        if arg not in rules.labels:
            raise ValueError(f"{ctx}: {name}: no resource has the id prefix {arg!r}")
        item = {"type": "string", "pattern": rules.id_pattern(arg)}
        if kind == "ref":
            return item, rules.id_example(arg)
        return {"type": "array", "uniqueItems": True, "items": item}, [rules.id_example(arg)]
    entry = rules.data["fieldTypes"].get(kind)
    if entry is None:
        raise ValueError(f"{ctx}: {name}: unknown field type {kind!r}")
    example = copy.deepcopy(entry["example"])
    named = rules.data.get(entry.get("named", ""), {})
    if name in named:
        example = named[name]
    elif isinstance(example, str):
        seed = "https://api.ecosire.com/demo/" + ctx + "/" + name
        example = example.format(
            words=_human(name),
            camel=_camel(name),
            code=name.upper()[:3],
            ctx=ctx,
            uuid=str(uuid.uuid5(uuid.NAMESPACE_URL, seed)),
        )
    return copy.deepcopy(entry["schema"]), example


def _parse_example(rules: _Rules, kind: str, text: str) -> Any:
    how = rules.data["fieldTypes"].get(kind, {}).get("parse")
    if kind == "refs":
        return [rules.id_example(prefix) for prefix in text.split(",")]
    readers: dict[str, Any] = {
        "float": float,
        "int": int,
        "bool": lambda t: t == "true",
        "list": lambda t: t.split(","),
        "json": json.loads,
    }
    return readers[how](text) if how else text


def _describe(rules: _Rules, name: str, kind: str, arg: str) -> str:
    if name in rules.data["descriptions"]:
        return str(rules.data["descriptions"][name])
    if kind == "ref":
        base, label = _human(name.removesuffix("Id")), rules.labels[arg]
        return f"ID of the {base}." if base == label else f"ID of the {base} ({label})."
    if kind == "refs":
        return f"IDs of the {_human(name.removesuffix('Ids'))}s."
    return _human(name).capitalize() + "."


def _object(fields: list[_Field], *, all_optional: bool = False) -> Json:
    required = [f.name for f in fields if f.required and not all_optional]
    return (
        {"type": "object"}
        | ({"required": required} if required else {})
        | {"properties": {f.name: f.schema for f in fields}}
    )


# -- one resource: its schemas and operations ---------------------------------------------------
@dataclass(frozen=True)
class _Resource:
    """A row of a `resources` table, with what its schemas and operations share."""

    rules: _Rules
    module: str
    row: Mapping[str, Any]
    name: str  # the record's schema name
    base: str  # /module/path
    item: str  # /module/path/{pathId}
    label: str
    plural: str
    statuses: list[str]
    fields: list[_Field]
    example: Json
    param: Json  # the {pathId} parameter

    @property
    def admin(self) -> bool:
        """Whether writes need the admin scope."""
        return self.module in self.rules.data["adminModules"]

    @property
    def note(self) -> str:
        """Said in the description of every write."""
        return " Requires the `admin` scope." if self.admin else ""

    @property
    def a_label(self) -> str:
        return _article(self.label)

    def op(
        self,
        name: str,
        summary: str,
        text: str,
        responses: Json,
        params: list[Json] | None = None,
        body: Json | None = None,
        write: bool = False,
    ) -> Json:
        """One operation; a write needs the read-write scope, or admin in an admin module."""
        path = self.row["path"]
        op_base = _camel(self.module) + ("" if path == self.module else _pascal(path))
        op: Json = {"tags": [self.module], "summary": summary, "description": text}
        op["operationId"] = op_base + name
        if params:
            op["parameters"] = params
        if body is not None:
            op["requestBody"] = body
        op["responses"] = responses
        if write and self.admin:
            op["security"] = copy.deepcopy(self.rules.data["adminSecurity"])
        op["x-ratelimit"] = dict(self.rules.data["rateLimit"])
        op["x-api-key-scope"] = ("admin" if self.admin else "read-write") if write else "read-only"
        return op

    def page(self, description: str) -> Json:
        """A success response holding a page of records (the example's one)."""
        meta = {"page": 1, "limit": 20, "total": 1, "totalPages": 1}
        listed = {"data": [self.example], "meta": meta}
        return self.rules.ok(description, _ref("schemas", self.name + "List"), listed)


def _resource(rules: _Rules, module: str, schema_prefix: str, row: Mapping[str, Any]) -> _Resource:
    path, singular, prefix = row["path"], row["singular"], row["prefix"]
    base = f"/{module}" if path == module else f"/{module}/{path}"
    fields = [_field(rules, spec, f"{module}/{path}") for spec in row["fields"]]
    if len({f.name for f in fields}) != len(fields):
        raise ValueError(f"{module}/{path}: a field is declared twice")
    statuses = list(row["statuses"])
    label = row.get("label") or _human(singular)
    example = {"id": rules.id_example(prefix)} | {f.name: f.example for f in fields}
    example |= {"status": statuses[0]}
    example |= {"createdAt": rules.data["createdAt"], "updatedAt": rules.data["updatedAt"]}
    pid = _camel(singular) + "Id"
    param = {
        "name": pid,
        "in": "path",
        "required": True,
        "description": f"ID of the {label} (`{prefix}_` followed by a ULID).",
        "schema": {"type": "string", "pattern": rules.id_pattern(prefix)},
        "example": rules.id_example(prefix),
    }
    return _Resource(
        rules=rules,
        module=module,
        row=row,
        name=row.get("schema") or schema_prefix + _pascal(singular),
        base=base,
        item=f"{base}/{{{pid}}}",
        label=label,
        plural=row.get("plural") or _human(path),
        statuses=statuses,
        fields=fields,
        example=example,
        param=param,
    )


def _record_schemas(res: _Resource) -> Json:
    """The record, its Create and Update bodies and its List page."""
    prefix, ops = res.row["prefix"], res.row.get("operations", "lgcuds")
    props: Json = {
        "id": {
            "description": f"Unique identifier: `{prefix}_` followed by a ULID.",
            "type": "string",
            "pattern": res.rules.id_pattern(prefix),
            "readOnly": True,
            "example": res.example["id"],
        }
    }
    props |= {f.name: f.schema for f in res.fields}
    props["status"] = {
        "description": f"Lifecycle status of the {res.label}; changed by the actions, "
        "not by PATCH.",
        "type": "string",
        "enum": res.statuses,
        "readOnly": True,
        "example": res.statuses[0],
    }
    for stamp in ("createdAt", "updatedAt"):
        props[stamp] = {
            "description": res.rules.data["descriptions"][stamp],
            "type": "string",
            "format": "date-time",
            "readOnly": True,
            "example": res.example[stamp],
        }
    required = ["id", *(f.name for f in res.fields if f.required), "status"]
    record = {"description": res.row.get("description") or f"A {res.label}.", "type": "object"}
    record |= {"required": [*required, "createdAt", "updatedAt"], "properties": props}
    schemas: Json = {res.name: record | {"example": res.example}}
    writable = [f for f in res.fields if not f.read_only]
    if "c" in ops:
        schemas[res.name + "Create"] = {
            "description": f"A new {res.label}; server-computed fields are omitted.",
            **_object(writable),
            "example": {f.name: f.sent for f in writable},
        }
    if "u" in ops:
        linked = ("ref", "refs", "lines", "jlines", "signers", "answers")
        picks = [f for f in writable if f.kind not in linked][:2] or writable[:1]
        schemas[res.name + "Update"] = {
            "description": f"Fields of the {res.label} to change; omitted fields keep their value.",
            "type": "object",
            "minProperties": 1,
            "properties": _object(writable, all_optional=True)["properties"],
            "example": {f.name: f.example for f in picks},
        }
    page = {"data": {"type": "array", "items": _ref("schemas", res.name)}}
    schemas[res.name + "List"] = {
        "description": f"A page of {res.plural}.",
        "type": "object",
        "required": ["data", "meta"],
        "properties": page | {"meta": _ref("schemas", "PageMeta")},
    }
    return schemas


def _body(schema: Json, example: Any, required: bool = True) -> Json:
    media = {"schema": schema, "example": example}
    return {"required": required, "content": {"application/json": media}}


def _list(res: _Resource, schemas: Json) -> Json:
    status = {
        "name": "status",
        "in": "query",
        "required": False,
        "description": f"Only {res.plural} in this status.",
        "schema": {"type": "string", "enum": res.statuses},
    }
    by_link = [
        {
            "name": f.name,
            "in": "query",
            "required": False,
            "description": f"Only {res.plural} of this {_human(f.name[:-2])}.",
            "schema": {"type": "string", "pattern": res.rules.id_pattern(f.arg)},
        }
        for f in res.fields
        if f.kind == "ref"
    ][:2]
    paging = [_ref("parameters", p) for p in ("page", "limit", "sort", "q")]
    dates = [_ref("parameters", p) for p in ("createdAfter", "createdBefore")]
    text = (
        f"Returns {res.plural} page by page, newest first unless `sort` says otherwise. "
        "Filter by `status`, or search by text with `q`."
    )
    responses = {"200": res.page(f"A page of {res.plural}.")} | res.rules.errors("list")
    params = [*paging, status, *by_link, *dates]
    return res.op("List", f"List {res.plural}", text, responses, params)


def _create(res: _Resource, schemas: Json) -> Json:
    text = (
        f"Creates {res.a_label} in the `{res.statuses[0]}` status. Server-computed fields (id, "
        f"references, totals, timestamps) are ignored if sent.{res.note}"
    )
    location = _ref("headers", "Location")
    created = res.rules.ok(
        f"The created {res.label}.", _ref("schemas", res.name), res.example, Location=location
    )
    body = _body(_ref("schemas", res.name + "Create"), schemas[res.name + "Create"]["example"])
    responses = {"201": created} | res.rules.errors("create")
    idempotency = [_ref("parameters", "IdempotencyKey")]
    return res.op("Create", f"Create {res.a_label}", text, responses, idempotency, body, True)


def _get(res: _Resource, schemas: Json) -> Json:
    found = res.rules.ok(f"The {res.label}.", _ref("schemas", res.name), res.example)
    responses = {"200": found} | res.rules.errors("get")
    text = f"Returns one {res.label} by id."
    return res.op("Get", f"Get {res.a_label}", text, responses, [res.param])


def _update(res: _Resource, schemas: Json) -> Json:
    change = schemas[res.name + "Update"]["example"]
    record = _ref("schemas", res.name)
    responses = {"200": res.rules.ok(f"The updated {res.label}.", record, res.example | change)}
    responses |= res.rules.errors("update")
    text = "Changes the fields sent; omitted fields keep their value." + res.note
    body = _body(_ref("schemas", res.name + "Update"), change)
    return res.op("Update", f"Update {res.a_label}", text, responses, [res.param], body, True)


def _delete(res: _Resource, schemas: Json) -> Json:
    first = res.statuses[0]
    text = f"Deletes the {res.label} permanently."
    if first in ("draft", "new", "pending"):
        text += f" Only {res.plural} in the `{first}` status can be deleted; others answer 409."
    responses = {"204": res.rules.ok("Deleted.")} | res.rules.errors("delete")
    return res.op(
        "Delete", f"Delete {res.a_label}", text + res.note, responses, [res.param], write=True
    )


def _search(res: _Resource, schemas: Json) -> Json:
    named = (f for f in res.fields if f.kind in ("name", "str") and isinstance(f.example, str))
    first = next(named, None)
    query = {
        "q": first.example.split()[0] if first else res.statuses[0],
        "filters": [{"field": "status", "op": "in", "value": res.statuses[:2]}],
        "sort": "-createdAt",
        "page": 1,
        "limit": 20,
    }
    text = f"Searches {res.plural} with structured filters (AND-ed); same paging as the list."
    responses = {"200": res.page(f"Matching {res.plural}.")} | res.rules.errors("search")
    body = _body(_ref("schemas", "SearchRequest"), query)
    return res.op("Search", f"Search {res.plural}", text, responses, body=body)


def _crud(res: _Resource, schemas: Json) -> list[tuple[str, str, Json]]:
    """(path, method, operation) of the operations the row asks for, in this order:
    l(ist), c(reate), g(et), u(pdate), d(elete), s(earch)."""
    makers = {
        "l": (res.base, "get", _list),
        "c": (res.base, "post", _create),
        "g": (res.item, "get", _get),
        "u": (res.item, "patch", _update),
        "d": (res.item, "delete", _delete),
        "s": (res.base + "/search", "post", _search),
    }
    wanted = res.row.get("operations", "lgcuds")
    return [
        (path, method, make(res, schemas))
        for key, (path, method, make) in makers.items()
        if key in wanted
    ]


def _actions(res: _Resource, schemas: Json) -> list[tuple[str, str, Json]]:
    """(path, method, operation) of each action; a body schema goes into `schemas`."""
    words = {"a": res.a_label, "the": "the " + res.label, "label": res.label, "plural": res.plural}
    out: list[tuple[str, str, Json]] = []
    for entry in res.row.get("actions", ()):
        slug, key = next(iter(entry.items())) if isinstance(entry, Mapping) else (entry, entry)
        action = res.rules.data["actions"][key]
        summary = action["summary"].format(**words)
        text = action["description"].format(**words) + res.note
        body = None
        if action.get("body"):
            name = f"{res.name}{_pascal(slug)}Request"
            ctx = f"{res.module}/{res.row['path']}/{slug}"
            fields = [_field(res.rules, spec, ctx) for spec in action["body"]]
            schemas[name] = _object(fields)
            example = {f.name: f.example for f in fields}
            body = _body(_ref("schemas", name), example, bool(action.get("bodyRequired")))
        answer = action.get("answer", 200)
        if answer == "collection":  # on the whole collection, answered by a background job
            job = res.rules.components["schemas"]["AsyncJob"]["example"]
            ok = res.rules.ok("The background job.", _ref("schemas", "AsyncJob"), job)
            responses = {"200": ok} | res.rules.errors("collection-action")
            op = res.op(_pascal(slug), summary, text, responses, None, body, slug != "export")
            out.append((f"{res.base}/{slug}", "post", op))
            continue
        result = dict(res.example)
        if action.get("status") in res.statuses:
            result["status"] = action["status"]
        more = {}
        if answer == 201:  # a new record: a copy
            result |= {
                "id": res.rules.id_example(res.row["prefix"], "copy"),
                "status": res.statuses[0],
            }
            more = {"Location": _ref("headers", "Location")}
        said = f"The {'new' if answer == 201 else 'updated'} {res.label}."
        ok = res.rules.ok(said, _ref("schemas", res.name), result, **more)
        responses = {str(answer): ok} | res.rules.errors("action")
        op = res.op(_pascal(slug), summary, text, responses, [res.param], body, True)
        out.append((f"{res.item}/{slug}", "post", op))
    return out


# -- the document -------------------------------------------------------------------------------
def _module(rules: _Rules, name: str, source: Mapping[str, Any]) -> tuple[Json, Json]:
    """(paths, schemas) of one module: its hand-written ones, then its resources'."""
    paths: Json = dict(source.get("paths") or {})
    schemas: Json = dict(source.get("schemas") or {})
    prefix = source.get("schemaPrefix", _pascal(name))
    for row in source.get("resources") or ():
        res = _resource(rules, name, prefix, row)
        made = _record_schemas(res)
        for path, method, op in _crud(res, made) + _actions(res, made):
            if method in paths.setdefault(path, {}):
                raise ValueError(f"{name}: {method.upper()} {path} is declared twice")
            paths[path][method] = op
        _add(schemas, made, name)
    return paths, schemas


def _add(into: Json, new: Mapping[str, Any], where: str) -> None:
    """Add members that must not be there yet (schema names, paths)."""
    twice = set(into) & set(new)
    if twice:
        raise ValueError(f"{where}: declared twice: {', '.join(sorted(twice))}")
    into.update(new)


def _labels(data: Mapping[str, Any], modules: list[Mapping[str, Any]]) -> dict[str, str]:
    """The label of every id prefix: the declared ones, then each resource's own."""
    labels = dict(data["prefixLabels"])
    for source in modules:
        for row in source.get("resources") or ():
            labels.setdefault(row["prefix"], row.get("label") or _human(row["singular"]))
    return labels


def assemble(root: Path | None = None) -> Json:
    """The demo document, from the sources in `root`/src (default: this checkout's)."""
    src = (root or source_dir()) / "src"
    doc: Json = _read(src / "document.yaml")
    components: Json = _read(src / "components.yaml")
    events: Json = _read(src / "events.yaml")
    described: dict[str, str] = _read(src / "modules.yaml")
    sources = {name: _read(src / "modules" / f"{name}.yaml") or {} for name in described}
    data = _read(src / "resources.yaml")
    rules = _Rules(data, _labels(data, list(sources.values())), components)
    order = [name for group in doc["x-tagGroups"] for name in group["tags"]]
    if sorted(order) != sorted(described):
        raise ValueError("x-tagGroups must name every module of modules.yaml exactly once")
    schemas: Json = components["schemas"]
    by_module: dict[str, Json] = {}
    for name, source in sources.items():
        by_module[name], made = _module(rules, name, source)
        _add(schemas, made, f"modules/{name}.yaml")
    _add(schemas, events["schemas"], "events.yaml")
    paths: Json = {}
    for name in order:
        _add(paths, by_module[name], f"modules/{name}.yaml")
    ids = [op["operationId"] for item in paths.values() for op in item.values()]
    ids += [item["post"]["operationId"] for item in events["events"].values()]
    if len(ids) != len(set(ids)):
        raise ValueError("an operationId is used twice")
    doc["tags"] = [{"name": name, "description": described[name]} for name in order]
    doc["paths"] = paths
    doc["components"] = components
    doc["x-webhooks"] = events["events"]
    return doc


def render(doc: Json) -> bytes:
    """The committed form: JSON indented by one space, UTF-8, a final newline."""
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    """Write the document (to resources/ecosire/openapi.json, or the path given)."""
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else source_dir() / "openapi.json"
    if not (source_dir() / "src").is_dir():
        print("demo_build: the demo's sources are in the checkout, not installed", file=sys.stderr)
        return 2
    try:
        data = render(assemble())
    except (ExplorerError, ValueError, KeyError) as exc:
        print(f"demo_build: {exc}", file=sys.stderr)
        return 2
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    print(f"wrote {out}: {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
