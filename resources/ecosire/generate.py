#!/usr/bin/env python3
# ruff: noqa: E501  (prose descriptions and example payloads are kept on one line)
"""Generate the bundled ECOSIRE demo OpenAPI document.

    python resources/ecosire/generate.py [OUTPUT_PATH]

Writes ``resources/ecosire/openapi.json`` (or OUTPUT_PATH): an OpenAPI 3.0.3
document modelled on the public facts of the ECOSIRE API (57 modules, 818+
operations).  The hand-written modules (auth, contacts, support, crm capture,
ecosire-ai, licenses, newsletter, api-keys, webhooks, health) follow the
documentation closely; the other ERP modules are generated from the compact
resource tables below (``CRM_RESOURCES`` and ``GENERATED_MODULES``), whose
fields use a small DSL: ``"name[!][~]:type[:arg][=example]"`` (``!`` required,
``~`` readOnly).

Standard library only and fully deterministic: ids are derived from SHA-256
of fixed seeds, dicts keep insertion order, and running the script twice
produces the same bytes.

Vendor extensions used:
  x-ratelimit      {"limit": N, "window": 60} on every operation
  x-api-key-scope  minimal API-key scope of an authenticated operation
  x-signature      {"scheme", "header", "secret"} on every x-webhooks operation
  x-key-pattern    regex of an API key on the apiKey security scheme
  x-pkce           true on the oauth2 scheme
  x-tagGroups      tag groups (Redoc style) at the root
  x-webhooks       webhook events (OpenAPI 3.1 ``webhooks`` shape) at the root
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import sys
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "openapi.json"

# --------------------------------------------------------------------------
# Small deterministic helpers
# --------------------------------------------------------------------------

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ULID_CHARS = "[0-9A-HJKMNP-TV-Z]"
SPECIAL_ID_PATTERNS = {
    # Documented example ids are shorter / not Crockford (prd_01HODOOCRM, usr_01HXYZ).
    "usr": "^usr_[0-9A-Z]{4,26}$",
    "prd": "^prd_[0-9A-Z]{6,26}$",
}
SPECIAL_ID_EXAMPLES = {
    "usr": "usr_01HXYZ",
    "prd": "prd_01HODOOCRM",
    "con": "con_01HV8Z3K4M5N6P7Q8R9S0T1V2W",
}

CREATED_AT = "2024-03-21T09:30:00Z"
UPDATED_AT = "2024-03-22T14:05:00Z"
TODAY = "2024-03-21"


def ulid(seed: str) -> str:
    """A ULID-looking 26 character Crockford string derived from *seed*."""
    n = int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest(), "big")
    out = []
    for _ in range(23):
        out.append(CROCKFORD[n & 31])
        n >>= 5
    return "01H" + "".join(out)


def id_pattern(prefix: str) -> str:
    return SPECIAL_ID_PATTERNS.get(prefix, f"^{prefix}_{ULID_CHARS}{{10,26}}$")


def id_example(prefix: str, seed: str = "") -> str:
    if prefix in SPECIAL_ID_EXAMPLES and not seed:
        return SPECIAL_ID_EXAMPLES[prefix]
    return f"{prefix}_{ulid(prefix + seed)}"


def det_uuid(seed: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "https://api.ecosire.com/demo/" + seed))


def words(name: str) -> list[str]:
    """Split camelCase / kebab-case / snake_case into lower-case words."""
    name = name.replace("-", " ").replace("_", " ")
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [w.lower() for w in name.split()]


def camel(name: str) -> str:
    ws = words(name)
    return ws[0] + "".join(w.capitalize() for w in ws[1:])


def pascal(name: str) -> str:
    return "".join(w.capitalize() for w in words(name))


def human(name: str) -> str:
    return " ".join(words(name))


def article(label: str) -> str:
    first = label.split()[0]
    if first.isupper() and first[0] in "AEFHILMNORSX":  # acronyms: an SLA, an SMS, an HR...
        return "an " + label
    return ("an " if label[0].lower() in "aeiou" else "a ") + label


def ref(kind: str, name: str) -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def sref(name: str) -> dict:
    return ref("schemas", name)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def demo_jwt() -> str:
    header = {"alg": "HS256", "typ": "JWT"}
    payload = {
        "sub": "usr_01HXYZ",
        "email": "demo@ecosire.com",
        "name": "Demo User",
        "role": "admin",
        "iat": 1711013400,
        "exp": 1711099800,
    }
    signing_input = (
        b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + b64url(json.dumps(payload, separators=(",", ":")).encode())
    )
    sig = hmac.new(b"ecosire-demo-jwt-secret", signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64url(sig)


def api_key_example(env: str, seed: str) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    digest = hashlib.sha256(seed.encode()).digest()
    return f"ecos_{env}_" + "".join(alphabet[b % len(alphabet)] for b in digest[:32])


JWT_EXAMPLE = demo_jwt()
JWT_PATTERN = r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$"
API_KEY_PATTERN = "^ecos_(live|test)_[A-Za-z0-9]{32}$"

# --------------------------------------------------------------------------
# Document state
# --------------------------------------------------------------------------

SCHEMAS: dict[str, dict] = {}
MODULE_PATHS: dict[str, dict[str, dict]] = {}
ID_PREFIX_LABEL: dict[str, str] = {}


def add_schema(name: str, schema: dict) -> dict:
    assert name not in SCHEMAS, f"duplicate schema {name}"
    SCHEMAS[name] = schema
    return sref(name)


def add_op(module: str, path: str, method: str, op: dict) -> None:
    paths = MODULE_PATHS.setdefault(module, {})
    item = paths.setdefault(path, {})
    assert method not in item, f"duplicate {method} {path}"
    item[method] = op


RL_HEADERS = {
    "X-RateLimit-Limit": ref("headers", "X-RateLimit-Limit"),
    "X-RateLimit-Remaining": ref("headers", "X-RateLimit-Remaining"),
    "X-RateLimit-Reset": ref("headers", "X-RateLimit-Reset"),
}

ERROR_REFS = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
    422: "ValidationFailed",
    429: "TooManyRequests",
    500: "InternalError",
}

ERRORS_BY_KIND = {
    "list": (400, 401, 403, 422, 429, 500),
    "get": (401, 403, 404, 429, 500),
    "create": (400, 401, 403, 409, 422, 429, 500),
    "update": (400, 401, 403, 404, 409, 422, 429, 500),
    "delete": (401, 403, 404, 409, 429, 500),
    "search": (400, 401, 403, 422, 429, 500),
    "action": (400, 401, 403, 404, 409, 422, 429, 500),
    "collection-action": (400, 401, 403, 422, 429, 500),
}


def ok(
    description: str,
    schema: dict | None = None,
    example=None,
    *,
    media: str = "application/json",
    headers: dict | None = None,
) -> dict:
    r: dict = {"description": description, "headers": dict(RL_HEADERS)}
    if headers:
        r["headers"].update(headers)
    if schema is not None:
        mt: dict = {"schema": schema}
        if example is not None:
            mt["example"] = example
        r["content"] = {media: mt}
    return r


def json_body(
    schema: dict,
    example=None,
    *,
    required: bool = True,
    description: str | None = None,
    media: str = "application/json",
) -> dict:
    mt: dict = {"schema": schema}
    if example is not None:
        mt["example"] = example
    body: dict = {}
    if description:
        body["description"] = description
    body["required"] = required
    body["content"] = {media: mt}
    return body


def errors(codes, *, public: bool = False, overrides: dict | None = None) -> dict:
    out = {}
    for code in codes:
        if public and code in (401, 403):
            continue
        if overrides and code in overrides:
            out[str(code)] = overrides[code]
        else:
            out[str(code)] = ref("responses", ERROR_REFS[code])
    return out


def problem_response(description: str, status: int, error: str, message: str, details=None) -> dict:
    ex = {"statusCode": status, "error": error, "message": message}
    if details is not None:
        ex["details"] = details
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": sref("Problem"), "example": ex}},
    }


def operation(
    module: str,
    op_id: str,
    summary: str,
    description: str,
    *,
    params=None,
    body=None,
    responses: dict,
    public: bool = False,
    limit: int | None = None,
    scope: str | None = None,
    security: list | None = None,
) -> dict:
    op: dict = {
        "tags": [module],
        "summary": summary,
        "description": description,
        "operationId": op_id,
    }
    if params:
        op["parameters"] = list(params)
    if body is not None:
        op["requestBody"] = body
    op["responses"] = responses
    if public:
        op["security"] = []
    elif security is not None:
        op["security"] = security
    op["x-ratelimit"] = {
        "limit": limit if limit is not None else (60 if public else 100),
        "window": 60,
    }
    if not public and scope:
        op["x-api-key-scope"] = scope
    return op


def path_param(name: str, prefix: str, label: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": f"ID of the {label} (`{prefix}_` followed by a ULID).",
        "schema": {"type": "string", "pattern": id_pattern(prefix)},
        "example": id_example(prefix),
    }


PAGING = [
    ref("parameters", "page"),
    ref("parameters", "limit"),
    ref("parameters", "sort"),
    ref("parameters", "q"),
]
CREATED_RANGE = [ref("parameters", "createdAfter"), ref("parameters", "createdBefore")]
IDEMPOTENCY = ref("parameters", "IdempotencyKey")


def page_meta(total: int = 1) -> dict:
    return {"page": 1, "limit": 20, "total": total, "totalPages": 1}


# --------------------------------------------------------------------------
# Field DSL:  "name[!][~]:type[:arg][=example]"
#   !  required          ~  readOnly (server computed)
# --------------------------------------------------------------------------

LINES_EXAMPLE = [
    {
        "lineId": "lin_01HV3N5Q7R9T1V3X5Z7B9D1F3H",
        "productId": "prd_01HODOOCRM",
        "description": "Odoo CRM Connector, annual license",
        "quantity": 1.0,
        "unitPrice": 249.0,
        "discount": 0.0,
        "taxRate": 15.0,
        "subtotal": 249.0,
    },
    {
        "lineId": "lin_01HV3N5Q7R9T1V3X5Z7B9D1F3J",
        "productId": "prd_01HODOOSVC",
        "description": "Implementation services (hours)",
        "quantity": 10.0,
        "unitPrice": 95.0,
        "discount": 0.0,
        "taxRate": 15.0,
        "subtotal": 950.0,
    },
]
JOURNAL_LINES_EXAMPLE = [
    {
        "accountId": id_example("acc", "receivable"),
        "label": "Invoice INV/2024/0042",
        "debit": 1378.85,
        "credit": 0.0,
        "partnerId": id_example("con"),
    },
    {
        "accountId": id_example("acc", "income"),
        "label": "Product sales",
        "debit": 0.0,
        "credit": 1199.0,
        "partnerId": id_example("con"),
    },
    {
        "accountId": id_example("acc", "tax"),
        "label": "VAT 15%",
        "debit": 0.0,
        "credit": 179.85,
        "partnerId": id_example("con"),
    },
]
SIGNERS_EXAMPLE = [
    {
        "name": "Jane Doe",
        "email": "jane.doe@example.com",
        "role": "customer",
        "order": 1,
        "status": "pending",
    },
    {
        "name": "Omar Khan",
        "email": "omar.khan@ecosire.com",
        "role": "company",
        "order": 2,
        "status": "pending",
    },
]
ANSWERS_EXAMPLE = [
    {"questionId": "q1", "value": "Very satisfied"},
    {"questionId": "q2", "value": 9},
]
ADDRESS_EXAMPLE = {
    "street": "Friedrichstrasse 68",
    "street2": "3rd floor",
    "city": "Berlin",
    "postalCode": "10117",
    "state": "Berlin",
    "country": "DE",
}

MONEY_EXAMPLES = {
    "amountUntaxed": 1199.0,
    "amountTax": 179.85,
    "amountTotal": 1378.85,
    "amountDue": 1378.85,
    "grossAmount": 5200.0,
    "netAmount": 3890.5,
    "deductions": 1309.5,
    "totalNet": 48630.0,
    "balance": 12840.5,
    "balanceStart": 10250.0,
    "balanceEnd": 12840.5,
    "cost": 180.0,
    "listPrice": 249.0,
    "salaryMin": 55000.0,
    "salaryMax": 72000.0,
    "wage": 4800.0,
    "openingCash": 200.0,
    "closingCash": 1450.0,
    "totalSales": 1250.0,
    "deposit": 150.0,
    "expectedRevenue": 12000.0,
    "budget": 25000.0,
    "totalAmount": 412.6,
    "totalCost": 98.4,
    "pricePerLiter": 1.82,
    "expectedSalary": 65000.0,
    "costPerHour": 45.0,
    "claimAmount": 320.0,
}

STRING_EXAMPLES = {
    "description": "Prepared from the customer's request of 21 March.",
    "notes": "Customer prefers delivery before noon.",
    "narration": "Monthly revenue recognition",
    "reason": "Customer changed the order quantity.",
    "message": "Please find the document attached.",
    "sku": "ODOO-CRM-ANNUAL",
    "barcode": "4006381333931",
    "location": "Berlin office, room 3.14",
    "venue": "Estrel Congress Center",
    "model": "Atlas Copco GA 30",
    "serialNumber": "SN-7Q2K-88412",
    "timezone": "Europe/Berlin",
    "locale": "en-US",
    "jobTitle": "Head of Operations",
    "company": "Acme Corporation",
    "contactName": "Jane Doe",
    "symbol": "$",
    "userAgent": "EcosireSDK/2.4.0 node/20.11.1",
}

DESCRIPTIONS = {
    "amountUntaxed": "Total before taxes, computed from the lines.",
    "amountTax": "Sum of the taxes, computed from the lines.",
    "amountTotal": "Total including taxes, computed from the lines.",
    "amountDue": "Amount still to be paid.",
    "currency": "ISO 4217 currency code.",
    "lines": "Document lines (products, quantities, prices).",
    "tags": "Free-form labels used for filtering.",
    "notes": "Internal notes, never shown to the customer.",
    "reference": "Human-readable reference, assigned by the server from the numbering sequence.",
    "number": "Document number, assigned by the server when the document is posted.",
    "address": "Postal address.",
    "createdAt": "When the record was created.",
    "updatedAt": "When the record was last changed.",
}

NUMERIC_TYPES = {"money", "qty", "percent", "rate", "amount"}
INTEGER_TYPES = {"int", "cents", "rating", "minutes"}


def field_schema(name: str, t: str, arg: str, ctx: str) -> tuple[dict, object]:
    """Return (schema, default example) for a DSL field type."""
    if t in ("str", "name"):
        s = (
            {"type": "string", "minLength": 1, "maxLength": 255}
            if t == "name"
            else {"type": "string", "maxLength": 255}
        )
        return s, STRING_EXAMPLES.get(name, f"Sample {human(name)}")
    if t == "text":
        return {"type": "string", "maxLength": 10000}, STRING_EXAMPLES.get(
            name, f"Sample {human(name)} text."
        )
    if t == "md":
        return (
            {"type": "string", "maxLength": 100000, "description": "Markdown."},
            "## Overview\n\nThis article explains the feature step by step.",
        )
    if t == "code":
        return {"type": "string", "maxLength": 64}, f"{name.upper()[:3]}-0001"
    if t == "email":
        return {"type": "string", "format": "email", "maxLength": 254}, "jane.doe@example.com"
    if t == "phone":
        return (
            {
                "type": "string",
                "pattern": r"^\+[1-9][0-9]{6,14}$",
                "description": "E.164 phone number.",
            },
            "+4930901820",
        )
    if t == "uri":
        return {
            "type": "string",
            "format": "uri",
            "maxLength": 2048,
        }, f"https://files.ecosire.com/{ctx}/{camel(name)}"
    if t == "uuid":
        return {"type": "string", "format": "uuid"}, det_uuid(ctx + "/" + name)
    if t == "date":
        return {"type": "string", "format": "date"}, TODAY
    if t == "datetime":
        return {"type": "string", "format": "date-time"}, CREATED_AT
    if t == "time":
        return (
            {
                "type": "string",
                "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
                "description": "Local time, HH:MM.",
            },
            "09:00",
        )
    if t == "money":
        return {"type": "number", "format": "double", "minimum": 0}, MONEY_EXAMPLES.get(name, 249.0)
    if t == "amount":
        return {"type": "number", "format": "double"}, MONEY_EXAMPLES.get(name, 249.0)
    if t == "cents":
        return (
            {
                "type": "integer",
                "format": "int64",
                "minimum": 0,
                "description": "Amount in the smallest currency unit (cents).",
            },
            24900,
        )
    if t == "currency":
        return sref("Currency"), "USD"
    if t == "country":
        return sref("CountryCode"), "DE"
    if t == "int":
        return {"type": "integer", "format": "int32", "minimum": 0}, 12
    if t == "minutes":
        return {"type": "integer", "format": "int32", "minimum": 1, "maximum": 1440}, 45
    if t == "rating":
        return {"type": "integer", "format": "int32", "minimum": 1, "maximum": 5}, 4
    if t == "qty":
        return {"type": "number", "format": "double", "minimum": 0}, 2.0
    if t == "percent":
        return {"type": "number", "format": "double", "minimum": 0, "maximum": 100}, 15.0
    if t == "rate":
        return {
            "type": "number",
            "format": "double",
            "exclusiveMinimum": True,
            "minimum": 0,
        }, 1.0842
    if t == "bool":
        return {"type": "boolean"}, True
    if t == "enum":
        values = arg.split("|")
        return {"type": "string", "enum": values}, values[0]
    if t == "ref":
        assert arg in ID_PREFIX_LABEL, f"no label for id prefix {arg!r}"
        return {"type": "string", "pattern": id_pattern(arg)}, id_example(arg)
    if t == "refs":
        return (
            {
                "type": "array",
                "uniqueItems": True,
                "items": {"type": "string", "pattern": id_pattern(arg)},
            },
            [id_example(arg)],
        )
    if t == "tags":
        return (
            {
                "type": "array",
                "uniqueItems": True,
                "maxItems": 50,
                "items": {"type": "string", "minLength": 1, "maxLength": 50},
            },
            ["priority", "q2-2024"],
        )
    if t == "perms":
        return (
            {
                "type": "array",
                "uniqueItems": True,
                "items": {
                    "type": "string",
                    "pattern": r"^[a-z][a-z-]*(\.[a-z][a-z-]*)*:(read|write|admin)$",
                },
            },
            ["sales.orders:write", "contacts:read"],
        )
    if t == "lines":
        return {"type": "array", "items": sref("DocumentLine")}, LINES_EXAMPLE
    if t == "jlines":
        return {"type": "array", "minItems": 2, "items": sref("JournalLine")}, JOURNAL_LINES_EXAMPLE
    if t == "signers":
        return {"type": "array", "minItems": 1, "items": sref("Signer")}, SIGNERS_EXAMPLE
    if t == "answers":
        return {"type": "array", "items": sref("SurveyAnswer")}, ANSWERS_EXAMPLE
    if t == "address":
        return sref("Address"), ADDRESS_EXAMPLE
    if t == "object":
        return {"type": "object", "additionalProperties": True}, {
            "syncInterval": "15m",
            "direction": "import",
        }
    if t == "attrs":
        return (
            {"type": "object", "additionalProperties": {"type": "string", "maxLength": 100}},
            {"edition": "Enterprise", "billing": "annual"},
        )
    if t == "color":
        return {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"}, "#2F80ED"
    if t == "ipv4":
        return {"type": "string", "format": "ipv4"}, "203.0.113.42"
    if t == "vin":
        return {"type": "string", "pattern": "^[A-HJ-NPR-Z0-9]{17}$"}, "5YJ3E1EA7KF317000"
    if t == "last4":
        return {"type": "string", "pattern": "^[0-9]{4}$"}, "4242"
    if t == "slug":
        return {
            "type": "string",
            "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
            "maxLength": 120,
        }, "getting-started"
    if t == "year":
        return {"type": "integer", "format": "int32", "minimum": 2000, "maximum": 2100}, 2027
    if t == "month":
        return {"type": "integer", "format": "int32", "minimum": 1, "maximum": 12}, 12
    raise ValueError(f"unknown field type {t!r} for {name}")


def coerce(t: str, text: str):
    if t in NUMERIC_TYPES:
        return float(text)
    if t in INTEGER_TYPES or t in ("year", "month"):
        return int(text)
    if t == "bool":
        return text == "true"
    if t in ("tags", "perms"):
        return text.split(",")
    if t in ("object", "attrs"):
        return json.loads(text)
    if t == "refs":
        return [id_example(arg) for arg in text.split(",")]
    return text


def field_description(name: str, t: str, arg: str) -> str:
    if name in DESCRIPTIONS:
        return DESCRIPTIONS[name]
    if t == "ref":
        base = human(name[:-2] if name.endswith("Id") else name)
        label = ID_PREFIX_LABEL[arg]
        return f"ID of the {base}." if base == label else f"ID of the {base} ({label})."
    if t == "refs":
        base = human(name[:-3] if name.endswith("Ids") else name)
        return f"IDs of the {base}s."
    if t == "cents":
        return f"{human(name).capitalize()}, in the smallest currency unit (cents)."
    return human(name).capitalize() + "."


READ_ONLY_NESTED = {"lines": ("lineId", "subtotal"), "signers": ("status",)}


class Field:
    __slots__ = ("arg", "example", "name", "read_only", "required", "schema", "t")

    def __init__(self, spec: str, ctx: str):
        left, eq, ex_text = spec.partition("=")
        name, _, rest = left.partition(":")
        flags = ""
        while name and name[-1] in "!~":
            flags += name[-1]
            name = name[:-1]
        t, _, arg = rest.partition(":")
        t = t or "str"
        self.name, self.t, self.arg = name, t, arg
        self.required = "!" in flags
        self.read_only = "~" in flags
        schema, example = field_schema(name, t, arg, ctx)
        if eq:
            example = coerce(t, ex_text)
        if "$ref" in schema:
            assert not self.read_only, f"readOnly $ref field {name}"
            self.schema = schema
        else:
            s = {}
            if "description" not in schema:
                s["description"] = field_description(name, t, arg)
            s.update(schema)
            if self.read_only:
                s["readOnly"] = True
            s["example"] = example
            if t in READ_ONLY_NESTED:  # property examples are what a client sends
                self.example = example
                s["example"] = write_example(self)
            self.schema = s
        self.example = example


def build_object(
    fields: list[Field], *, include_read_only: bool = True, all_optional: bool = False
) -> dict:
    props = {}
    required = []
    for f in fields:
        if f.read_only and not include_read_only:
            continue
        props[f.name] = f.schema
        if f.required and not all_optional:
            required.append(f.name)
    obj: dict = {"type": "object"}
    if required:
        obj["required"] = required
    obj["properties"] = props
    return obj


def write_example(f: Field):
    """The example of *f* as a client would send it (no nested readOnly members)."""
    drop = READ_ONLY_NESTED.get(f.t)
    if drop and isinstance(f.example, list):
        return [{k: v for k, v in item.items() if k not in drop} for item in f.example]
    return f.example


def example_of(fields: list[Field], *, include_read_only: bool = True) -> dict:
    if include_read_only:
        return {f.name: f.example for f in fields}
    return {f.name: write_example(f) for f in fields if not f.read_only}


def parse_fields(specs, ctx: str) -> list[Field]:
    fields = [Field(s, ctx) for s in specs]
    names = [f.name for f in fields]
    assert len(names) == len(set(names)), f"duplicate field in {ctx}: {names}"
    return fields


def small_schema(name: str, specs, description: str, *, example: bool = True) -> dict:
    fields = parse_fields(specs, camel(name))
    obj = {"description": description, **build_object(fields)}
    if example:
        obj["example"] = example_of(fields)
    return add_schema(name, obj)


# --------------------------------------------------------------------------
# Shared components
# --------------------------------------------------------------------------

CURRENCIES = [
    "USD",
    "EUR",
    "GBP",
    "CHF",
    "CAD",
    "AUD",
    "AED",
    "SAR",
    "PKR",
    "INR",
    "JPY",
    "CNY",
    "SGD",
    "ZAR",
]

VALIDATION_EXAMPLE = {
    "statusCode": 422,
    "error": "Unprocessable Entity",
    "message": "Validation failed",
    "details": [
        {"field": "email", "message": "Invalid email address"},
        {"field": "password", "message": "Must be at least 8 characters"},
    ],
}


def build_shared_schemas() -> None:
    add_schema(
        "Problem",
        {
            "description": (
                "Error body of every 4xx/5xx response (RFC 7807 problem details, served as "
                "`application/problem+json`). `statusCode`, `error` and `message` are always present; "
                "`details` lists field-level validation errors (422). The RFC 7807 members `type`, "
                "`title`, `status` and `instance` may also be present."
            ),
            "type": "object",
            "required": ["statusCode", "error", "message"],
            "properties": {
                "statusCode": {
                    "type": "integer",
                    "format": "int32",
                    "minimum": 400,
                    "maximum": 599,
                    "description": "HTTP status code, repeated in the body.",
                    "example": 422,
                },
                "error": {
                    "type": "string",
                    "description": "HTTP reason phrase (machine readable error class).",
                    "example": "Unprocessable Entity",
                },
                "message": {
                    "type": "string",
                    "description": "Human-readable explanation.",
                    "example": "Validation failed",
                },
                "details": {
                    "type": "array",
                    "description": "Field-level errors; `field` is a dotted path into the request body.",
                    "items": sref("ProblemDetail"),
                },
                "type": {
                    "type": "string",
                    "format": "uri",
                    "description": "RFC 7807: URI identifying the problem type.",
                    "example": "https://api.ecosire.com/problems/validation-failed",
                },
                "title": {
                    "type": "string",
                    "description": "RFC 7807: short summary of the problem type.",
                    "example": "Validation failed",
                },
                "status": {
                    "type": "integer",
                    "format": "int32",
                    "description": "RFC 7807: HTTP status code.",
                    "example": 422,
                },
                "instance": {
                    "type": "string",
                    "description": "RFC 7807: URI reference of this occurrence.",
                    "example": "/api/contacts",
                },
                "requestId": {
                    "type": "string",
                    "description": "ID of the request, quote it to support.",
                    "example": "req_01HV8Z3K4M5N6P7Q8R9S0T1V2W",
                },
            },
            "example": VALIDATION_EXAMPLE,
        },
    )
    add_schema(
        "ProblemDetail",
        {
            "type": "object",
            "required": ["field", "message"],
            "properties": {
                "field": {
                    "type": "string",
                    "description": "Dotted path of the offending field, e.g. `lines.0.quantity`.",
                    "example": "email",
                },
                "message": {
                    "type": "string",
                    "description": "What is wrong with it.",
                    "example": "Invalid email address",
                },
            },
        },
    )
    add_schema(
        "PageMeta",
        {
            "description": "Pagination metadata of a list response.",
            "type": "object",
            "required": ["page", "limit", "total", "totalPages"],
            "properties": {
                "page": {
                    "type": "integer",
                    "format": "int32",
                    "minimum": 1,
                    "description": "Current page (1-based).",
                    "example": 1,
                },
                "limit": {
                    "type": "integer",
                    "format": "int32",
                    "minimum": 1,
                    "maximum": 100,
                    "description": "Page size.",
                    "example": 20,
                },
                "total": {
                    "type": "integer",
                    "format": "int64",
                    "minimum": 0,
                    "description": "Number of matching records.",
                    "example": 1,
                },
                "totalPages": {
                    "type": "integer",
                    "format": "int32",
                    "minimum": 0,
                    "description": "Number of pages.",
                    "example": 1,
                },
            },
        },
    )
    add_schema(
        "Currency",
        {
            "description": "ISO 4217 currency code.",
            "type": "string",
            "enum": CURRENCIES,
            "example": "USD",
        },
    )
    add_schema(
        "CountryCode",
        {
            "description": "ISO 3166-1 alpha-2 country code.",
            "type": "string",
            "pattern": "^[A-Z]{2}$",
            "example": "DE",
        },
    )
    add_schema(
        "Address",
        {
            "description": "A postal address.",
            "type": "object",
            "required": ["street", "city", "country"],
            "properties": {
                "street": {"type": "string", "maxLength": 200, "example": "Friedrichstrasse 68"},
                "street2": {"type": "string", "maxLength": 200, "example": "3rd floor"},
                "city": {"type": "string", "maxLength": 100, "example": "Berlin"},
                "postalCode": {"type": "string", "maxLength": 20, "example": "10117"},
                "state": {"type": "string", "maxLength": 100, "example": "Berlin"},
                "country": sref("CountryCode"),
            },
            "example": ADDRESS_EXAMPLE,
        },
    )
    add_schema(
        "DocumentLine",
        {
            "description": "A line of a commercial document (order, invoice, bill...).",
            "type": "object",
            "required": ["productId", "quantity", "unitPrice"],
            "properties": {
                "lineId": {
                    "type": "string",
                    "pattern": id_pattern("lin"),
                    "readOnly": True,
                    "description": "ID of the line.",
                    "example": LINES_EXAMPLE[0]["lineId"],
                },
                "productId": {
                    "type": "string",
                    "pattern": id_pattern("prd"),
                    "description": "ID of the product.",
                    "example": "prd_01HODOOCRM",
                },
                "description": {
                    "type": "string",
                    "maxLength": 1000,
                    "description": "Line label; defaults to the product name.",
                    "example": LINES_EXAMPLE[0]["description"],
                },
                "quantity": {
                    "type": "number",
                    "format": "double",
                    "exclusiveMinimum": True,
                    "minimum": 0,
                    "example": 1.0,
                },
                "unitPrice": {"type": "number", "format": "double", "minimum": 0, "example": 249.0},
                "discount": {
                    "type": "number",
                    "format": "double",
                    "minimum": 0,
                    "maximum": 100,
                    "default": 0,
                    "description": "Discount in percent.",
                    "example": 0.0,
                },
                "taxRate": {
                    "type": "number",
                    "format": "double",
                    "minimum": 0,
                    "maximum": 100,
                    "description": "Tax rate in percent.",
                    "example": 15.0,
                },
                "subtotal": {
                    "type": "number",
                    "format": "double",
                    "readOnly": True,
                    "description": "quantity x unitPrice minus discount, before taxes.",
                    "example": 249.0,
                },
            },
            "example": LINES_EXAMPLE[0],
        },
    )
    add_schema(
        "JournalLine",
        {
            "description": "A journal item: one debit or credit on an account.",
            "type": "object",
            "required": ["accountId", "debit", "credit"],
            "properties": {
                "accountId": {
                    "type": "string",
                    "pattern": id_pattern("acc"),
                    "example": JOURNAL_LINES_EXAMPLE[0]["accountId"],
                },
                "label": {"type": "string", "maxLength": 255, "example": "Invoice INV/2024/0042"},
                "debit": {"type": "number", "format": "double", "minimum": 0, "example": 1378.85},
                "credit": {"type": "number", "format": "double", "minimum": 0, "example": 0.0},
                "partnerId": {
                    "type": "string",
                    "pattern": id_pattern("con"),
                    "example": id_example("con"),
                },
            },
            "example": JOURNAL_LINES_EXAMPLE[0],
        },
    )
    add_schema(
        "Signer",
        {
            "description": "A person asked to sign a document.",
            "type": "object",
            "required": ["name", "email"],
            "properties": {
                "name": {"type": "string", "maxLength": 200, "example": "Jane Doe"},
                "email": {"type": "string", "format": "email", "example": "jane.doe@example.com"},
                "role": {
                    "type": "string",
                    "enum": ["customer", "company", "witness", "approver"],
                    "example": "customer",
                },
                "order": {
                    "type": "integer",
                    "format": "int32",
                    "minimum": 1,
                    "description": "Signing order.",
                    "example": 1,
                },
                "status": {
                    "type": "string",
                    "enum": ["pending", "viewed", "signed", "declined"],
                    "readOnly": True,
                    "example": "pending",
                },
            },
            "example": SIGNERS_EXAMPLE[0],
        },
    )
    add_schema(
        "SurveyAnswer",
        {
            "description": "The answer to one survey question.",
            "type": "object",
            "required": ["questionId", "value"],
            "properties": {
                "questionId": {"type": "string", "maxLength": 64, "example": "q1"},
                "value": {
                    "description": "Text, number, boolean or list of choices.",
                    "oneOf": [
                        {"type": "string"},
                        {"type": "number"},
                        {"type": "boolean"},
                        {"type": "array", "items": {"type": "string"}},
                    ],
                    "example": "Very satisfied",
                },
            },
            "example": ANSWERS_EXAMPLE[0],
        },
    )
    add_schema(
        "SearchFilter",
        {
            "description": "One condition of a structured search.",
            "type": "object",
            "required": ["field", "op", "value"],
            "properties": {
                "field": {
                    "type": "string",
                    "description": "Property name (dotted path for nested fields).",
                    "example": "status",
                },
                "op": {
                    "type": "string",
                    "enum": [
                        "eq",
                        "ne",
                        "gt",
                        "gte",
                        "lt",
                        "lte",
                        "in",
                        "nin",
                        "contains",
                        "startsWith",
                    ],
                    "example": "eq",
                },
                "value": {
                    "description": "Value to compare with; an array for `in`/`nin`.",
                    "oneOf": [
                        {"type": "string"},
                        {"type": "number"},
                        {"type": "boolean"},
                        {
                            "type": "array",
                            "items": {"oneOf": [{"type": "string"}, {"type": "number"}]},
                        },
                    ],
                    "example": "draft",
                },
            },
        },
    )
    add_schema(
        "SearchRequest",
        {
            "description": "Body of every `POST .../search` operation. Conditions are AND-ed.",
            "type": "object",
            "properties": {
                "q": {
                    "type": "string",
                    "maxLength": 200,
                    "description": "Full-text query.",
                    "example": "acme",
                },
                "filters": {"type": "array", "maxItems": 20, "items": sref("SearchFilter")},
                "sort": {
                    "type": "string",
                    "pattern": "^-?[A-Za-z][A-Za-z0-9.]*(,-?[A-Za-z][A-Za-z0-9.]*)*$",
                    "description": "Comma-separated fields, `-` for descending.",
                    "example": "-createdAt",
                },
                "page": {
                    "type": "integer",
                    "format": "int32",
                    "minimum": 1,
                    "default": 1,
                    "example": 1,
                },
                "limit": {
                    "type": "integer",
                    "format": "int32",
                    "minimum": 1,
                    "maximum": 100,
                    "default": 20,
                    "example": 20,
                },
            },
            "example": {
                "q": "acme",
                "filters": [{"field": "status", "op": "eq", "value": "draft"}],
                "sort": "-createdAt",
                "page": 1,
                "limit": 20,
            },
        },
    )
    add_schema(
        "AsyncJob",
        {
            "description": "A background job (exports, imports, bulk operations). Poll it until `status` is final.",
            "type": "object",
            "required": ["id", "status", "createdAt"],
            "properties": {
                "id": {
                    "type": "string",
                    "pattern": id_pattern("ajb"),
                    "readOnly": True,
                    "example": id_example("ajb"),
                },
                "type": {"type": "string", "example": "export"},
                "status": {
                    "type": "string",
                    "enum": ["queued", "running", "succeeded", "failed"],
                    "example": "queued",
                },
                "progress": {
                    "type": "number",
                    "format": "double",
                    "minimum": 0,
                    "maximum": 100,
                    "example": 0.0,
                },
                "resultUrl": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "Download link once the job succeeded (valid 24 hours).",
                    "example": None,
                },
                "createdAt": {
                    "type": "string",
                    "format": "date-time",
                    "readOnly": True,
                    "example": CREATED_AT,
                },
            },
            "example": {
                "id": id_example("ajb"),
                "type": "export",
                "status": "queued",
                "progress": 0.0,
                "resultUrl": None,
                "createdAt": CREATED_AT,
            },
        },
    )
    add_schema(
        "ImportResult",
        {
            "description": "Outcome of a CSV import.",
            "type": "object",
            "required": ["imported", "updated", "skipped", "errors"],
            "properties": {
                "imported": {"type": "integer", "format": "int32", "minimum": 0, "example": 120},
                "updated": {"type": "integer", "format": "int32", "minimum": 0, "example": 14},
                "skipped": {"type": "integer", "format": "int32", "minimum": 0, "example": 2},
                "dryRun": {"type": "boolean", "example": False},
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["row", "message"],
                        "properties": {
                            "row": {"type": "integer", "format": "int32", "minimum": 1},
                            "field": {"type": "string"},
                            "message": {"type": "string"},
                        },
                    },
                },
            },
            "example": {
                "imported": 120,
                "updated": 14,
                "skipped": 2,
                "dryRun": False,
                "errors": [{"row": 37, "field": "email", "message": "Invalid email address"}],
            },
        },
    )
    add_schema(
        "User",
        {
            "description": "The user returned by login and `GET /auth/me`.",
            "type": "object",
            "required": ["id", "email", "name", "role"],
            "properties": {
                "id": {
                    "type": "string",
                    "pattern": id_pattern("usr"),
                    "readOnly": True,
                    "example": "usr_01HXYZ",
                },
                "email": {"type": "string", "format": "email", "example": "demo@ecosire.com"},
                "name": {"type": "string", "maxLength": 200, "example": "Demo User"},
                "role": {
                    "type": "string",
                    "enum": ["admin", "member", "viewer"],
                    "example": "admin",
                },
            },
            "example": {
                "id": "usr_01HXYZ",
                "email": "demo@ecosire.com",
                "name": "Demo User",
                "role": "admin",
            },
        },
    )


def build_components_common() -> dict:
    problems = {
        "BadRequest": (
            "The request is malformed (invalid JSON, wrong parameter type, unknown query parameter).",
            {
                "statusCode": 400,
                "error": "Bad Request",
                "message": "Malformed JSON in request body",
                "type": "https://api.ecosire.com/problems/bad-request",
                "instance": "/api/contacts",
            },
        ),
        "Unauthorized": (
            "Missing, invalid or expired credentials (JWT, API key or session cookie).",
            {"statusCode": 401, "error": "Unauthorized", "message": "Invalid or expired token"},
        ),
        "Forbidden": (
            "The credentials are valid but their role or API-key scope does not allow this operation.",
            {
                "statusCode": 403,
                "error": "Forbidden",
                "message": "This API key has the read-only scope; read-write is required",
            },
        ),
        "NotFound": (
            "No resource with this id exists (or it belongs to another organization).",
            {
                "statusCode": 404,
                "error": "Not Found",
                "message": "Resource not found",
                "type": "https://api.ecosire.com/problems/not-found",
                "title": "Not Found",
                "status": 404,
                "instance": "/api/contacts/con_01HV8Z3K4M5N6P7Q8R9S0T1V2W",
            },
        ),
        "Conflict": (
            "The request conflicts with the current state (duplicate, wrong lifecycle status, concurrent change).",
            {
                "statusCode": 409,
                "error": "Conflict",
                "message": "A record with this email already exists",
            },
        ),
        "ValidationFailed": (
            "The body is well-formed but fails validation; `details` lists every field error.",
            VALIDATION_EXAMPLE,
        ),
        "TooManyRequests": (
            "Rate limit exceeded. Wait `Retry-After` seconds before retrying.",
            {
                "statusCode": 429,
                "error": "Too Many Requests",
                "message": "Rate limit exceeded: 100 requests per minute. Retry in 42 seconds.",
            },
        ),
        "InternalError": (
            "Unexpected server error. Safe to retry idempotent requests with backoff.",
            {
                "statusCode": 500,
                "error": "Internal Server Error",
                "message": "An unexpected error occurred",
                "type": "about:blank",
                "title": "Internal Server Error",
                "status": 500,
                "requestId": "req_01HV8Z3K4M5N6P7Q8R9S0T1V2W",
            },
        ),
    }
    responses = {}
    for name, (desc, example) in problems.items():
        r: dict = {"description": desc}
        if name == "TooManyRequests":
            r["headers"] = {"Retry-After": ref("headers", "Retry-After"), **RL_HEADERS}
        r["content"] = {"application/problem+json": {"schema": sref("Problem"), "example": example}}
        responses[name] = r

    headers = {
        "X-RateLimit-Limit": {
            "description": "Requests allowed in the current window (60 s).",
            "schema": {"type": "integer", "format": "int32", "minimum": 0},
            "example": 100,
        },
        "X-RateLimit-Remaining": {
            "description": "Requests left in the current window.",
            "schema": {"type": "integer", "format": "int32", "minimum": 0},
            "example": 97,
        },
        "X-RateLimit-Reset": {
            "description": "Unix time (seconds) when the current window resets.",
            "schema": {"type": "integer", "format": "int64", "minimum": 0},
            "example": 1711013460,
        },
        "Retry-After": {
            "description": "Seconds to wait before retrying.",
            "schema": {"type": "integer", "format": "int32", "minimum": 0},
            "example": 42,
        },
        "Location": {
            "description": "URL of the created resource.",
            "schema": {"type": "string", "format": "uri-reference"},
            "example": "/api/contacts/con_01HV8Z3K4M5N6P7Q8R9S0T1V2W",
        },
    }

    parameters = {
        "page": {
            "name": "page",
            "in": "query",
            "required": False,
            "description": "Page number, 1-based.",
            "schema": {"type": "integer", "format": "int32", "minimum": 1, "default": 1},
            "example": 1,
        },
        "limit": {
            "name": "limit",
            "in": "query",
            "required": False,
            "description": "Page size (1 to 100).",
            "schema": {
                "type": "integer",
                "format": "int32",
                "minimum": 1,
                "maximum": 100,
                "default": 20,
            },
            "example": 20,
        },
        "sort": {
            "name": "sort",
            "in": "query",
            "required": False,
            "description": "Comma-separated sort fields; prefix a field with `-` for descending order.",
            "schema": {
                "type": "string",
                "pattern": "^-?[A-Za-z][A-Za-z0-9.]*(,-?[A-Za-z][A-Za-z0-9.]*)*$",
                "default": "-createdAt",
            },
            "example": "-createdAt",
        },
        "q": {
            "name": "q",
            "in": "query",
            "required": False,
            "description": "Full-text search over the names, references and emails of the records.",
            "schema": {"type": "string", "maxLength": 200},
            "example": "acme",
        },
        "createdAfter": {
            "name": "createdAfter",
            "in": "query",
            "required": False,
            "description": "Only records created at or after this instant.",
            "schema": {"type": "string", "format": "date-time"},
            "example": "2024-01-01T00:00:00Z",
        },
        "createdBefore": {
            "name": "createdBefore",
            "in": "query",
            "required": False,
            "description": "Only records created before this instant.",
            "schema": {"type": "string", "format": "date-time"},
            "example": "2024-12-31T23:59:59Z",
        },
        "IdempotencyKey": {
            "name": "Idempotency-Key",
            "in": "header",
            "required": False,
            "description": "A UUID that makes a retried POST safe: the same key within 24 hours "
            "returns the first response instead of creating a duplicate.",
            "schema": {"type": "string", "format": "uuid"},
            "example": "7d5a3c36-3d3f-4c1e-9f5e-1c2b7a0e9d41",
        },
    }

    security_schemes = {
        "bearerAuth": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "JWT from `POST /auth/login` (the `token` field), sent as `Authorization: Bearer <jwt>`. "
            "Valid 24 hours; renew with `POST /auth/refresh`.",
        },
        "apiKey": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "ecos_live_ / ecos_test_ API key",
            "description": "An API key, sent like a JWT: `Authorization: Bearer ecos_live_<32 characters>` "
            "(or `ecos_test_<32 characters>` for test keys). Keys are created in Dashboard -> "
            "Settings -> API Keys or with `POST /api-keys`; each has a name, an optional expiry "
            "and a scope: `read-only` (GET only), `read-write` or `admin` (manages keys, reaches "
            "every endpoint). Use separate keys for development, staging and production.",
            "x-key-pattern": API_KEY_PATTERN,
        },
        "cookieAuth": {
            "type": "apiKey",
            "in": "cookie",
            "name": "ecosire_auth",
            "description": "HttpOnly session cookie `ecosire_auth=<jwt>` set by `POST /auth/login` for browser "
            "applications; the token is never visible to JavaScript.",
        },
        "oauth2": {
            "type": "oauth2",
            "description": "OAuth 2.0 authorization code flow with PKCE through Authentik (OpenID Connect), "
            "recommended for web applications.",
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": "https://auth.ecosire.com/application/o/authorize/",
                    "tokenUrl": "https://auth.ecosire.com/application/o/token/",
                    "refreshUrl": "https://auth.ecosire.com/application/o/token/",
                    "scopes": {
                        "openid": "OpenID Connect sign-in",
                        "profile": "Your name and picture",
                        "email": "Your email address",
                        "read": "Read access to all modules",
                        "write": "Create, change and delete records",
                        "admin": "Manage API keys, webhooks and users",
                    },
                }
            },
            "x-pkce": True,
        },
        "oidc": {
            "type": "openIdConnect",
            "openIdConnectUrl": "https://auth.ecosire.com/application/o/ecosire/.well-known/openid-configuration",
            "description": "Authentik OpenID Connect discovery document (same provider as `oauth2`).",
        },
    }
    return {
        "responses": responses,
        "headers": headers,
        "parameters": parameters,
        "securitySchemes": security_schemes,
    }


# --------------------------------------------------------------------------
# Hand-written modules
# --------------------------------------------------------------------------

DEMO_EMAIL = "demo@ecosire.com"
DEMO_PASSWORD = "demo-password"
USER_EXAMPLE = {"id": "usr_01HXYZ", "email": DEMO_EMAIL, "name": "Demo User", "role": "admin"}
SET_COOKIE_EXAMPLE = (
    f"ecosire_auth={JWT_EXAMPLE}; Path=/; Max-Age=86400; HttpOnly; Secure; SameSite=Lax"
)


def build_auth() -> None:
    m = "auth"
    login_req = add_schema(
        "LoginRequest",
        {
            "description": "Credentials for `POST /auth/login`.",
            "type": "object",
            "required": ["email", "password"],
            "properties": {
                "email": {
                    "type": "string",
                    "format": "email",
                    "maxLength": 254,
                    "example": DEMO_EMAIL,
                },
                "password": {
                    "type": "string",
                    "format": "password",
                    "minLength": 8,
                    "maxLength": 128,
                    "writeOnly": True,
                    "example": DEMO_PASSWORD,
                },
            },
            "example": {"email": DEMO_EMAIL, "password": DEMO_PASSWORD},
        },
    )
    session_example = {
        "token": JWT_EXAMPLE,
        "expiresAt": "2024-03-22T09:30:00Z",
        "user": USER_EXAMPLE,
    }
    session = add_schema(
        "AuthSession",
        {
            "description": "A signed-in session: the JWT to send as `Authorization: Bearer <token>` and the user.",
            "type": "object",
            "required": ["token", "expiresAt", "user"],
            "properties": {
                "token": {
                    "type": "string",
                    "pattern": JWT_PATTERN,
                    "description": "JWT (HS256), valid 24 hours.",
                    "example": JWT_EXAMPLE,
                },
                "expiresAt": {
                    "type": "string",
                    "format": "date-time",
                    "description": "When the token expires.",
                    "example": "2024-03-22T09:30:00Z",
                },
                "user": sref("User"),
            },
            "example": session_example,
        },
    )
    set_cookie = {
        "Set-Cookie": {
            "description": "`ecosire_auth=<jwt>; Path=/; Max-Age=86400; HttpOnly; Secure; SameSite=Lax`: the session "
            "cookie used by browser applications (cookieAuth). Never readable from JavaScript.",
            "schema": {"type": "string"},
            "example": SET_COOKIE_EXAMPLE,
        }
    }
    bad_login = problem_response(
        "Wrong email or password.", 401, "Unauthorized", "Invalid email or password"
    )
    add_op(
        m,
        "/auth/login",
        "post",
        operation(
            m,
            "authLogin",
            "Log in with email and password",
            "Exchanges an email and password for a JWT (`token`) and the signed-in `user`; also sets the "
            "HttpOnly `ecosire_auth` cookie for browser applications. Send the token on later calls as "
            "`Authorization: Bearer <token>`.\n\n"
            f"**Demo credentials** (local mock server): email `{DEMO_EMAIL}`, password `{DEMO_PASSWORD}`.",
            body=json_body(login_req, {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}),
            responses={
                "200": ok("Signed in.", session, session_example, headers=set_cookie),
                **errors((400, 401, 422, 429, 500), public=False, overrides={401: bad_login}),
            },
            public=True,
        ),
    )
    add_op(
        m,
        "/auth/logout",
        "post",
        operation(
            m,
            "authLogout",
            "Log out",
            "Revokes the current JWT and clears the `ecosire_auth` cookie.",
            responses={
                "204": ok(
                    "Signed out; the cookie is cleared.",
                    headers={
                        "Set-Cookie": {
                            "description": "Expires the session cookie.",
                            "schema": {"type": "string"},
                            "example": "ecosire_auth=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax",
                        }
                    },
                ),
                **errors((401, 429, 500)),
            },
            scope="read-only",
        ),
    )
    add_op(
        m,
        "/auth/me",
        "get",
        operation(
            m,
            "authMe",
            "Get the current user",
            "Returns the user the credentials belong to (JWT, API key owner or cookie session).",
            responses={
                "200": ok("The current user.", sref("User"), USER_EXAMPLE),
                **errors((401, 429, 500)),
            },
            scope="read-only",
        ),
    )
    add_op(
        m,
        "/auth/refresh",
        "post",
        operation(
            m,
            "authRefresh",
            "Refresh the session token",
            "Issues a new JWT for a still-valid session (bearer token or cookie) and renews the cookie. "
            "Call it shortly before `expiresAt`.",
            responses={
                "200": ok("A new session.", session, session_example, headers=set_cookie),
                **errors((401, 429, 500)),
            },
            scope="read-only",
        ),
    )
    register_req = add_schema(
        "RegisterRequest",
        {
            "description": "Sign-up data.",
            "type": "object",
            "required": ["name", "email", "password", "acceptTerms"],
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 200, "example": "Jane Doe"},
                "email": {
                    "type": "string",
                    "format": "email",
                    "maxLength": 254,
                    "example": "jane.doe@example.com",
                },
                "password": {
                    "type": "string",
                    "format": "password",
                    "minLength": 8,
                    "maxLength": 128,
                    "writeOnly": True,
                    "example": "correct-horse-battery",
                },
                "company": {"type": "string", "maxLength": 200, "example": "Acme Corporation"},
                "acceptTerms": {
                    "type": "boolean",
                    "enum": [True],
                    "description": "Must be true.",
                    "example": True,
                },
            },
            "example": {
                "name": "Jane Doe",
                "email": "jane.doe@example.com",
                "password": "correct-horse-battery",
                "company": "Acme Corporation",
                "acceptTerms": True,
            },
        },
    )
    add_op(
        m,
        "/auth/register",
        "post",
        operation(
            m,
            "authRegister",
            "Create an account",
            "Creates a user with the `member` role and signs it in (same reply as login). "
            "Answers 409 if the email is already registered.",
            body=json_body(register_req, SCHEMAS["RegisterRequest"]["example"]),
            responses={
                "201": ok(
                    "Account created and signed in.",
                    session,
                    {
                        **session_example,
                        "user": {
                            "id": "usr_01HXYZ2",
                            "email": "jane.doe@example.com",
                            "name": "Jane Doe",
                            "role": "member",
                        },
                    },
                    headers=set_cookie,
                ),
                **errors(
                    (400, 409, 422, 429, 500),
                    overrides={
                        409: problem_response(
                            "The email is already registered.",
                            409,
                            "Conflict",
                            "Email already registered",
                        )
                    },
                ),
            },
            public=True,
        ),
    )
    forgot = add_schema(
        "PasswordForgotRequest",
        {
            "type": "object",
            "required": ["email"],
            "properties": {"email": {"type": "string", "format": "email", "example": DEMO_EMAIL}},
            "example": {"email": DEMO_EMAIL},
        },
    )
    add_op(
        m,
        "/auth/password/forgot",
        "post",
        operation(
            m,
            "authPasswordForgot",
            "Request a password reset email",
            "Sends a reset link (valid 1 hour) if the address belongs to an account. Always answers 204 so that "
            "registered addresses cannot be discovered.",
            body=json_body(forgot, {"email": DEMO_EMAIL}),
            responses={
                "204": ok("Accepted; an email is sent if the account exists."),
                **errors((400, 422, 429, 500)),
            },
            public=True,
        ),
    )
    reset = add_schema(
        "PasswordResetRequest",
        {
            "type": "object",
            "required": ["token", "password"],
            "properties": {
                "token": {
                    "type": "string",
                    "minLength": 32,
                    "maxLength": 128,
                    "description": "Token from the reset email.",
                    "example": "prt_9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                },
                "password": {
                    "type": "string",
                    "format": "password",
                    "minLength": 8,
                    "maxLength": 128,
                    "writeOnly": True,
                    "example": "new-password-2024",
                },
            },
            "example": {
                "token": "prt_9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "password": "new-password-2024",
            },
        },
    )
    add_op(
        m,
        "/auth/password/reset",
        "post",
        operation(
            m,
            "authPasswordReset",
            "Set a new password",
            "Sets a new password with the token from the reset email. All sessions of the user are revoked.",
            body=json_body(reset, SCHEMAS["PasswordResetRequest"]["example"]),
            responses={
                "204": ok("Password changed."),
                **errors(
                    (400, 422, 429, 500),
                    overrides={
                        400: problem_response(
                            "The token is invalid or expired.",
                            400,
                            "Bad Request",
                            "Reset token is invalid or expired",
                        )
                    },
                ),
            },
            public=True,
        ),
    )


CONTACT_ID = "con_01HV8Z3K4M5N6P7Q8R9S0T1V2W"
CONTACT_PATTERN = f"^con_{ULID_CHARS}{{10,26}}$"


def build_contacts() -> None:
    m = "contacts"
    base_props = {
        "type": {
            "type": "string",
            "enum": ["person", "company"],
            "description": "A person or a company.",
            "example": "company",
        },
        "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "description": "Full name or company name.",
            "example": "Acme Corporation",
        },
        "email": {
            "type": "string",
            "format": "email",
            "maxLength": 254,
            "nullable": True,
            "example": "billing@acme.example.com",
        },
        "phone": {
            "type": "string",
            "pattern": r"^\+[1-9][0-9]{6,14}$",
            "nullable": True,
            "description": "E.164 phone number.",
            "example": "+4930901820",
        },
        "company": {
            "type": "string",
            "maxLength": 200,
            "nullable": True,
            "description": "Employer of a person (free text).",
            "example": None,
        },
        "companyId": {
            "type": "string",
            "pattern": CONTACT_PATTERN,
            "nullable": True,
            "description": "Parent company contact of a person.",
            "example": None,
        },
        "jobTitle": {"type": "string", "maxLength": 200, "nullable": True, "example": None},
        "website": {
            "type": "string",
            "format": "uri",
            "nullable": True,
            "example": "https://acme.example.com",
        },
        "vatNumber": {
            "type": "string",
            "maxLength": 32,
            "nullable": True,
            "example": "DE811907980",
        },
        "tags": {
            "type": "array",
            "uniqueItems": True,
            "maxItems": 50,
            "items": {"type": "string", "minLength": 1, "maxLength": 50},
            "example": ["customer", "enterprise"],
        },
        "address": sref("Address"),
        "ownerId": {
            "type": "string",
            "pattern": id_pattern("usr"),
            "description": "Account manager (user id).",
            "example": "usr_01HXYZ",
        },
        "notes": {
            "type": "string",
            "maxLength": 10000,
            "nullable": True,
            "example": "Renewal every March.",
        },
    }
    contact_example = {
        "id": CONTACT_ID,
        "type": "company",
        "name": "Acme Corporation",
        "email": "billing@acme.example.com",
        "phone": "+4930901820",
        "company": None,
        "companyId": None,
        "jobTitle": None,
        "website": "https://acme.example.com",
        "vatNumber": "DE811907980",
        "tags": ["customer", "enterprise"],
        "address": ADDRESS_EXAMPLE,
        "ownerId": "usr_01HXYZ",
        "notes": "Renewal every March.",
        "archived": False,
        "createdAt": CREATED_AT,
        "updatedAt": UPDATED_AT,
    }
    person_example = {
        "id": "con_01HV8Z3K4M5N6P7Q8R9S0T1V2X",
        "type": "person",
        "name": "Jane Doe",
        "email": "jane.doe@example.com",
        "phone": "+4915112345678",
        "company": "Acme Corporation",
        "companyId": CONTACT_ID,
        "jobTitle": "Head of Operations",
        "website": None,
        "vatNumber": None,
        "tags": ["decision-maker"],
        "address": ADDRESS_EXAMPLE,
        "ownerId": "usr_01HXYZ",
        "notes": None,
        "archived": False,
        "createdAt": CREATED_AT,
        "updatedAt": UPDATED_AT,
    }
    add_schema(
        "Contact",
        {
            "description": "A person or company the organization does business with (customer, vendor, lead...).",
            "type": "object",
            "required": ["id", "type", "name", "tags", "archived", "createdAt", "updatedAt"],
            "properties": {
                "id": {
                    "type": "string",
                    "pattern": CONTACT_PATTERN,
                    "readOnly": True,
                    "description": "`con_` followed by a ULID.",
                    "example": CONTACT_ID,
                },
                **base_props,
                "archived": {
                    "type": "boolean",
                    "readOnly": True,
                    "description": "Archived contacts are hidden from lists.",
                    "example": False,
                },
                "createdAt": {
                    "type": "string",
                    "format": "date-time",
                    "readOnly": True,
                    "example": CREATED_AT,
                },
                "updatedAt": {
                    "type": "string",
                    "format": "date-time",
                    "readOnly": True,
                    "example": UPDATED_AT,
                },
            },
            "example": contact_example,
        },
    )
    create_example = {
        k: v
        for k, v in contact_example.items()
        if k not in ("id", "archived", "createdAt", "updatedAt") and v is not None
    }
    add_schema(
        "ContactCreate",
        {
            "description": "A new contact (also the body of `PUT`, which replaces every writable field).",
            "type": "object",
            "required": ["type", "name"],
            "properties": dict(base_props),
            "example": create_example,
        },
    )
    add_schema(
        "ContactUpdate",
        {
            "description": "Fields to change; omitted fields keep their value, `null` clears a nullable field.",
            "type": "object",
            "minProperties": 1,
            "properties": dict(base_props),
            "example": {"phone": "+4930901899", "tags": ["customer", "enterprise", "renewal-2024"]},
        },
    )
    add_schema(
        "ContactList",
        {
            "type": "object",
            "required": ["data", "meta"],
            "properties": {
                "data": {"type": "array", "items": sref("Contact")},
                "meta": sref("PageMeta"),
            },
        },
    )
    list_example = {"data": [contact_example, person_example], "meta": page_meta(2)}
    cid = {
        "name": "contactId",
        "in": "path",
        "required": True,
        "description": "ID of the contact.",
        "schema": {"type": "string", "pattern": CONTACT_PATTERN},
        "example": CONTACT_ID,
    }
    type_param = {
        "name": "type",
        "in": "query",
        "required": False,
        "description": "Only persons or only companies.",
        "schema": {"type": "string", "enum": ["person", "company"]},
    }
    tag_param = {
        "name": "tag",
        "in": "query",
        "required": False,
        "description": "Only contacts with this tag (repeat the parameter for several tags, AND-ed).",
        "style": "form",
        "explode": True,
        "schema": {"type": "array", "items": {"type": "string", "maxLength": 50}},
        "example": ["customer"],
    }
    archived_param = {
        "name": "archived",
        "in": "query",
        "required": False,
        "description": "Include archived contacts (`true`) or only them (`only`).",
        "schema": {"type": "string", "enum": ["false", "true", "only"], "default": "false"},
    }
    add_op(
        m,
        "/contacts",
        "get",
        operation(
            m,
            "contactsList",
            "List contacts",
            "Returns contacts page by page, newest first by default. Filter by `type` and `tag`, search names, "
            "emails and phone numbers with `q`.",
            params=[*PAGING, type_param, tag_param, archived_param, *CREATED_RANGE],
            responses={
                "200": ok("A page of contacts.", sref("ContactList"), list_example),
                **errors(ERRORS_BY_KIND["list"]),
            },
            scope="read-only",
        ),
    )
    add_op(
        m,
        "/contacts",
        "post",
        operation(
            m,
            "contactsCreate",
            "Create a contact",
            "Creates a person or company. Answers 409 if another active contact has the same email.",
            params=[IDEMPOTENCY],
            body=json_body(sref("ContactCreate"), create_example),
            responses={
                "201": ok(
                    "The created contact.",
                    sref("Contact"),
                    contact_example,
                    headers={"Location": ref("headers", "Location")},
                ),
                **errors(ERRORS_BY_KIND["create"]),
            },
            scope="read-write",
        ),
    )
    add_op(
        m,
        "/contacts/{contactId}",
        "get",
        operation(
            m,
            "contactsGet",
            "Get a contact",
            "Returns one contact by id.",
            params=[cid],
            responses={
                "200": ok("The contact.", sref("Contact"), contact_example),
                **errors(ERRORS_BY_KIND["get"]),
            },
            scope="read-only",
        ),
    )
    add_op(
        m,
        "/contacts/{contactId}",
        "patch",
        operation(
            m,
            "contactsUpdate",
            "Update a contact",
            "Changes the fields sent; omitted fields keep their value.",
            params=[cid],
            body=json_body(sref("ContactUpdate"), SCHEMAS["ContactUpdate"]["example"]),
            responses={
                "200": ok("The updated contact.", sref("Contact"), contact_example),
                **errors(ERRORS_BY_KIND["update"]),
            },
            scope="read-write",
        ),
    )
    add_op(
        m,
        "/contacts/{contactId}",
        "put",
        operation(
            m,
            "contactsReplace",
            "Replace a contact",
            "Replaces every writable field; fields not sent are cleared.",
            params=[cid],
            body=json_body(sref("ContactCreate"), create_example),
            responses={
                "200": ok("The replaced contact.", sref("Contact"), contact_example),
                **errors(ERRORS_BY_KIND["update"]),
            },
            scope="read-write",
        ),
    )
    add_op(
        m,
        "/contacts/{contactId}",
        "delete",
        operation(
            m,
            "contactsDelete",
            "Delete a contact",
            "Deletes the contact permanently. Contacts referenced by posted documents cannot be deleted (409); "
            "archive them instead.",
            params=[cid],
            responses={"204": ok("Deleted."), **errors(ERRORS_BY_KIND["delete"])},
            scope="read-write",
        ),
    )
    search_schema = add_schema(
        "ContactSearchRequest",
        {
            "description": "Structured contact search.",
            "type": "object",
            "properties": {
                "q": {"type": "string", "maxLength": 200, "example": "acme"},
                "type": {"type": "string", "enum": ["person", "company"]},
                "tags": {
                    "type": "array",
                    "items": {"type": "string", "maxLength": 50},
                    "example": ["customer"],
                },
                "hasEmail": {"type": "boolean", "example": True},
                "country": sref("CountryCode"),
                "createdAfter": {"type": "string", "format": "date-time"},
                "createdBefore": {"type": "string", "format": "date-time"},
                "filters": {"type": "array", "maxItems": 20, "items": sref("SearchFilter")},
                "sort": {"type": "string", "example": "name"},
                "page": {"type": "integer", "format": "int32", "minimum": 1, "default": 1},
                "limit": {
                    "type": "integer",
                    "format": "int32",
                    "minimum": 1,
                    "maximum": 100,
                    "default": 20,
                },
            },
            "example": {
                "q": "acme",
                "tags": ["customer"],
                "hasEmail": True,
                "country": "DE",
                "sort": "name",
                "page": 1,
                "limit": 20,
            },
        },
    )
    add_op(
        m,
        "/contacts/search",
        "post",
        operation(
            m,
            "contactsSearch",
            "Search contacts",
            "Searches contacts with structured criteria that do not fit in a query string.",
            body=json_body(search_schema, SCHEMAS["ContactSearchRequest"]["example"]),
            responses={
                "200": ok("Matching contacts.", sref("ContactList"), list_example),
                **errors(ERRORS_BY_KIND["search"]),
            },
            scope="read-only",
        ),
    )
    add_op(
        m,
        "/contacts/{contactId}/archive",
        "post",
        operation(
            m,
            "contactsArchive",
            "Archive a contact",
            "Hides the contact from lists and pickers without deleting its history. Archiving twice is harmless.",
            params=[cid],
            responses={
                "200": ok(
                    "The archived contact.", sref("Contact"), {**contact_example, "archived": True}
                ),
                **errors(ERRORS_BY_KIND["get"]),
            },
            scope="read-write",
        ),
    )
    import_schema = {
        "type": "object",
        "required": ["file"],
        "properties": {
            "file": {
                "type": "string",
                "format": "binary",
                "description": "CSV (UTF-8, comma separated) with a header row: type,name,email,phone,company,tags.",
            },
            "dryRun": {
                "type": "boolean",
                "default": False,
                "description": "Validate only; nothing is saved.",
            },
            "onDuplicate": {
                "type": "string",
                "enum": ["skip", "update", "create"],
                "default": "skip",
                "description": "What to do when the email matches an existing contact.",
            },
        },
    }
    add_op(
        m,
        "/contacts/import",
        "post",
        operation(
            m,
            "contactsImport",
            "Import contacts from CSV",
            "Imports up to 10,000 contacts from a CSV file. Rows with errors are reported and skipped.",
            params=[IDEMPOTENCY],
            body={
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": import_schema,
                        "encoding": {"file": {"contentType": "text/csv"}},
                    }
                },
            },
            responses={
                "200": ok(
                    "Import summary.", sref("ImportResult"), SCHEMAS["ImportResult"]["example"]
                ),
                **errors((400, 401, 403, 422, 429, 500)),
            },
            scope="read-write",
        ),
    )
    csv_example = (
        "id,type,name,email,phone,company,tags,createdAt\n"
        f"{CONTACT_ID},company,Acme Corporation,billing@acme.example.com,+4930901820,,customer;enterprise,{CREATED_AT}\n"
    )
    add_op(
        m,
        "/contacts/export",
        "get",
        operation(
            m,
            "contactsExport",
            "Export contacts as CSV",
            "Streams the contacts matching the filters as CSV (UTF-8, comma separated, header row).",
            params=[
                ref("parameters", "q"),
                type_param,
                tag_param,
                {
                    "name": "fields",
                    "in": "query",
                    "required": False,
                    "style": "form",
                    "explode": False,
                    "description": "Columns to export, comma separated (default: all).",
                    "schema": {
                        "type": "array",
                        "items": {
                            "type": "string",
                            "enum": [
                                "id",
                                "type",
                                "name",
                                "email",
                                "phone",
                                "company",
                                "tags",
                                "createdAt",
                                "updatedAt",
                            ],
                        },
                    },
                },
            ],
            responses={
                "200": ok(
                    "The CSV file.",
                    {"type": "string"},
                    csv_example,
                    media="text/csv",
                    headers={
                        "Content-Disposition": {
                            "description": "Suggested file name.",
                            "schema": {"type": "string"},
                            "example": 'attachment; filename="contacts-2024-03-21.csv"',
                        }
                    },
                ),
                **errors((400, 401, 403, 429, 500)),
            },
            scope="read-only",
        ),
    )


def build_support() -> None:
    m = "support"
    prd = {
        "type": "string",
        "pattern": id_pattern("prd"),
        "description": "Product the request is about.",
        "example": "prd_01HODOOCRM",
    }
    priority = {
        "type": "string",
        "enum": ["low", "normal", "high", "urgent"],
        "default": "normal",
        "example": "high",
    }
    req_example = {
        "name": "Jane Doe",
        "email": "jane.doe@example.com",
        "subject": "License activation fails on staging",
        "message": "Activating my Odoo CRM license on staging.example.com returns 409.",
        "priority": "high",
        "productId": "prd_01HODOOCRM",
    }
    add_schema(
        "SupportRequest",
        {
            "description": "A support request from the public contact form.",
            "type": "object",
            "required": ["name", "email", "subject", "message"],
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 200, "example": "Jane Doe"},
                "email": {
                    "type": "string",
                    "format": "email",
                    "maxLength": 254,
                    "example": "jane.doe@example.com",
                },
                "subject": {
                    "type": "string",
                    "minLength": 3,
                    "maxLength": 200,
                    "example": req_example["subject"],
                },
                "message": {
                    "type": "string",
                    "minLength": 10,
                    "maxLength": 10000,
                    "example": req_example["message"],
                },
                "priority": priority,
                "productId": prd,
            },
            "example": req_example,
        },
    )
    tid = "tkt_01HV9A2B3C4D5E6F7G8H9J0K1M"
    receipt = {
        "ticketId": tid,
        "status": "open",
        "createdAt": CREATED_AT,
        "message": "Thanks! We usually answer within one business day.",
    }
    add_schema(
        "SupportReceipt",
        {
            "type": "object",
            "required": ["ticketId", "status", "createdAt"],
            "properties": {
                "ticketId": {"type": "string", "pattern": id_pattern("tkt"), "example": tid},
                "status": {"type": "string", "enum": ["open"], "example": "open"},
                "createdAt": {"type": "string", "format": "date-time", "example": CREATED_AT},
                "message": {"type": "string", "example": receipt["message"]},
            },
            "example": receipt,
        },
    )
    add_op(
        m,
        "/support",
        "post",
        operation(
            m,
            "supportCreate",
            "Submit a support request",
            "Public contact form: opens a support ticket and emails a confirmation. Rate limited to 5 requests "
            "a minute per IP address.",
            body=json_body(sref("SupportRequest"), req_example),
            responses={
                "201": ok("Ticket opened.", sref("SupportReceipt"), receipt),
                **errors((400, 422, 429, 500)),
            },
            public=True,
            limit=5,
        ),
    )
    reply_example = {
        "id": "rpl_01HV9A2B3C4D5E6F7G8H9J0K1N",
        "ticketId": tid,
        "author": "agent",
        "authorName": "Omar Khan",
        "message": "Could you send us the instance id shown in Settings?",
        "attachments": [],
        "createdAt": UPDATED_AT,
    }
    add_schema(
        "SupportReply",
        {
            "type": "object",
            "required": ["id", "ticketId", "author", "message", "createdAt"],
            "properties": {
                "id": {
                    "type": "string",
                    "pattern": id_pattern("rpl"),
                    "readOnly": True,
                    "example": reply_example["id"],
                },
                "ticketId": {
                    "type": "string",
                    "pattern": id_pattern("tkt"),
                    "readOnly": True,
                    "example": tid,
                },
                "author": {
                    "type": "string",
                    "enum": ["customer", "agent"],
                    "readOnly": True,
                    "example": "agent",
                },
                "authorName": {"type": "string", "readOnly": True, "example": "Omar Khan"},
                "message": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 10000,
                    "example": reply_example["message"],
                },
                "attachments": {
                    "type": "array",
                    "maxItems": 10,
                    "items": {"type": "string", "format": "uri"},
                    "example": [],
                },
                "createdAt": {
                    "type": "string",
                    "format": "date-time",
                    "readOnly": True,
                    "example": UPDATED_AT,
                },
            },
            "example": reply_example,
        },
    )
    ticket_example = {
        "id": tid,
        "subject": req_example["subject"],
        "message": req_example["message"],
        "status": "pending",
        "priority": "high",
        "productId": "prd_01HODOOCRM",
        "requester": {"name": "Jane Doe", "email": "jane.doe@example.com"},
        "assigneeId": "usr_01HXYZ",
        "replies": [reply_example],
        "createdAt": CREATED_AT,
        "updatedAt": UPDATED_AT,
    }
    add_schema(
        "SupportTicket",
        {
            "type": "object",
            "required": [
                "id",
                "subject",
                "status",
                "priority",
                "requester",
                "createdAt",
                "updatedAt",
            ],
            "properties": {
                "id": {
                    "type": "string",
                    "pattern": id_pattern("tkt"),
                    "readOnly": True,
                    "example": tid,
                },
                "subject": {"type": "string", "maxLength": 200, "example": req_example["subject"]},
                "message": {"type": "string", "example": req_example["message"]},
                "status": {
                    "type": "string",
                    "enum": ["open", "pending", "resolved", "closed"],
                    "example": "pending",
                },
                "priority": priority,
                "productId": prd,
                "requester": {
                    "type": "object",
                    "required": ["name", "email"],
                    "properties": {
                        "name": {"type": "string"},
                        "email": {"type": "string", "format": "email"},
                    },
                },
                "assigneeId": {
                    "type": "string",
                    "pattern": id_pattern("usr"),
                    "nullable": True,
                    "example": "usr_01HXYZ",
                },
                "replies": {"type": "array", "items": sref("SupportReply")},
                "createdAt": {"type": "string", "format": "date-time", "readOnly": True},
                "updatedAt": {"type": "string", "format": "date-time", "readOnly": True},
            },
            "example": ticket_example,
        },
    )
    add_schema(
        "SupportTicketList",
        {
            "type": "object",
            "required": ["data", "meta"],
            "properties": {
                "data": {"type": "array", "items": sref("SupportTicket")},
                "meta": sref("PageMeta"),
            },
        },
    )
    add_op(
        m,
        "/support/tickets",
        "get",
        operation(
            m,
            "supportTicketsList",
            "List support tickets",
            "Lists the tickets of the organization, newest first.",
            params=[
                *PAGING,
                {
                    "name": "status",
                    "in": "query",
                    "required": False,
                    "description": "Only tickets in this status.",
                    "schema": {"type": "string", "enum": ["open", "pending", "resolved", "closed"]},
                },
                {
                    "name": "priority",
                    "in": "query",
                    "required": False,
                    "description": "Only tickets with this priority.",
                    "schema": {"type": "string", "enum": ["low", "normal", "high", "urgent"]},
                },
            ],
            responses={
                "200": ok(
                    "A page of tickets.",
                    sref("SupportTicketList"),
                    {"data": [ticket_example], "meta": page_meta()},
                ),
                **errors(ERRORS_BY_KIND["list"]),
            },
            scope="read-only",
        ),
    )
    tparam = path_param("ticketId", "tkt", "support ticket")
    tparam["example"] = tid
    add_op(
        m,
        "/support/tickets/{ticketId}",
        "get",
        operation(
            m,
            "supportTicketsGet",
            "Get a support ticket",
            "Returns a ticket with its replies.",
            params=[tparam],
            responses={
                "200": ok("The ticket.", sref("SupportTicket"), ticket_example),
                **errors(ERRORS_BY_KIND["get"]),
            },
            scope="read-only",
        ),
    )
    reply_body = {
        "type": "object",
        "required": ["message"],
        "properties": {
            "message": {"type": "string", "minLength": 1, "maxLength": 10000},
            "attachments": {
                "type": "array",
                "maxItems": 10,
                "items": {"type": "string", "format": "uri"},
            },
        },
    }
    add_op(
        m,
        "/support/tickets/{ticketId}/replies",
        "post",
        operation(
            m,
            "supportTicketsRepliesCreate",
            "Reply to a support ticket",
            "Adds a reply from the customer side and reopens a resolved ticket. Closed tickets answer 409.",
            params=[tparam],
            body=json_body(
                reply_body,
                {
                    "message": "Instance id: 3f2c9a1e-prod-01",
                    "attachments": ["https://files.ecosire.com/support/screenshot.png"],
                },
            ),
            responses={
                "201": ok(
                    "The reply.",
                    sref("SupportReply"),
                    {
                        **reply_example,
                        "author": "customer",
                        "authorName": "Jane Doe",
                        "message": "Instance id: 3f2c9a1e-prod-01",
                        "attachments": ["https://files.ecosire.com/support/screenshot.png"],
                    },
                ),
                **errors(ERRORS_BY_KIND["action"]),
            },
            scope="read-write",
        ),
    )


def build_crm_capture() -> None:
    m = "crm"
    capture_example = {
        "name": "Jane Doe",
        "email": "jane.doe@example.com",
        "phone": "+4915112345678",
        "company": "Acme Corporation",
        "message": "We need the Odoo CRM connector for 40 users.",
        "source": "website",
        "productInterest": ["prd_01HODOOCRM"],
        "utm": {"source": "google", "medium": "cpc", "campaign": "odoo-crm-2024"},
        "consent": True,
    }
    add_schema(
        "LeadCapture",
        {
            "description": "A lead from a public web form.",
            "type": "object",
            "required": ["name", "email", "consent"],
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 200},
                "email": {"type": "string", "format": "email", "maxLength": 254},
                "phone": {"type": "string", "pattern": r"^\+[1-9][0-9]{6,14}$"},
                "company": {"type": "string", "maxLength": 200},
                "message": {"type": "string", "maxLength": 5000},
                "source": {
                    "type": "string",
                    "enum": ["website", "landing-page", "chat", "referral", "event"],
                    "default": "website",
                },
                "productInterest": {
                    "type": "array",
                    "maxItems": 20,
                    "items": {"type": "string", "pattern": id_pattern("prd")},
                },
                "utm": {
                    "type": "object",
                    "description": "Campaign attribution (UTM parameters of the landing page).",
                    "properties": {
                        k: {"type": "string", "maxLength": 200}
                        for k in ("source", "medium", "campaign", "term", "content")
                    },
                },
                "consent": {
                    "type": "boolean",
                    "enum": [True],
                    "description": "GDPR consent to be contacted; must be true.",
                },
            },
            "example": capture_example,
        },
    )
    receipt = {"leadId": id_example("led"), "status": "new", "receivedAt": CREATED_AT}
    add_schema(
        "LeadCaptureReceipt",
        {
            "type": "object",
            "required": ["leadId", "status", "receivedAt"],
            "properties": {
                "leadId": {"type": "string", "pattern": id_pattern("led")},
                "status": {"type": "string", "enum": ["new"]},
                "receivedAt": {"type": "string", "format": "date-time"},
            },
            "example": receipt,
        },
    )
    add_op(
        m,
        "/crm/capture",
        "post",
        operation(
            m,
            "crmCapture",
            "Capture a lead",
            "Public lead-capture endpoint for web forms: creates a `new` lead and assigns it round-robin. "
            "Rate limited to 10 requests a minute per IP address.",
            body=json_body(sref("LeadCapture"), capture_example),
            responses={
                "201": ok("Lead captured.", sref("LeadCaptureReceipt"), receipt),
                **errors((400, 422, 429, 500)),
            },
            public=True,
            limit=10,
        ),
    )


AI_MODULES_ENUM = None  # filled with the tag names at build time


def build_ecosire_ai() -> None:
    m = "ecosire-ai"
    cnv = id_example("cnv")
    msg = id_example("msg")
    ask_example = {
        "question": "How do I activate a license on a second Odoo instance?",
        "context": {"module": "licenses", "recordId": id_example("lic")},
        "conversationId": cnv,
    }
    add_schema(
        "AskRequest",
        {
            "type": "object",
            "required": ["question"],
            "properties": {
                "question": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 4000,
                    "description": "The question, in any language.",
                },
                "context": {
                    "type": "object",
                    "description": "Where the user is; improves the answer.",
                    "properties": {
                        "module": {
                            "type": "string",
                            "enum": AI_MODULES_ENUM,
                            "description": "Module (tag name).",
                        },
                        "recordId": {
                            "type": "string",
                            "maxLength": 64,
                            "description": "Record the user is looking at.",
                        },
                        "page": {
                            "type": "string",
                            "format": "uri",
                            "description": "URL of the page the user is on.",
                        },
                    },
                },
                "conversationId": {
                    "type": "string",
                    "pattern": id_pattern("cnv"),
                    "description": "Continue a conversation; omit to start a new one.",
                },
            },
            "example": ask_example,
        },
    )
    source_example = {
        "title": "Activating a license",
        "url": "https://ecosire.com/docs/licenses/activate",
        "snippet": "Each license allows a number of activations; call POST /licenses/activate...",
        "score": 0.92,
    }
    answer_example = {
        "answer": "Call `POST /licenses/activate` with the same `licenseKey` and the new `instanceId`. "
        "Your plan allows 3 activations; deactivate an old instance first if you reached the limit.",
        "conversationId": cnv,
        "messageId": msg,
        "sources": [source_example],
        "model": "ecosire-ai-2024-03",
        "usage": {"promptTokens": 812, "completionTokens": 96},
        "createdAt": CREATED_AT,
    }
    add_schema(
        "AiSource",
        {
            "type": "object",
            "required": ["title", "url"],
            "properties": {
                "title": {"type": "string"},
                "url": {"type": "string", "format": "uri"},
                "snippet": {"type": "string"},
                "score": {"type": "number", "format": "double", "minimum": 0, "maximum": 1},
            },
            "example": source_example,
        },
    )
    add_schema(
        "AskResponse",
        {
            "type": "object",
            "required": ["answer", "conversationId", "messageId", "sources", "createdAt"],
            "properties": {
                "answer": {"type": "string", "description": "Markdown answer."},
                "conversationId": {"type": "string", "pattern": id_pattern("cnv")},
                "messageId": {"type": "string", "pattern": id_pattern("msg")},
                "sources": {"type": "array", "items": sref("AiSource")},
                "model": {"type": "string"},
                "usage": {
                    "type": "object",
                    "properties": {
                        "promptTokens": {"type": "integer", "format": "int32", "minimum": 0},
                        "completionTokens": {"type": "integer", "format": "int32", "minimum": 0},
                    },
                },
                "createdAt": {"type": "string", "format": "date-time"},
            },
            "example": answer_example,
        },
    )
    add_op(
        m,
        "/ecosire-ai/ask",
        "post",
        operation(
            m,
            "ecosireAiAsk",
            "Ask the AI assistant",
            "Answers a question about ECOSIRE products and the caller's data, with the documentation sources it "
            "used. Rate limited to 20 requests a minute.",
            body=json_body(sref("AskRequest"), ask_example),
            responses={
                "200": ok("The answer.", sref("AskResponse"), answer_example),
                **errors(ERRORS_BY_KIND["search"]),
            },
            limit=20,
            scope="read-only",
        ),
    )
    conv_summary = {
        "id": cnv,
        "title": "Activating a license on a second instance",
        "messageCount": 2,
        "createdAt": CREATED_AT,
        "updatedAt": CREATED_AT,
    }
    message_props = {
        "id": {"type": "string", "pattern": id_pattern("msg")},
        "role": {"type": "string", "enum": ["user", "assistant"]},
        "content": {"type": "string"},
        "sources": {"type": "array", "items": sref("AiSource")},
        "feedback": {"type": "string", "enum": ["up", "down", None], "nullable": True},
        "createdAt": {"type": "string", "format": "date-time"},
    }
    add_schema(
        "AiMessage",
        {
            "type": "object",
            "required": ["id", "role", "content", "createdAt"],
            "properties": message_props,
        },
    )
    summary_props = {
        "id": {"type": "string", "pattern": id_pattern("cnv"), "readOnly": True},
        "title": {"type": "string", "maxLength": 200},
        "messageCount": {"type": "integer", "format": "int32", "minimum": 0},
        "createdAt": {"type": "string", "format": "date-time", "readOnly": True},
        "updatedAt": {"type": "string", "format": "date-time", "readOnly": True},
    }
    add_schema(
        "AiConversationSummary",
        {
            "type": "object",
            "required": list(summary_props),
            "properties": summary_props,
            "example": conv_summary,
        },
    )
    conv_example = {
        **conv_summary,
        "messages": [
            {
                "id": id_example("msg", "q"),
                "role": "user",
                "content": ask_example["question"],
                "sources": [],
                "feedback": None,
                "createdAt": CREATED_AT,
            },
            {
                "id": msg,
                "role": "assistant",
                "content": answer_example["answer"],
                "sources": [source_example],
                "feedback": "up",
                "createdAt": CREATED_AT,
            },
        ],
    }
    add_schema(
        "AiConversation",
        {
            "allOf": [
                sref("AiConversationSummary"),
                {
                    "type": "object",
                    "required": ["messages"],
                    "properties": {"messages": {"type": "array", "items": sref("AiMessage")}},
                },
            ],
            "example": conv_example,
        },
    )
    add_schema(
        "AiConversationList",
        {
            "type": "object",
            "required": ["data", "meta"],
            "properties": {
                "data": {"type": "array", "items": sref("AiConversationSummary")},
                "meta": sref("PageMeta"),
            },
        },
    )
    add_op(
        m,
        "/ecosire-ai/conversations",
        "get",
        operation(
            m,
            "ecosireAiConversationsList",
            "List AI conversations",
            "Lists the caller's conversations with the assistant, most recently active first.",
            params=PAGING,
            responses={
                "200": ok(
                    "A page of conversations.",
                    sref("AiConversationList"),
                    {"data": [conv_summary], "meta": page_meta()},
                ),
                **errors(ERRORS_BY_KIND["list"]),
            },
            scope="read-only",
        ),
    )
    cparam = path_param("conversationId", "cnv", "conversation")
    add_op(
        m,
        "/ecosire-ai/conversations/{conversationId}",
        "get",
        operation(
            m,
            "ecosireAiConversationsGet",
            "Get an AI conversation",
            "Returns a conversation with all its messages.",
            params=[cparam],
            responses={
                "200": ok("The conversation.", sref("AiConversation"), conv_example),
                **errors(ERRORS_BY_KIND["get"]),
            },
            scope="read-only",
        ),
    )
    add_op(
        m,
        "/ecosire-ai/conversations/{conversationId}",
        "delete",
        operation(
            m,
            "ecosireAiConversationsDelete",
            "Delete an AI conversation",
            "Deletes the conversation and its messages permanently.",
            params=[cparam],
            responses={"204": ok("Deleted."), **errors((401, 403, 404, 429, 500))},
            scope="read-write",
        ),
    )
    fb_example = {"messageId": msg, "rating": "up", "comment": "Exactly what I needed."}
    add_schema(
        "AiFeedback",
        {
            "type": "object",
            "required": ["messageId", "rating"],
            "properties": {
                "id": {"type": "string", "pattern": id_pattern("fbk"), "readOnly": True},
                "messageId": {"type": "string", "pattern": id_pattern("msg")},
                "rating": {"type": "string", "enum": ["up", "down"]},
                "comment": {"type": "string", "maxLength": 2000},
                "createdAt": {"type": "string", "format": "date-time", "readOnly": True},
            },
            "example": fb_example,
        },
    )
    add_op(
        m,
        "/ecosire-ai/feedback",
        "post",
        operation(
            m,
            "ecosireAiFeedbackCreate",
            "Rate an AI answer",
            "Records a thumbs up or down (and an optional comment) on an assistant message; a second rating "
            "replaces the first.",
            body=json_body(sref("AiFeedback"), fb_example),
            responses={
                "201": ok(
                    "Feedback recorded.",
                    sref("AiFeedback"),
                    {"id": id_example("fbk"), **fb_example, "createdAt": UPDATED_AT},
                ),
                **errors((400, 401, 403, 404, 422, 429, 500)),
            },
            scope="read-only",
        ),
    )


LICENSE_KEY_PATTERN = "^ECOS-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$"
LICENSE_KEY = "ECOS-7KQ2-M9XD-4HTR-P3WZ"
INSTANCE_ID = "3f2c9a1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"


def build_licenses() -> None:
    m = "licenses"
    lic = id_example("lic")
    key_s = {
        "type": "string",
        "pattern": LICENSE_KEY_PATTERN,
        "description": "License key as delivered by email.",
        "example": LICENSE_KEY,
    }
    prd_s = {
        "type": "string",
        "pattern": id_pattern("prd"),
        "description": "Product the key is for.",
        "example": "prd_01HODOOCRM",
    }
    inst_s = {
        "type": "string",
        "minLength": 8,
        "maxLength": 64,
        "description": "Stable id of the installation (e.g. the Odoo database UUID).",
        "example": INSTANCE_ID,
    }
    dom_s = {
        "type": "string",
        "format": "hostname",
        "description": "Domain the instance runs on.",
        "example": "erp.acme.example.com",
    }
    validate_example = {
        "licenseKey": LICENSE_KEY,
        "productId": "prd_01HODOOCRM",
        "instanceId": INSTANCE_ID,
        "domain": "erp.acme.example.com",
    }
    add_schema(
        "LicenseValidateRequest",
        {
            "type": "object",
            "required": ["licenseKey", "productId"],
            "properties": {
                "licenseKey": key_s,
                "productId": prd_s,
                "instanceId": inst_s,
                "domain": dom_s,
            },
            "example": validate_example,
        },
    )
    activations_s = {
        "type": "object",
        "required": ["used", "limit"],
        "properties": {
            "used": {"type": "integer", "format": "int32", "minimum": 0},
            "limit": {"type": "integer", "format": "int32", "minimum": 1},
        },
    }
    status_s = {"type": "string", "enum": ["active", "expired", "suspended", "revoked"]}
    validation_example = {
        "valid": True,
        "status": "active",
        "licenseId": lic,
        "productId": "prd_01HODOOCRM",
        "plan": "business",
        "expiresAt": "2025-03-21T00:00:00Z",
        "activations": {"used": 1, "limit": 3},
        "features": ["sync", "multi-company"],
        "checkedAt": CREATED_AT,
    }
    add_schema(
        "LicenseValidation",
        {
            "description": "Outcome of a validation. An unknown, expired or revoked key is `valid: false` (still 200).",
            "type": "object",
            "required": ["valid", "status", "checkedAt"],
            "properties": {
                "valid": {"type": "boolean"},
                "status": {**status_s, "enum": status_s["enum"] + ["unknown"]},
                "licenseId": {"type": "string", "pattern": id_pattern("lic"), "nullable": True},
                "productId": prd_s,
                "plan": {"type": "string", "enum": ["starter", "business", "enterprise"]},
                "expiresAt": {"type": "string", "format": "date-time", "nullable": True},
                "activations": activations_s,
                "features": {"type": "array", "items": {"type": "string"}},
                "checkedAt": {"type": "string", "format": "date-time"},
            },
            "example": validation_example,
        },
    )
    add_op(
        m,
        "/licenses/validate",
        "post",
        operation(
            m,
            "licensesValidate",
            "Validate a license key",
            "Checks a license key for a product (and optionally an installation). Public: called by the "
            "installed modules. Emits the `license.validated` webhook. Rate limited to 30 requests a minute.",
            body=json_body(sref("LicenseValidateRequest"), validate_example),
            responses={
                "200": ok("Validation result.", sref("LicenseValidation"), validation_example),
                **errors((400, 422, 429, 500)),
            },
            public=True,
            limit=30,
        ),
    )
    activate_example = dict(validate_example)
    add_schema(
        "LicenseActivateRequest",
        {
            "type": "object",
            "required": ["licenseKey", "productId", "instanceId"],
            "properties": {
                "licenseKey": key_s,
                "productId": prd_s,
                "instanceId": inst_s,
                "domain": dom_s,
            },
            "example": activate_example,
        },
    )
    activation_example = {
        "id": id_example("lac"),
        "licenseId": lic,
        "instanceId": INSTANCE_ID,
        "domain": "erp.acme.example.com",
        "activatedAt": CREATED_AT,
        "activations": {"used": 2, "limit": 3},
    }
    add_schema(
        "LicenseActivation",
        {
            "type": "object",
            "required": ["id", "licenseId", "instanceId", "activatedAt"],
            "properties": {
                "id": {"type": "string", "pattern": id_pattern("lac"), "readOnly": True},
                "licenseId": {"type": "string", "pattern": id_pattern("lic")},
                "instanceId": inst_s,
                "domain": dom_s,
                "activatedAt": {"type": "string", "format": "date-time"},
                "activations": activations_s,
            },
            "example": activation_example,
        },
    )
    add_op(
        m,
        "/licenses/activate",
        "post",
        operation(
            m,
            "licensesActivate",
            "Activate a license on an instance",
            "Binds the license to an installation. Activating the same instance again is idempotent (200 with the "
            "existing activation); a new instance beyond the plan's limit answers 409. Emits the "
            "`license.activated` webhook. Rate limited to 10 requests a minute.",
            body=json_body(sref("LicenseActivateRequest"), activate_example),
            responses={
                "201": ok("Activated.", sref("LicenseActivation"), activation_example),
                "200": ok(
                    "Already active on this instance.",
                    sref("LicenseActivation"),
                    activation_example,
                ),
                **errors(
                    (400, 404, 409, 422, 429, 500),
                    overrides={
                        404: problem_response(
                            "Unknown license key.", 404, "Not Found", "License key not found"
                        ),
                        409: problem_response(
                            "Activation limit reached, or the license is not active.",
                            409,
                            "Conflict",
                            "Activation limit reached (3 of 3)",
                        ),
                    },
                ),
            },
            public=True,
            limit=10,
        ),
    )
    license_example = {
        "id": lic,
        "key": "ECOS-7KQ2-****-****-P3WZ",
        "productId": "prd_01HODOOCRM",
        "productName": "Odoo CRM Connector",
        "status": "active",
        "plan": "business",
        "seats": 40,
        "ownerId": "usr_01HXYZ",
        "orderId": id_example("eco"),
        "activations": [activation_example | {"activations": {"used": 2, "limit": 3}}],
        "activationLimit": 3,
        "expiresAt": "2025-03-21T00:00:00Z",
        "createdAt": CREATED_AT,
        "updatedAt": UPDATED_AT,
    }
    add_schema(
        "License",
        {
            "type": "object",
            "required": [
                "id",
                "key",
                "productId",
                "status",
                "plan",
                "activations",
                "activationLimit",
                "createdAt",
            ],
            "properties": {
                "id": {"type": "string", "pattern": id_pattern("lic"), "readOnly": True},
                "key": {
                    "type": "string",
                    "description": "Masked key; the full key is only in the purchase email.",
                },
                "productId": prd_s,
                "productName": {"type": "string"},
                "status": status_s,
                "plan": {"type": "string", "enum": ["starter", "business", "enterprise"]},
                "seats": {"type": "integer", "format": "int32", "minimum": 1},
                "ownerId": {"type": "string", "pattern": id_pattern("usr")},
                "orderId": {
                    "type": "string",
                    "pattern": id_pattern("eco"),
                    "description": "Online order that granted it.",
                },
                "activations": {"type": "array", "items": sref("LicenseActivation")},
                "activationLimit": {"type": "integer", "format": "int32", "minimum": 1},
                "expiresAt": {"type": "string", "format": "date-time", "nullable": True},
                "createdAt": {"type": "string", "format": "date-time", "readOnly": True},
                "updatedAt": {"type": "string", "format": "date-time", "readOnly": True},
            },
            "example": license_example,
        },
    )
    add_schema(
        "LicenseList",
        {
            "type": "object",
            "required": ["data", "meta"],
            "properties": {
                "data": {"type": "array", "items": sref("License")},
                "meta": sref("PageMeta"),
            },
        },
    )
    add_op(
        m,
        "/licenses",
        "get",
        operation(
            m,
            "licensesList",
            "List licenses",
            "Lists the licenses owned by the organization.",
            params=[
                *PAGING,
                {
                    "name": "status",
                    "in": "query",
                    "required": False,
                    "schema": status_s,
                    "description": "Only licenses in this status.",
                },
                {
                    "name": "productId",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "pattern": id_pattern("prd")},
                    "description": "Only licenses of this product.",
                },
            ],
            responses={
                "200": ok(
                    "A page of licenses.",
                    sref("LicenseList"),
                    {"data": [license_example], "meta": page_meta()},
                ),
                **errors(ERRORS_BY_KIND["list"]),
            },
            scope="read-only",
        ),
    )
    lparam = path_param("licenseId", "lic", "license")
    add_op(
        m,
        "/licenses/{licenseId}",
        "get",
        operation(
            m,
            "licensesGet",
            "Get a license",
            "Returns a license with its activations.",
            params=[lparam],
            responses={
                "200": ok("The license.", sref("License"), license_example),
                **errors(ERRORS_BY_KIND["get"]),
            },
            scope="read-only",
        ),
    )
    add_op(
        m,
        "/licenses/{licenseId}/deactivate",
        "post",
        operation(
            m,
            "licensesDeactivate",
            "Deactivate a license on an instance",
            "Releases one activation so that the key can be used on another installation.",
            params=[lparam],
            body=json_body(
                {
                    "type": "object",
                    "required": ["instanceId"],
                    "properties": {"instanceId": inst_s},
                },
                {"instanceId": INSTANCE_ID},
            ),
            responses={
                "200": ok(
                    "The license after deactivation.",
                    sref("License"),
                    {**license_example, "activations": []},
                ),
                **errors(ERRORS_BY_KIND["action"]),
            },
            scope="read-write",
        ),
    )


def build_newsletter() -> None:
    m = "newsletter"
    lists_s = {
        "type": "array",
        "uniqueItems": True,
        "items": {"type": "string", "enum": ["product-updates", "blog", "offers", "events"]},
        "default": ["product-updates"],
    }
    sub_example = {
        "email": "jane.doe@example.com",
        "name": "Jane Doe",
        "lists": ["product-updates", "blog"],
        "source": "footer-form",
        "consent": True,
    }
    add_schema(
        "NewsletterSubscribeRequest",
        {
            "type": "object",
            "required": ["email", "consent"],
            "properties": {
                "email": {"type": "string", "format": "email", "maxLength": 254},
                "name": {"type": "string", "maxLength": 200},
                "lists": lists_s,
                "source": {
                    "type": "string",
                    "maxLength": 100,
                    "description": "Form or page of origin.",
                },
                "consent": {
                    "type": "boolean",
                    "enum": [True],
                    "description": "Must be true (GDPR).",
                },
            },
            "example": sub_example,
        },
    )
    subscription_example = {
        "subscriberId": id_example("nsb"),
        "email": "jane.doe@example.com",
        "status": "pending",
        "lists": ["product-updates", "blog"],
        "subscribedAt": CREATED_AT,
    }
    add_schema(
        "NewsletterSubscription",
        {
            "type": "object",
            "required": ["subscriberId", "email", "status", "subscribedAt"],
            "properties": {
                "subscriberId": {"type": "string", "pattern": id_pattern("nsb")},
                "email": {"type": "string", "format": "email"},
                "status": {
                    "type": "string",
                    "enum": ["pending", "subscribed"],
                    "description": "`pending` until the address is confirmed (double opt-in).",
                },
                "lists": lists_s,
                "subscribedAt": {"type": "string", "format": "date-time"},
            },
            "example": subscription_example,
        },
    )
    add_op(
        m,
        "/newsletter/subscribe",
        "post",
        operation(
            m,
            "newsletterSubscribe",
            "Subscribe to the newsletter",
            "Public: registers an address and sends a confirmation email (double opt-in). Subscribing an address "
            "that is already confirmed answers 409. Rate limited to 5 requests a minute per IP address.",
            body=json_body(sref("NewsletterSubscribeRequest"), sub_example),
            responses={
                "201": ok(
                    "Subscription pending confirmation.",
                    sref("NewsletterSubscription"),
                    subscription_example,
                ),
                **errors(
                    (400, 409, 422, 429, 500),
                    overrides={
                        409: problem_response(
                            "Already subscribed.",
                            409,
                            "Conflict",
                            "This address is already subscribed",
                        )
                    },
                ),
            },
            public=True,
            limit=5,
        ),
    )
    add_op(
        m,
        "/newsletter/unsubscribe",
        "post",
        operation(
            m,
            "newsletterUnsubscribe",
            "Unsubscribe from the newsletter",
            "Public: removes the address from all lists (or the lists given), using the token from the footer "
            "of every newsletter email.",
            body=json_body(
                {
                    "type": "object",
                    "required": ["email", "token"],
                    "properties": {
                        "email": {"type": "string", "format": "email"},
                        "token": {"type": "string", "minLength": 16, "maxLength": 128},
                        "lists": lists_s,
                    },
                },
                {"email": "jane.doe@example.com", "token": "uns_4c1e9f5e1c2b7a0e9d41"},
            ),
            responses={"204": ok("Unsubscribed."), **errors((400, 404, 422, 429, 500))},
            public=True,
        ),
    )
    camp_example = {
        "id": id_example("cmp"),
        "subject": "What's new in ECOSIRE 2.4",
        "list": "product-updates",
        "status": "sent",
        "scheduledAt": "2024-03-20T08:00:00Z",
        "sentAt": "2024-03-20T08:00:05Z",
        "stats": {"recipients": 18204, "opens": 7411, "clicks": 1290, "unsubscribes": 21},
        "webUrl": "https://ecosire.com/newsletter/whats-new-2-4",
        "createdAt": CREATED_AT,
    }
    add_schema(
        "NewsletterCampaign",
        {
            "type": "object",
            "required": ["id", "subject", "status", "createdAt"],
            "properties": {
                "id": {"type": "string", "pattern": id_pattern("cmp"), "readOnly": True},
                "subject": {"type": "string", "maxLength": 200},
                "list": {"type": "string", "enum": ["product-updates", "blog", "offers", "events"]},
                "status": {"type": "string", "enum": ["draft", "scheduled", "sending", "sent"]},
                "scheduledAt": {"type": "string", "format": "date-time", "nullable": True},
                "sentAt": {"type": "string", "format": "date-time", "nullable": True},
                "stats": {
                    "type": "object",
                    "properties": {
                        k: {"type": "integer", "format": "int32", "minimum": 0}
                        for k in ("recipients", "opens", "clicks", "unsubscribes")
                    },
                },
                "webUrl": {"type": "string", "format": "uri"},
                "createdAt": {"type": "string", "format": "date-time", "readOnly": True},
            },
            "example": camp_example,
        },
    )
    add_schema(
        "NewsletterCampaignList",
        {
            "type": "object",
            "required": ["data", "meta"],
            "properties": {
                "data": {"type": "array", "items": sref("NewsletterCampaign")},
                "meta": sref("PageMeta"),
            },
        },
    )
    add_op(
        m,
        "/newsletter/campaigns",
        "get",
        operation(
            m,
            "newsletterCampaignsList",
            "List newsletter campaigns",
            "Lists past and scheduled newsletter issues.",
            params=[
                *PAGING,
                {
                    "name": "status",
                    "in": "query",
                    "required": False,
                    "description": "Only this status.",
                    "schema": {"type": "string", "enum": ["draft", "scheduled", "sending", "sent"]},
                },
            ],
            responses={
                "200": ok(
                    "A page of campaigns.",
                    sref("NewsletterCampaignList"),
                    {"data": [camp_example], "meta": page_meta()},
                ),
                **errors(ERRORS_BY_KIND["list"]),
            },
            scope="read-only",
        ),
    )
    add_op(
        m,
        "/newsletter/campaigns/{campaignId}",
        "get",
        operation(
            m,
            "newsletterCampaignsGet",
            "Get a newsletter campaign",
            "Returns one campaign with its statistics.",
            params=[path_param("campaignId", "cmp", "campaign")],
            responses={
                "200": ok("The campaign.", sref("NewsletterCampaign"), camp_example),
                **errors(ERRORS_BY_KIND["get"]),
            },
            scope="read-only",
        ),
    )


ADMIN_SECURITY = [{"bearerAuth": []}, {"apiKey": []}, {"cookieAuth": []}, {"oauth2": ["admin"]}]


def build_api_keys() -> None:
    m = "api-keys"
    kid = id_example("key")
    scope_s = {
        "type": "string",
        "enum": ["read-only", "read-write", "admin"],
        "description": "`read-only`: GET requests only. `read-write`: every operation except key and "
        "webhook management. `admin`: everything, including managing other keys.",
    }
    # Examples use test keys: a live-looking secret in a document is a leak to scanners.
    key_secret = api_key_example("test", "demo-key")
    rotated_secret = api_key_example("test", "demo-key-rotated")
    key_example = {
        "id": kid,
        "name": "Staging ERP sync",
        "environment": "test",
        "scope": "read-write",
        "prefix": "ecos_test_",
        "last4": key_secret[-4:],
        "status": "active",
        "expiresAt": "2025-03-21T00:00:00Z",
        "lastUsedAt": UPDATED_AT,
        "createdBy": "usr_01HXYZ",
        "createdAt": CREATED_AT,
    }
    props = {
        "id": {"type": "string", "pattern": id_pattern("key"), "readOnly": True},
        "name": {"type": "string", "minLength": 1, "maxLength": 100},
        "environment": {
            "type": "string",
            "enum": ["live", "test"],
            "description": "`ecos_live_` or `ecos_test_` keys.",
        },
        "scope": scope_s,
        "prefix": {"type": "string", "enum": ["ecos_live_", "ecos_test_"], "readOnly": True},
        "last4": {
            "type": "string",
            "pattern": "^[A-Za-z0-9]{4}$",
            "readOnly": True,
            "description": "Last four characters, to recognise the key.",
        },
        "status": {
            "type": "string",
            "enum": ["active", "rotating", "expired", "revoked"],
            "readOnly": True,
            "description": "`rotating`: replaced by a new key but still valid until `previousKeyExpiresAt`.",
        },
        "expiresAt": {"type": "string", "format": "date-time", "nullable": True},
        "lastUsedAt": {"type": "string", "format": "date-time", "nullable": True, "readOnly": True},
        "createdBy": {"type": "string", "pattern": id_pattern("usr"), "readOnly": True},
        "createdAt": {"type": "string", "format": "date-time", "readOnly": True},
    }
    add_schema(
        "ApiKey",
        {
            "description": "An API key (the secret itself is never returned again after creation).",
            "type": "object",
            "required": [
                "id",
                "name",
                "environment",
                "scope",
                "prefix",
                "last4",
                "status",
                "createdAt",
            ],
            "properties": props,
            "example": key_example,
        },
    )
    create_example = {
        "name": "Production ERP sync",
        "scope": "read-write",
        "environment": "live",
        "expiresAt": "2025-03-21T00:00:00Z",
    }
    add_schema(
        "ApiKeyCreate",
        {
            "type": "object",
            "required": ["name", "scope"],
            "properties": {
                "name": props["name"],
                "scope": scope_s,
                "environment": {**props["environment"], "default": "live"},
                "expiresAt": {
                    "type": "string",
                    "format": "date-time",
                    "description": "Optional expiry; the key never expires without it.",
                },
            },
            "example": create_example,
        },
    )
    secret_s = {
        "type": "string",
        "pattern": API_KEY_PATTERN,
        "description": "The secret key. Shown only in this response: store it now.",
    }
    add_schema(
        "ApiKeyWithSecret",
        {
            "allOf": [
                sref("ApiKey"),
                {"type": "object", "required": ["key"], "properties": {"key": secret_s}},
            ],
            "example": {**key_example, "key": key_secret},
        },
    )
    add_schema(
        "ApiKeyRotation",
        {
            "type": "object",
            "required": ["apiKey", "key", "previousKeyExpiresAt"],
            "properties": {
                "apiKey": sref("ApiKey"),
                "key": secret_s,
                "previousKeyExpiresAt": {
                    "type": "string",
                    "format": "date-time",
                    "description": "The old secret stays valid until then (24 hours).",
                },
            },
            "example": {
                "apiKey": {**key_example, "last4": rotated_secret[-4:]},
                "key": rotated_secret,
                "previousKeyExpiresAt": "2024-03-23T14:05:00Z",
            },
        },
    )
    add_schema(
        "ApiKeyList",
        {
            "type": "object",
            "required": ["data", "meta"],
            "properties": {
                "data": {"type": "array", "items": sref("ApiKey")},
                "meta": sref("PageMeta"),
            },
        },
    )
    admin_note = " Requires the `admin` scope (admin API key, or a user with the admin role)."
    add_op(
        m,
        "/api-keys",
        "get",
        operation(
            m,
            "apiKeysList",
            "List API keys",
            "Lists the organization's API keys without their secrets." + admin_note,
            params=[
                *PAGING,
                {
                    "name": "status",
                    "in": "query",
                    "required": False,
                    "description": "Only this status.",
                    "schema": {
                        "type": "string",
                        "enum": ["active", "rotating", "expired", "revoked"],
                    },
                },
            ],
            responses={
                "200": ok(
                    "A page of keys.",
                    sref("ApiKeyList"),
                    {"data": [key_example], "meta": page_meta()},
                ),
                **errors(ERRORS_BY_KIND["list"]),
            },
            scope="admin",
            security=ADMIN_SECURITY,
        ),
    )
    add_op(
        m,
        "/api-keys",
        "post",
        operation(
            m,
            "apiKeysCreate",
            "Create an API key",
            "Creates a key and returns its secret (`ecos_live_` or `ecos_test_` followed by 32 characters) "
            "exactly once. Keep separate keys for development, staging and production; every request made "
            "with a production key is logged for audit." + admin_note,
            params=[IDEMPOTENCY],
            body=json_body(sref("ApiKeyCreate"), create_example),
            responses={
                "201": ok(
                    "The key, with its secret (shown once).",
                    sref("ApiKeyWithSecret"),
                    {**key_example, "lastUsedAt": None, "key": key_secret},
                ),
                **errors(ERRORS_BY_KIND["create"]),
            },
            scope="admin",
            security=ADMIN_SECURITY,
        ),
    )
    kparam = path_param("keyId", "key", "API key")
    add_op(
        m,
        "/api-keys/{keyId}",
        "get",
        operation(
            m,
            "apiKeysGet",
            "Get an API key",
            "Returns one key without its secret." + admin_note,
            params=[kparam],
            responses={
                "200": ok("The key.", sref("ApiKey"), key_example),
                **errors(ERRORS_BY_KIND["get"]),
            },
            scope="admin",
            security=ADMIN_SECURITY,
        ),
    )
    add_op(
        m,
        "/api-keys/{keyId}/rotate",
        "post",
        operation(
            m,
            "apiKeysRotate",
            "Rotate an API key",
            "Issues a new secret for the key. The previous secret keeps working for 24 hours "
            "(`previousKeyExpiresAt`) so that deployments can switch without downtime."
            + admin_note,
            params=[kparam],
            responses={
                "200": ok(
                    "The new secret (shown once).",
                    sref("ApiKeyRotation"),
                    SCHEMAS["ApiKeyRotation"]["example"],
                ),
                **errors((401, 403, 404, 409, 429, 500)),
            },
            scope="admin",
            security=ADMIN_SECURITY,
        ),
    )
    add_op(
        m,
        "/api-keys/{keyId}",
        "delete",
        operation(
            m,
            "apiKeysRevoke",
            "Revoke an API key",
            "Revokes the key immediately (including a rotated previous secret). Cannot be undone."
            + admin_note,
            params=[kparam],
            responses={"204": ok("Revoked."), **errors((401, 403, 404, 429, 500))},
            scope="admin",
            security=ADMIN_SECURITY,
        ),
    )
    usage_example = {
        "keyId": kid,
        "from": "2024-03-15",
        "to": "2024-03-21",
        "totalRequests": 48210,
        "errorCount": 312,
        "errorRate": 0.0065,
        "lastUsedAt": UPDATED_AT,
        "byStatus": {"2xx": 47898, "4xx": 301, "5xx": 11},
        "daily": [{"date": "2024-03-21", "requests": 7012, "errors": 40}],
    }
    add_schema(
        "ApiKeyUsage",
        {
            "type": "object",
            "required": ["keyId", "from", "to", "totalRequests", "errorCount", "errorRate"],
            "properties": {
                "keyId": {"type": "string", "pattern": id_pattern("key")},
                "from": {"type": "string", "format": "date"},
                "to": {"type": "string", "format": "date"},
                "totalRequests": {"type": "integer", "format": "int64", "minimum": 0},
                "errorCount": {"type": "integer", "format": "int64", "minimum": 0},
                "errorRate": {
                    "type": "number",
                    "format": "double",
                    "minimum": 0,
                    "maximum": 1,
                    "description": "errorCount / totalRequests.",
                },
                "lastUsedAt": {"type": "string", "format": "date-time", "nullable": True},
                "byStatus": {
                    "type": "object",
                    "additionalProperties": {"type": "integer", "format": "int64"},
                },
                "daily": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["date", "requests", "errors"],
                        "properties": {
                            "date": {"type": "string", "format": "date"},
                            "requests": {"type": "integer", "format": "int64"},
                            "errors": {"type": "integer", "format": "int64"},
                        },
                    },
                },
            },
            "example": usage_example,
        },
    )
    add_op(
        m,
        "/api-keys/{keyId}/usage",
        "get",
        operation(
            m,
            "apiKeysUsage",
            "Get API key usage",
            "Request counts, error rate and last use of a key over a date range (default: the last 7 days)."
            + admin_note,
            params=[
                kparam,
                {
                    "name": "from",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "format": "date"},
                    "description": "First day (inclusive).",
                    "example": "2024-03-15",
                },
                {
                    "name": "to",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "format": "date"},
                    "description": "Last day (inclusive).",
                    "example": "2024-03-21",
                },
            ],
            responses={
                "200": ok("Usage statistics.", sref("ApiKeyUsage"), usage_example),
                **errors((400, 401, 403, 404, 429, 500)),
            },
            scope="admin",
            security=ADMIN_SECURITY,
        ),
    )


WEBHOOK_EVENTS = [
    "checkout.session.completed",
    "invoice.paid",
    "customer.subscription.deleted",
    "customer.subscription.updated",
    "charge.refunded",
    "payment_intent.payment_failed",
    "license.validated",
    "license.activated",
]


def build_webhooks_config() -> None:
    m = "webhooks"
    wid = id_example("whk")
    add_schema(
        "WebhookEventType",
        {"type": "string", "enum": WEBHOOK_EVENTS, "description": "A webhook event name."},
    )
    ep_example = {
        "id": wid,
        "url": "https://erp.acme.example.com/hooks/ecosire",
        "description": "Grant licenses in our ERP",
        "events": ["checkout.session.completed", "license.activated"],
        "enabled": True,
        "secretLast4": "9f3a",
        "createdAt": CREATED_AT,
        "updatedAt": UPDATED_AT,
    }
    props = {
        "id": {"type": "string", "pattern": id_pattern("whk"), "readOnly": True},
        "url": {
            "type": "string",
            "format": "uri",
            "maxLength": 2048,
            "description": "HTTPS endpoint receiving the POSTs.",
        },
        "description": {"type": "string", "maxLength": 500},
        "events": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": sref("WebhookEventType"),
        },
        "enabled": {"type": "boolean", "default": True},
        "secretLast4": {"type": "string", "readOnly": True},
        "createdAt": {"type": "string", "format": "date-time", "readOnly": True},
        "updatedAt": {"type": "string", "format": "date-time", "readOnly": True},
    }
    add_schema(
        "WebhookEndpoint",
        {
            "type": "object",
            "required": ["id", "url", "events", "enabled", "createdAt"],
            "properties": props,
            "example": ep_example,
        },
    )
    writable = {k: props[k] for k in ("url", "description", "events", "enabled")}
    create_example = {
        "url": ep_example["url"],
        "description": ep_example["description"],
        "events": ep_example["events"],
    }
    add_schema(
        "WebhookEndpointCreate",
        {
            "type": "object",
            "required": ["url", "events"],
            "properties": writable,
            "example": create_example,
        },
    )
    add_schema(
        "WebhookEndpointUpdate",
        {
            "type": "object",
            "minProperties": 1,
            "properties": writable,
            "example": {"enabled": False},
        },
    )
    secret = "whsec_" + hashlib.sha256(b"demo-webhook-secret").hexdigest()[:32]
    add_schema(
        "WebhookEndpointWithSecret",
        {
            "allOf": [
                sref("WebhookEndpoint"),
                {
                    "type": "object",
                    "required": ["secret"],
                    "properties": {
                        "secret": {
                            "type": "string",
                            "pattern": "^whsec_[A-Za-z0-9]{32}$",
                            "description": "Signing secret, shown once: verify `X-License-Signature` / `Stripe-Signature` with it.",
                        }
                    },
                },
            ],
            "example": {**ep_example, "secret": secret},
        },
    )
    add_schema(
        "WebhookEndpointList",
        {
            "type": "object",
            "required": ["data", "meta"],
            "properties": {
                "data": {"type": "array", "items": sref("WebhookEndpoint")},
                "meta": sref("PageMeta"),
            },
        },
    )
    note = " Requires the `admin` scope."
    add_op(
        m,
        "/webhooks",
        "get",
        operation(
            m,
            "webhooksList",
            "List webhook endpoints",
            "Lists the configured webhook endpoints." + note,
            params=PAGING,
            responses={
                "200": ok(
                    "A page of endpoints.",
                    sref("WebhookEndpointList"),
                    {"data": [ep_example], "meta": page_meta()},
                ),
                **errors(ERRORS_BY_KIND["list"]),
            },
            scope="admin",
            security=ADMIN_SECURITY,
        ),
    )
    add_op(
        m,
        "/webhooks",
        "post",
        operation(
            m,
            "webhooksCreate",
            "Create a webhook endpoint",
            "Registers an HTTPS endpoint for some of the 8 events; the signing secret is returned once."
            + note,
            params=[IDEMPOTENCY],
            body=json_body(sref("WebhookEndpointCreate"), create_example),
            responses={
                "201": ok(
                    "The endpoint and its secret.",
                    sref("WebhookEndpointWithSecret"),
                    {**ep_example, "secret": secret},
                ),
                **errors(ERRORS_BY_KIND["create"]),
            },
            scope="admin",
            security=ADMIN_SECURITY,
        ),
    )
    wparam = path_param("webhookId", "whk", "webhook endpoint")
    add_op(
        m,
        "/webhooks/{webhookId}",
        "get",
        operation(
            m,
            "webhooksGet",
            "Get a webhook endpoint",
            "Returns one endpoint." + note,
            params=[wparam],
            responses={
                "200": ok("The endpoint.", sref("WebhookEndpoint"), ep_example),
                **errors(ERRORS_BY_KIND["get"]),
            },
            scope="admin",
            security=ADMIN_SECURITY,
        ),
    )
    add_op(
        m,
        "/webhooks/{webhookId}",
        "patch",
        operation(
            m,
            "webhooksUpdate",
            "Update a webhook endpoint",
            "Changes the URL, events or enabled flag." + note,
            params=[wparam],
            body=json_body(sref("WebhookEndpointUpdate"), {"enabled": False}),
            responses={
                "200": ok(
                    "The endpoint.", sref("WebhookEndpoint"), {**ep_example, "enabled": False}
                ),
                **errors(ERRORS_BY_KIND["update"]),
            },
            scope="admin",
            security=ADMIN_SECURITY,
        ),
    )
    add_op(
        m,
        "/webhooks/{webhookId}",
        "delete",
        operation(
            m,
            "webhooksDelete",
            "Delete a webhook endpoint",
            "Stops deliveries and deletes the endpoint." + note,
            params=[wparam],
            responses={"204": ok("Deleted."), **errors((401, 403, 404, 429, 500))},
            scope="admin",
            security=ADMIN_SECURITY,
        ),
    )
    test_example = {
        "deliveryId": id_example("dly"),
        "event": "checkout.session.completed",
        "success": True,
        "responseStatus": 200,
        "durationMs": 184,
    }
    add_schema(
        "WebhookTestResult",
        {
            "type": "object",
            "required": ["deliveryId", "event", "success"],
            "properties": {
                "deliveryId": {"type": "string", "pattern": id_pattern("dly")},
                "event": sref("WebhookEventType"),
                "success": {"type": "boolean"},
                "responseStatus": {"type": "integer", "format": "int32", "nullable": True},
                "durationMs": {"type": "integer", "format": "int32", "minimum": 0},
            },
            "example": test_example,
        },
    )
    add_op(
        m,
        "/webhooks/{webhookId}/test",
        "post",
        operation(
            m,
            "webhooksTest",
            "Send a test event",
            "Delivers a signed sample payload of the chosen event to the endpoint and reports the outcome."
            + note,
            params=[wparam],
            body=json_body(
                {
                    "type": "object",
                    "required": ["event"],
                    "properties": {"event": sref("WebhookEventType")},
                },
                {"event": "checkout.session.completed"},
            ),
            responses={
                "200": ok("Delivery result.", sref("WebhookTestResult"), test_example),
                **errors(ERRORS_BY_KIND["action"]),
            },
            scope="admin",
            security=ADMIN_SECURITY,
        ),
    )
    delivery_example = {
        "id": test_example["deliveryId"],
        "event": "checkout.session.completed",
        "eventId": "evt_1ABCxyz",
        "status": "succeeded",
        "attempt": 1,
        "responseStatus": 200,
        "durationMs": 184,
        "nextRetryAt": None,
        "createdAt": CREATED_AT,
    }
    add_schema(
        "WebhookDelivery",
        {
            "type": "object",
            "required": ["id", "event", "eventId", "status", "attempt", "createdAt"],
            "properties": {
                "id": {"type": "string", "pattern": id_pattern("dly")},
                "event": sref("WebhookEventType"),
                "eventId": {"type": "string", "pattern": "^evt_[A-Za-z0-9]+$"},
                "status": {"type": "string", "enum": ["pending", "succeeded", "failed"]},
                "attempt": {
                    "type": "integer",
                    "format": "int32",
                    "minimum": 1,
                    "description": "Failed deliveries are retried with exponential backoff, up to 8 attempts.",
                },
                "responseStatus": {"type": "integer", "format": "int32", "nullable": True},
                "durationMs": {"type": "integer", "format": "int32", "minimum": 0},
                "nextRetryAt": {"type": "string", "format": "date-time", "nullable": True},
                "createdAt": {"type": "string", "format": "date-time"},
            },
            "example": delivery_example,
        },
    )
    add_schema(
        "WebhookDeliveryList",
        {
            "type": "object",
            "required": ["data", "meta"],
            "properties": {
                "data": {"type": "array", "items": sref("WebhookDelivery")},
                "meta": sref("PageMeta"),
            },
        },
    )
    add_op(
        m,
        "/webhooks/{webhookId}/deliveries",
        "get",
        operation(
            m,
            "webhooksDeliveriesList",
            "List webhook deliveries",
            "Lists recent delivery attempts to the endpoint (kept 30 days)." + note,
            params=[
                wparam,
                ref("parameters", "page"),
                ref("parameters", "limit"),
                {
                    "name": "status",
                    "in": "query",
                    "required": False,
                    "description": "Only this status.",
                    "schema": {"type": "string", "enum": ["pending", "succeeded", "failed"]},
                },
            ],
            responses={
                "200": ok(
                    "A page of deliveries.",
                    sref("WebhookDeliveryList"),
                    {"data": [delivery_example], "meta": page_meta()},
                ),
                **errors((400, 401, 403, 404, 429, 500)),
            },
            scope="admin",
            security=ADMIN_SECURITY,
        ),
    )


def build_health() -> None:
    m = "health"
    health_example = {
        "status": "ok",
        "version": "2.4.0",
        "uptimeSeconds": 1209600,
        "time": CREATED_AT,
    }
    add_schema(
        "Health",
        {
            "type": "object",
            "required": ["status", "version", "time"],
            "properties": {
                "status": {"type": "string", "enum": ["ok", "degraded", "down"]},
                "version": {"type": "string"},
                "uptimeSeconds": {"type": "integer", "format": "int64", "minimum": 0},
                "time": {"type": "string", "format": "date-time"},
            },
            "example": health_example,
        },
    )
    add_op(
        m,
        "/health",
        "get",
        operation(
            m,
            "healthGet",
            "Health check",
            "Liveness probe: answers 200 while the API serves requests.",
            responses={"200": ok("Healthy.", sref("Health"), health_example), **errors((429, 500))},
            public=True,
        ),
    )
    status_example = {
        "status": "operational",
        "uptime30d": 99.98,
        "components": [
            {"name": "API", "status": "operational"},
            {"name": "Webhooks", "status": "operational"},
            {"name": "AI assistant", "status": "degraded"},
        ],
        "statusPage": "https://status.ecosire.com",
        "updatedAt": CREATED_AT,
    }
    comp_status = {
        "type": "string",
        "enum": ["operational", "degraded", "partial-outage", "major-outage"],
    }
    add_schema(
        "SystemStatus",
        {
            "type": "object",
            "required": ["status", "components", "updatedAt"],
            "properties": {
                "status": comp_status,
                "uptime30d": {
                    "type": "number",
                    "format": "double",
                    "minimum": 0,
                    "maximum": 100,
                    "description": "Uptime over the last 30 days in percent (the SLA promises 99.9).",
                },
                "components": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["name", "status"],
                        "properties": {"name": {"type": "string"}, "status": comp_status},
                    },
                },
                "statusPage": {"type": "string", "format": "uri"},
                "updatedAt": {"type": "string", "format": "date-time"},
            },
            "example": status_example,
        },
    )
    add_op(
        m,
        "/status",
        "get",
        operation(
            m,
            "statusGet",
            "Service status",
            "Status of the API components, as shown on the public status page.",
            responses={
                "200": ok("Current status.", sref("SystemStatus"), status_example),
                **errors((429, 500)),
            },
            public=True,
        ),
    )


# --------------------------------------------------------------------------
# Generated ERP modules
# --------------------------------------------------------------------------


class R:
    """A resource of a generated module."""

    def __init__(
        self,
        p,
        s,
        pre,
        statuses,
        fields,
        actions=(),
        *,
        label=None,
        plural=None,
        d=None,
        ops="lgcuds",
        schema=None,
    ):
        self.p, self.s, self.pre = p, s, pre
        self.statuses = statuses.split()
        self.field_specs = list(fields)
        self.actions = list(actions)
        self.label = label or human(s)
        self.plural = plural or (human(p) if label is None else self.label + "s")
        self.d = d
        self.ops = ops
        self.schema = schema


class M:
    def __init__(self, name, description, resources, *, sp=None):
        self.name = name
        self.description = description
        self.resources = resources
        self.sp = pascal(name) if sp is None else sp


# Actions: slug -> (summary template, description template, body field specs or None, body required,
#                   resulting status or None, success status code)
ACTIONS = {
    "confirm": (
        "Confirm {a}",
        "Confirms {the}; it can no longer be edited freely.",
        None,
        False,
        "confirmed",
        200,
    ),
    "cancel": (
        "Cancel {a}",
        "Cancels {the}. Already cancelled records answer 409.",
        ["reason:text=Customer changed the order quantity."],
        False,
        "cancelled",
        200,
    ),
    "send": (
        "Send {a} by email",
        "Emails {the} as a PDF to its contact (or to the addresses given).",
        ["to:refs:con", "cc:str=accounting@acme.example.com", "message:text"],
        False,
        "sent",
        200,
    ),
    "approve": (
        "Approve {a}",
        "Approves {the}. Only users with the approver role may do this.",
        ["comment:text=Looks good."],
        False,
        "approved",
        200,
    ),
    "refuse": (
        "Refuse {a}",
        "Refuses {the} with a reason shown to the requester.",
        ["reason!:text=Budget exhausted for this quarter."],
        True,
        "refused",
        200,
    ),
    "reject": (
        "Reject {a}",
        "Rejects {the} with a reason.",
        ["reason!:text=Does not meet the guidelines."],
        True,
        "rejected",
        200,
    ),
    "submit": (
        "Submit {a} for approval",
        "Submits {the}; approvers are notified.",
        None,
        False,
        "submitted",
        200,
    ),
    "archive": (
        "Archive {a}",
        "Archives {the}: hidden from pickers, kept for history.",
        None,
        False,
        "archived",
        200,
    ),
    "duplicate": (
        "Duplicate {a}",
        "Creates a copy of {the} in its initial status.",
        None,
        False,
        None,
        201,
    ),
    "validate": (
        "Validate {a}",
        "Validates {the} and applies its effects.",
        None,
        False,
        "done",
        200,
    ),
    "post": (
        "Post {a}",
        "Posts {the} to the ledger and assigns its number; posted documents are immutable.",
        None,
        False,
        "posted",
        200,
    ),
    "register-payment": (
        "Register a payment for {a}",
        "Records a payment against {the}.",
        [
            "amount!:money=1378.85",
            "paymentDate!:date",
            "method:enum:bank-transfer|card|cash|check",
            "reference:str=SEPA-2024-03-0042",
        ],
        True,
        "paid",
        200,
    ),
    "refund": (
        "Refund {a}",
        "Refunds {the} fully, or partially when `amount` is given.",
        ["amount:money=49.0", "reason:enum:requested-by-customer|duplicate|fraudulent"],
        False,
        "refunded",
        200,
    ),
    "assign": (
        "Assign {a}",
        "Assigns {the} to a user, who is notified.",
        ["assigneeId!:ref:usr"],
        True,
        None,
        200,
    ),
    "complete": ("Complete {a}", "Marks {the} as done.", None, False, "done", 200),
    "reopen": ("Reopen {a}", "Reopens a finished {label}.", None, False, None, 200),
    "start": ("Start {a}", "Marks {the} as started.", None, False, "in-progress", 200),
    "publish": ("Publish {a}", "Publishes {the}.", None, False, "published", 200),
    "close": (
        "Close {a}",
        "Closes {the}; no further changes are accepted.",
        None,
        False,
        "closed",
        200,
    ),
    "schedule": (
        "Schedule {a}",
        "Schedules {the} for later.",
        ["scheduledAt!:datetime=2024-04-01T08:00:00Z"],
        True,
        "scheduled",
        200,
    ),
    "disable": (
        "Disable {a}",
        "Disables {the}; it can no longer be used.",
        None,
        False,
        "disabled",
        200,
    ),
    "retry": ("Retry {a}", "Runs a failed {label} again.", None, False, "queued", 200),
    "reset": (
        "Reset {a} to its default",
        "Restores the default value of {the}.",
        None,
        False,
        None,
        200,
    ),
    "renew": (
        "Renew {a}",
        "Extends {the} to a new end date.",
        ["endDate!:date=2025-12-31"],
        True,
        None,
        200,
    ),
    "solve": (
        "Solve {a}",
        "Marks {the} as solved and emails the resolution to the customer.",
        ["resolution!:text=Reinstalled the module after clearing the assets cache."],
        True,
        "solved",
        200,
    ),
    "resolve": (
        "Resolve {a}",
        "Marks {the} as resolved with its root cause.",
        ["resolution!:text=Supplier changed the resin batch; supplier notified."],
        True,
        "resolved",
        200,
    ),
    "share": (
        "Share {a}",
        "Creates a share link for {the}.",
        ["expiresAt:datetime=2024-04-21T00:00:00Z", "allowDownload:bool"],
        False,
        None,
        200,
    ),
    "mark-paid": (
        "Mark {a} as paid",
        "Marks {the} as paid outside the platform.",
        ["paidAt!:datetime", "reference:str=Payroll run 2024-03"],
        True,
        "paid",
        200,
    ),
    "mark-read": ("Mark {a} as read", "Marks {the} as read.", None, False, "read", 200),
    "sync": (
        "Synchronize {a}",
        "Starts a synchronization now instead of waiting for the schedule.",
        None,
        False,
        None,
        200,
    ),
    "run": (
        "Run {a}",
        "Computes {the} now; the result is stored on the record.",
        None,
        False,
        None,
        200,
    ),
    "lock": ("Lock {a}", "Locks {the} against edits.", None, False, "locked", 200),
    "verify": ("Verify {a}", "Marks {the} as verified.", None, False, "verified", 200),
    "revoke": ("Revoke {a}", "Revokes {the} immediately.", None, False, "revoked", 200),
    "resend": ("Resend {a}", "Sends {the} again.", None, False, None, 200),
    "suspend": (
        "Suspend {a}",
        "Suspends {the}; access is blocked until reactivated.",
        ["reason:text=Unpaid invoice INV/2024/0042."],
        False,
        "suspended",
        200,
    ),
    "reactivate": (
        "Reactivate {a}",
        "Reactivates a suspended {label}.",
        None,
        False,
        "active",
        200,
    ),
    "pause": (
        "Pause {a}",
        "Pauses {the}; billing stops until resumed.",
        ["resumesAt:date=2024-06-01"],
        False,
        "paused",
        200,
    ),
    "resume": ("Resume {a}", "Resumes a paused {label}.", None, False, "active", 200),
    "remind": (
        "Send a reminder for {a}",
        "Emails a reminder to everyone who has not acted yet.",
        None,
        False,
        None,
        200,
    ),
    "print": (
        "Render {a} as PDF",
        "Renders {the} and returns a temporary download link on the record.",
        None,
        False,
        None,
        200,
    ),
}

# Custom actions: slug -> same tuple shape.
CUSTOM_ACTIONS = {
    "create-invoice": (
        "Create an invoice from {a}",
        "Creates a draft customer invoice for the delivered quantities of {the}.",
        None,
        False,
        "invoiced",
        200,
    ),
    "receive": (
        "Receive {a}",
        "Registers the receipt of the goods of {the} into stock.",
        None,
        False,
        "received",
        200,
    ),
    "reverse": (
        "Reverse {a}",
        "Posts a reversal entry for {the} on the given date.",
        ["date!:date", "reason:text=Booked on the wrong account."],
        True,
        "reversed",
        200,
    ),
    "reconcile": (
        "Reconcile {a}",
        "Matches the lines of {the} with open invoices and payments.",
        None,
        False,
        "reconciled",
        200,
    ),
    "terminate": (
        "Terminate {a}",
        "Ends the employment of {the} on the given date.",
        ["terminationDate!:date=2024-06-30", "reason:text=Resignation."],
        True,
        "terminated",
        200,
    ),
    "compute": ("Compute {a}", "Computes the salary rules of {the}.", None, False, "computed", 200),
    "generate-payslips": (
        "Generate the payslips of {a}",
        "Creates a payslip for every employee with a running contract in the period of {the}.",
        None,
        False,
        "processing",
        200,
    ),
    "produce": (
        "Record production for {a}",
        "Records produced quantities for {the}; consumes components.",
        ["quantity!:qty=10", "lotName:str=LOT-2024-0815"],
        True,
        "done",
        200,
    ),
    "pass": (
        "Pass {a}",
        "Records {the} as passed.",
        ["measuredValue:qty=4.98", "notes:text"],
        False,
        "passed",
        200,
    ),
    "fail": (
        "Fail {a}",
        "Records {the} as failed and raises a quality alert.",
        ["notes!:text=Diameter out of tolerance."],
        True,
        "failed",
        200,
    ),
    "quarantine": (
        "Quarantine {a}",
        "Blocks {the} from being reserved or shipped.",
        ["reason:text"],
        False,
        "quarantined",
        200,
    ),
    "release": ("Release {a}", "Releases {the} from quarantine.", None, False, "active", 200),
    "retire": ("Retire {a}", "Marks {the} as retired.", ["retiredOn:date"], False, "retired", 200),
    "scrap": ("Scrap {a}", "Scraps the equipment of {the}.", None, False, "scrapped", 200),
    "assign-driver": (
        "Assign a driver to {a}",
        "Sets the driver of {the}.",
        ["driverId!:ref:emp"],
        True,
        None,
        200,
    ),
    "close-session": (
        "Close {a}",
        "Closes {the} and records the counted cash.",
        ["closingCash!:money=1450.0"],
        True,
        "closed",
        200,
    ),
    "checkout": (
        "Check out {a}",
        "Converts {the} into an online order and returns a Stripe Checkout URL on it.",
        ["successUrl!:uri=https://shop.acme.example.com/thanks"],
        True,
        "converted",
        200,
    ),
    "recover": (
        "Send a recovery email for {a}",
        "Emails the customer a link back to {the}.",
        None,
        False,
        None,
        200,
    ),
    "fulfill": (
        "Fulfill {a}",
        "Marks {the} as fulfilled and grants its licenses.",
        None,
        False,
        "fulfilled",
        200,
    ),
    "mark-reached": (
        "Mark {a} as reached",
        "Marks {the} as reached; invoicing can start.",
        None,
        False,
        "reached",
        200,
    ),
    "dispatch": (
        "Dispatch {a}",
        "Notifies the technician and marks {the} as en route.",
        None,
        False,
        "en-route",
        200,
    ),
    "sign": (
        "Sign {a}",
        "Captures the customer's signature on {the}.",
        [
            "signerName!:str=Jane Doe",
            "signatureUrl:uri=https://files.ecosire.com/signatures/jane-doe.png",
        ],
        True,
        "signed",
        200,
    ),
    "pick-up": (
        "Record the pick-up of {a}",
        "Marks the goods of {the} as picked up.",
        None,
        False,
        "picked-up",
        200,
    ),
    "return": (
        "Record the return of {a}",
        "Marks the goods of {the} as returned and releases the deposit.",
        ["damaged:bool=false", "notes:text"],
        False,
        "returned",
        200,
    ),
    "advance": (
        "Move {a} to the next stage",
        "Moves {the} to the given recruitment stage.",
        ["stage!:enum:screening|interview|offer"],
        True,
        None,
        200,
    ),
    "hire": (
        "Hire {a}",
        "Marks {the} as hired and creates an employee.",
        ["startDate!:date=2024-05-01"],
        True,
        "hired",
        200,
    ),
    "check-out": (
        "Check out {a}",
        "Records the check-out time of {the}.",
        ["checkOut:datetime=2024-03-21T17:45:00Z"],
        False,
        "checked-out",
        200,
    ),
    "reschedule": (
        "Reschedule {a}",
        "Moves {the} to a new time slot and notifies the attendees.",
        ["startsAt!:datetime=2024-03-28T10:00:00Z", "endsAt!:datetime=2024-03-28T10:45:00Z"],
        True,
        None,
        200,
    ),
    "check-in": (
        "Check in {a}",
        "Marks the attendee of {the} as present.",
        None,
        False,
        "attended",
        200,
    ),
    "create-label": (
        "Create a shipping label for {a}",
        "Buys a label from the carrier and sets the tracking number.",
        None,
        False,
        "label-created",
        200,
    ),
    "capture": (
        "Capture {a}",
        "Captures an authorized payment.",
        ["amount:cents=24900"],
        False,
        "succeeded",
        200,
    ),
    "set-default": (
        "Make {a} the default",
        "Makes {the} the customer's default payment method.",
        None,
        False,
        None,
        200,
    ),
    "detach": ("Detach {a}", "Detaches {the} from the customer.", None, False, "detached", 200),
    "mute": ("Mute {a}", "Stops notifications for {the}.", None, False, "muted", 200),
    "unmute": ("Unmute {a}", "Restarts notifications for {the}.", None, False, "active", 200),
    "disconnect": (
        "Disconnect {a}",
        "Revokes the stored credentials of {the}.",
        None,
        False,
        "disconnected",
        200,
    ),
    "convert": (
        "Convert {a} to an opportunity",
        "Converts {the} into an opportunity, creating its contact if needed.",
        ["createContact:bool", "opportunityName:str=Acme - Odoo CRM rollout", "pipelineId:ref:pip"],
        False,
        "converted",
        200,
    ),
    "mark-won": ("Mark {a} as won", "Marks {the} as won.", None, False, "won", 200),
    "mark-lost": (
        "Mark {a} as lost",
        "Marks {the} as lost with a reason.",
        ["reason!:enum:price|competitor|no-budget|no-response|other", "note:text"],
        True,
        "lost",
        200,
    ),
    "move-stage": (
        "Move {a} to another stage",
        "Moves {the} to another stage of its pipeline.",
        ["stageId!:ref:stg"],
        True,
        None,
        200,
    ),
    "deprecate": (
        "Deprecate {a}",
        "Prevents new postings on {the}.",
        None,
        False,
        "deprecated",
        200,
    ),
    "activate": ("Activate {a}", "Activates {the}.", None, False, "active", 200),
    "deactivate": ("Deactivate {a}", "Deactivates {the}.", None, False, "inactive", 200),
    "mark-repaired": (
        "Mark {a} as repaired",
        "Marks {the} as repaired.",
        None,
        False,
        "repaired",
        200,
    ),
    "export": (
        "Export {plural}",
        "Starts an export of the {plural} matching the filters; poll the returned job.",
        [
            "format!:enum:csv|xlsx|json",
            'filters:object={"action": "contacts.update"}',
            "from:date=2024-03-01",
            "to:date=2024-03-31",
        ],
        True,
        None,
        "collection",
    ),
    "import": (
        "Import {plural}",
        "Starts an import of {plural} from a file URL; poll the returned job.",
        [
            "fileUrl!:uri=https://files.ecosire.com/imports/products.csv",
            "format!:enum:csv|xlsx|json",
            "dryRun:bool=false",
        ],
        True,
        None,
        "collection",
    ),
}
ALL_ACTIONS = {**ACTIONS, **CUSTOM_ACTIONS}

CRM_RESOURCES = [
    R(
        "leads",
        "lead",
        "led",
        "new qualified contacted converted lost",
        [
            "name!:name=Website inquiry: Odoo CRM for 40 users",
            "contactName:str",
            "email:email",
            "phone:phone",
            "company:str",
            "source!:enum:website|landing-page|chat|referral|event|import",
            "expectedRevenue:money",
            "currency:currency",
            "ownerId:ref:usr",
            "tags:tags=inbound,odoo-crm",
            "notes:text",
        ],
        ["convert", "assign", "mark-lost"],
        d="A potential customer not yet qualified into an opportunity.",
    ),
    R(
        "opportunities",
        "opportunity",
        "opp",
        "open won lost",
        [
            "name!:name=Acme - Odoo CRM rollout",
            "contactId!:ref:con",
            "pipelineId!:ref:pip",
            "stageId!:ref:stg",
            "expectedRevenue!:money",
            "currency!:currency",
            "probability:percent=60",
            "expectedCloseDate:date=2024-05-31",
            "ownerId:ref:usr",
            "tags:tags=enterprise",
        ],
        ["mark-won", "mark-lost", "move-stage"],
        plural="opportunities",
        d="A qualified deal moving through a pipeline.",
    ),
    R(
        "pipelines",
        "pipeline",
        "pip",
        "active archived",
        [
            "name!:name=New business",
            "currency:currency",
            "isDefault:bool=true",
            "stageCount~:int=5",
        ],
        ["archive", "duplicate"],
        d="A sales pipeline: an ordered set of stages.",
    ),
    R(
        "stages",
        "stage",
        "stg",
        "active archived",
        [
            "name!:name=Proposal",
            "pipelineId!:ref:pip",
            "sequence!:int=3",
            "probability:percent=60",
            "isWonStage:bool=false",
        ],
        ["archive"],
        label="pipeline stage",
        d="A stage of a pipeline.",
    ),
    R(
        "activities",
        "activity",
        "act",
        "planned done cancelled",
        [
            "type!:enum:call|email|meeting|task|note",
            "summary!:name=Follow-up call about pricing",
            "dueAt:datetime=2024-03-25T10:00:00Z",
            "leadId:ref:led",
            "opportunityId:ref:opp",
            "contactId:ref:con",
            "assigneeId:ref:usr",
            "notes:text",
        ],
        ["complete", "cancel"],
        label="CRM activity",
        plural="CRM activities",
        d="A call, email, meeting or task.",
    ),
]

GENERATED_MODULES = [
    M(
        "sales",
        "Quotations, sales orders and their lines, from offer to invoice.",
        [
            R(
                "quotations",
                "quotation",
                "quo",
                "draft sent accepted expired cancelled",
                [
                    "reference~:code=SQ/2024/00042",
                    "customerId!:ref:con",
                    "validUntil:date=2024-04-20",
                    "currency!:currency",
                    "lines!:lines",
                    "amountUntaxed~:money",
                    "amountTax~:money",
                    "amountTotal~:money",
                    "salespersonId:ref:usr",
                    "notes:text",
                ],
                ["send", "confirm", "cancel"],
                d="A priced offer sent to a customer.",
            ),
            R(
                "orders",
                "order",
                "sor",
                "draft confirmed delivered invoiced cancelled",
                [
                    "reference~:code=SO/2024/00042",
                    "customerId!:ref:con",
                    "orderDate!:date",
                    "deliveryDate:date=2024-03-28",
                    "currency!:currency",
                    "lines!:lines",
                    "amountUntaxed~:money",
                    "amountTax~:money",
                    "amountTotal~:money",
                    "paymentTerms:enum:net-30|immediate|net-15|net-60",
                    "shippingAddress:address",
                    "salespersonId:ref:usr",
                    "customerReference:str=PO-88412",
                ],
                ["confirm", "cancel", "create-invoice"],
                label="sales order",
                d="A confirmed sale.",
            ),
            R(
                "order-lines",
                "order-line",
                "sol",
                "pending delivered invoiced cancelled",
                [
                    "orderId!:ref:sor",
                    "productId!:ref:prd",
                    "description:str=Odoo CRM Connector, annual license",
                    "quantity!:qty=1",
                    "unitPrice!:money=249.0",
                    "discount:percent=0",
                    "taxRate:percent=15",
                    "subtotal~:money=249.0",
                    "deliveredQuantity~:qty=1",
                ],
                [],
                label="sales order line",
                d="One product line of a sales order.",
            ),
        ],
    ),
    M(
        "purchase",
        "Requests for quotation, purchase orders and vendor prices.",
        [
            R(
                "requests-for-quotation",
                "request-for-quotation",
                "rfq",
                "draft sent received cancelled",
                [
                    "reference~:code=RFQ/2024/0007",
                    "vendorId!:ref:con",
                    "deadline:date=2024-03-30",
                    "currency!:currency",
                    "lines!:lines",
                    "notes:text",
                ],
                ["send", "cancel"],
                label="request for quotation",
                plural="requests for quotation",
                d="A price request sent to one or more vendors.",
            ),
            R(
                "orders",
                "order",
                "por",
                "draft confirmed received billed cancelled",
                [
                    "reference~:code=PO/2024/0031",
                    "vendorId!:ref:con",
                    "orderDate!:date",
                    "expectedDate:date=2024-04-05",
                    "currency!:currency",
                    "lines!:lines",
                    "amountUntaxed~:money",
                    "amountTax~:money",
                    "amountTotal~:money",
                    "buyerId:ref:usr",
                    "incoterm:enum:EXW|FCA|FOB|CIF|DAP|DDP",
                ],
                ["confirm", "receive", "cancel"],
                label="purchase order",
                d="An order placed with a vendor.",
            ),
        ],
    ),
    M(
        "inventory",
        "Stock moves, locations, lots and serial numbers, and warehouses.",
        [
            R(
                "stock-moves",
                "stock-move",
                "smv",
                "draft waiting ready done cancelled",
                [
                    "reference~:code=WH/OUT/00042",
                    "productId!:ref:prd",
                    "quantity!:qty=5",
                    "uom:enum:unit|kg|l|m|box",
                    "sourceLocationId!:ref:loc",
                    "destinationLocationId!:ref:loc",
                    "lotId:ref:lot",
                    "scheduledAt:datetime=2024-03-25T08:00:00Z",
                    "doneAt~:datetime",
                ],
                ["validate", "cancel"],
                d="A quantity of product moving between two locations.",
            ),
            R(
                "locations",
                "location",
                "loc",
                "active archived",
                [
                    "name!:name=Shelf A1",
                    "code:code=WH/STOCK/A1",
                    "type!:enum:internal|view|supplier|customer|transit|scrap",
                    "warehouseId:ref:wrh",
                    "parentId:ref:loc",
                    "barcode:str",
                ],
                ["archive"],
                label="stock location",
                d="A physical or virtual place where stock is kept.",
            ),
            R(
                "lots",
                "lot",
                "lot",
                "active quarantined expired",
                [
                    "name!:name=LOT-2024-0815",
                    "productId!:ref:prd",
                    "quantity~:qty=120",
                    "expiryDate:date=2025-08-15",
                    "manufacturedOn:date=2024-02-01",
                    "notes:text",
                ],
                ["quarantine", "release"],
                label="lot",
                d="A lot or serial number that tracks units of a product.",
            ),
        ],
    ),
    M(
        "accounting",
        "Journal entries, the chart of accounts, journals and bank statements.",
        [
            R(
                "journal-entries",
                "journal-entry",
                "jen",
                "draft posted reversed cancelled",
                [
                    "reference~:code=MISC/2024/03/0012",
                    "journalId!:ref:jnl",
                    "date!:date",
                    "narration:text",
                    "currency!:currency",
                    "lines!:jlines",
                ],
                ["post", "reverse", "cancel"],
                plural="journal entries",
                d="A balanced set of debits and credits.",
            ),
            R(
                "accounts",
                "account",
                "acc",
                "active deprecated",
                [
                    "code!:code=400000",
                    "name!:name=Product Sales",
                    "type!:enum:income|expense|asset|liability|equity",
                    "reconcile:bool=false",
                    "currency:currency",
                    "balance~:amount",
                ],
                ["deprecate"],
                label="ledger account",
                d="An account of the chart of accounts.",
            ),
        ],
        sp="",
    ),
    M(
        "invoicing",
        "Customer invoices, credit notes and vendor bills.",
        [
            R(
                "invoices",
                "invoice",
                "inv",
                "draft posted partially-paid paid overdue cancelled",
                [
                    "number~:code=INV/2024/0042",
                    "customerId!:ref:con",
                    "invoiceDate!:date",
                    "dueDate!:date=2024-04-20",
                    "currency!:currency",
                    "lines!:lines",
                    "amountUntaxed~:money",
                    "amountTax~:money",
                    "amountTotal~:money",
                    "amountDue~:money",
                    "paymentTerms:enum:net-30|immediate|net-15|net-60",
                    "salesOrderId:ref:sor",
                    "notes:text",
                ],
                ["post", "send", "register-payment"],
                label="customer invoice",
                d="A bill sent to a customer.",
            ),
            R(
                "vendor-bills",
                "vendor-bill",
                "bil",
                "draft posted paid cancelled",
                [
                    "number~:code=BILL/2024/0019",
                    "vendorId!:ref:con",
                    "billDate!:date",
                    "dueDate!:date=2024-04-20",
                    "currency!:currency",
                    "lines!:lines",
                    "amountTotal~:money",
                    "attachmentUrl:uri",
                    "purchaseOrderId:ref:por",
                ],
                ["post", "register-payment"],
                d="A bill received from a vendor.",
            ),
        ],
        sp="",
    ),
    M(
        "payments",
        "Payments, refunds and stored payment methods (Stripe).",
        [
            R(
                "payments",
                "payment",
                "pay",
                "pending succeeded failed refunded cancelled",
                [
                    "amount!:cents",
                    "currency!:currency",
                    "method!:enum:card|bank-transfer|sepa-debit|paypal|cash",
                    "customerId:ref:con",
                    "invoiceId:ref:inv",
                    "stripePaymentIntentId:str=pi_3ABCxyz",
                    "reference:str=SEPA-2024-03-0042",
                    "paidAt~:datetime",
                ],
                ["capture", "refund", "cancel"],
                d="Money received from a customer.",
            ),
            R(
                "refunds",
                "refund",
                "rfd",
                "pending succeeded failed cancelled",
                [
                    "paymentId!:ref:pay",
                    "amount!:cents=4900",
                    "currency!:currency",
                    "reason:enum:requested-by-customer|duplicate|fraudulent",
                    "stripeRefundId:str=re_3ABCxyz",
                ],
                ["cancel"],
                d="Money returned to a customer.",
            ),
        ],
    ),
    M(
        "taxes",
        "Taxes and fiscal positions.",
        [
            R(
                "taxes",
                "tax",
                "tax",
                "active archived",
                [
                    "name!:name=VAT 19%",
                    "rate!:percent=19",
                    "scope!:enum:sales|purchase|none",
                    "computation:enum:percent|fixed|group",
                    "priceIncluded:bool=false",
                    "country:country",
                ],
                ["archive"],
                plural="taxes",
                d="A tax rule applied to document lines.",
            ),
            R(
                "fiscal-positions",
                "fiscal-position",
                "fpo",
                "active archived",
                [
                    "name!:name=EU B2B (reverse charge)",
                    "country:country",
                    "autoApply:bool=true",
                    "vatRequired:bool=true",
                    "notes:text",
                ],
                ["archive"],
                d="Maps taxes and accounts for a type of customer or region.",
            ),
        ],
    ),
    M(
        "expenses",
        "Employee expenses and expense reports.",
        [
            R(
                "expenses",
                "expense",
                "exp",
                "draft submitted approved refused reimbursed",
                [
                    "employeeId!:ref:emp",
                    "description!:str=Train ticket Berlin - Hamburg",
                    "date!:date",
                    "amount!:money=89.9",
                    "currency!:currency",
                    "category!:enum:travel|meals|lodging|mileage|office|other",
                    "receiptUrl:uri",
                    "reportId:ref:exr",
                ],
                ["submit"],
                d="One expense paid by an employee.",
            ),
            R(
                "reports",
                "report",
                "exr",
                "draft submitted approved refused paid",
                [
                    "name!:name=Hamburg customer visit",
                    "employeeId!:ref:emp",
                    "totalAmount~:money",
                    "currency!:currency",
                    "submittedAt~:datetime",
                ],
                ["submit", "approve", "refuse"],
                label="expense report",
                d="A set of expenses submitted together.",
            ),
        ],
    ),
    M(
        "hr",
        "Employees, departments and employment contracts.",
        [
            R(
                "employees",
                "employee",
                "emp",
                "active on-leave terminated",
                [
                    "firstName!:name=Amira",
                    "lastName!:name=Hassan",
                    "workEmail!:email=amira.hassan@acme.example.com",
                    "workPhone:phone",
                    "jobTitle:str",
                    "departmentId:ref:dep",
                    "managerId:ref:emp",
                    "hireDate!:date=2021-09-01",
                    "employmentType:enum:full-time|part-time|contract|intern",
                    "birthDate:date=1990-05-14",
                    "address:address",
                ],
                ["terminate", "reactivate"],
                d="A person employed by the organization.",
            ),
            R(
                "departments",
                "department",
                "dep",
                "active archived",
                [
                    "name!:name=Operations",
                    "code:code=OPS",
                    "managerId:ref:emp",
                    "parentId:ref:dep",
                    "headcount~:int=18",
                ],
                ["archive"],
                d="An organizational unit.",
            ),
        ],
        sp="Employee",
    ),
    M(
        "payroll",
        "Payslips, payslip batches and salary structures.",
        [
            R(
                "payslips",
                "payslip",
                "psl",
                "draft computed confirmed paid cancelled",
                [
                    "reference~:code=SLIP/2024/03/018",
                    "employeeId!:ref:emp",
                    "periodStart!:date=2024-03-01",
                    "periodEnd!:date=2024-03-31",
                    "currency!:currency",
                    "grossAmount~:money",
                    "deductions~:money",
                    "netAmount~:money",
                    "batchId:ref:psb",
                ],
                ["compute", "mark-paid"],
                d="An employee's pay for a period.",
            ),
            R(
                "batches",
                "batch",
                "psb",
                "draft processing done cancelled",
                [
                    "name!:name=March 2024",
                    "periodStart!:date=2024-03-01",
                    "periodEnd!:date=2024-03-31",
                    "payslipCount~:int=12",
                    "totalNet~:money",
                    "currency!:currency",
                ],
                ["generate-payslips", "close"],
                label="payslip batch",
                plural="payslip batches",
                d="The payslips of one pay period.",
            ),
        ],
        sp="Payroll",
    ),
    M(
        "recruitment",
        "Job positions, applicants and interviews.",
        [
            R(
                "job-positions",
                "job-position",
                "jpo",
                "draft open paused closed",
                [
                    "title!:name=Senior Odoo Developer",
                    "departmentId:ref:dep",
                    "location:str=Remote (EU)",
                    "employmentType:enum:full-time|part-time|contract|intern",
                    "salaryMin:money",
                    "salaryMax:money",
                    "currency:currency",
                    "description:md",
                    "openings:int=2",
                ],
                ["publish", "close"],
                d="An open role.",
            ),
            R(
                "applicants",
                "applicant",
                "apl",
                "new screening interview offer hired refused",
                [
                    "name!:name=Lukas Weber",
                    "email!:email=lukas.weber@example.com",
                    "phone:phone",
                    "jobPositionId!:ref:jpo",
                    "resumeUrl:uri",
                    "expectedSalary:money",
                    "source:enum:website|linkedin|referral|agency",
                    "rating:rating",
                ],
                ["hire", "refuse"],
                d="A candidate for a job position.",
            ),
        ],
    ),
    M(
        "attendance",
        "Check-ins, check-outs and overtime.",
        [
            R(
                "records",
                "record",
                "att",
                "checked-in checked-out approved",
                [
                    "employeeId!:ref:emp",
                    "checkIn!:datetime=2024-03-21T08:02:00Z",
                    "checkOut:datetime=2024-03-21T17:45:00Z",
                    "workedHours~:qty=9.72",
                    "mode:enum:office|remote|field",
                ],
                ["check-out", "approve"],
                label="attendance record",
                d="One working period of an employee.",
            ),
            R(
                "overtime-requests",
                "overtime-request",
                "ovt",
                "pending approved refused",
                [
                    "employeeId!:ref:emp",
                    "date!:date",
                    "hours!:qty=2.5",
                    "reason:text=Quarter-end closing.",
                ],
                ["approve", "refuse"],
                d="A request to record overtime.",
            ),
        ],
    ),
    M(
        "time-off",
        "Time-off requests, types and allocations.",
        [
            R(
                "requests",
                "request",
                "tor",
                "draft submitted approved refused cancelled",
                [
                    "employeeId!:ref:emp",
                    "typeId!:ref:tot",
                    "startDate!:date=2024-04-15",
                    "endDate!:date=2024-04-19",
                    "days~:qty=5",
                    "reason:text=Family holiday.",
                ],
                ["submit", "approve", "refuse"],
                label="time-off request",
                d="A request for leave.",
            ),
            R(
                "types",
                "type",
                "tot",
                "active archived",
                [
                    "name!:name=Paid time off",
                    "unit!:enum:days|hours",
                    "requiresAllocation:bool=true",
                    "color:color",
                ],
                ["archive"],
                label="time-off type",
                d="A kind of leave (paid, sick, unpaid...).",
            ),
        ],
        sp="TimeOff",
    ),
    M(
        "approvals",
        "Generic approval requests and their categories.",
        [
            R(
                "requests",
                "request",
                "apr",
                "draft submitted approved refused cancelled",
                [
                    "title!:name=New laptop for the support team",
                    "categoryId!:ref:apc",
                    "requesterId~:ref:usr",
                    "amount:money=1899.0",
                    "currency:currency",
                    "description:text",
                    "dueDate:date=2024-03-29",
                ],
                ["submit", "approve", "refuse"],
                label="approval request",
                d="Something that needs sign-off.",
            ),
            R(
                "categories",
                "category",
                "apc",
                "active archived",
                [
                    "name!:name=Purchases above 1,000",
                    "approverIds:refs:usr",
                    "minimumApprovals:int=1",
                    "requiresAmount:bool=true",
                ],
                ["archive"],
                label="approval category",
                plural="approval categories",
                d="A kind of request with its approvers.",
            ),
        ],
        sp="Approval",
    ),
    M(
        "projects",
        "Projects, tasks and milestones.",
        [
            R(
                "projects",
                "project",
                "prj",
                "active on-hold completed cancelled",
                [
                    "name!:name=Acme Odoo rollout",
                    "code:code=ACME-ERP",
                    "customerId:ref:con",
                    "managerId:ref:usr",
                    "startDate:date=2024-03-01",
                    "deadline:date=2024-06-30",
                    "budget:money",
                    "currency:currency",
                    "tags:tags=implementation",
                    "description:text",
                    "progress~:percent=35",
                ],
                ["archive", "duplicate"],
                d="A project with its tasks and budget.",
            ),
            R(
                "tasks",
                "task",
                "tsk",
                "todo in-progress blocked done cancelled",
                [
                    "title!:name=Migrate customer data",
                    "projectId!:ref:prj",
                    "assigneeId:ref:usr",
                    "priority:enum:normal|low|high|urgent",
                    "deadline:date=2024-04-12",
                    "plannedHours:qty=16",
                    "description:text",
                    "tags:tags=migration",
                ],
                ["assign", "complete"],
                label="project task",
                d="A unit of work in a project.",
            ),
        ],
        sp="Project",
    ),
    M(
        "timesheets",
        "Time spent by employees on projects and tasks.",
        [
            R(
                "entries",
                "entry",
                "tse",
                "draft submitted approved rejected",
                [
                    "employeeId!:ref:emp",
                    "projectId!:ref:prj",
                    "taskId:ref:tsk",
                    "date!:date",
                    "hours!:qty=3.5",
                    "description:str=Data migration scripts",
                    "billable:bool=true",
                ],
                ["submit", "approve", "reject"],
                label="timesheet entry",
                plural="timesheet entries",
                d="Time spent on a task on one day.",
            ),
            R(
                "periods",
                "period",
                "tsp",
                "open submitted approved locked",
                ["employeeId!:ref:emp", "weekStart!:date=2024-03-18", "totalHours~:qty=39.5"],
                ["lock"],
                label="timesheet period",
                d="A week of timesheet entries.",
            ),
        ],
        sp="Timesheet",
    ),
    M(
        "planning",
        "Shifts and shift templates.",
        [
            R(
                "shifts",
                "shift",
                "shf",
                "draft published confirmed cancelled",
                [
                    "employeeId:ref:emp",
                    "role:str=Support agent",
                    "startsAt!:datetime=2024-03-25T07:00:00Z",
                    "endsAt!:datetime=2024-03-25T15:00:00Z",
                    "projectId:ref:prj",
                    "allocatedHours~:qty=8",
                    "notes:text",
                ],
                ["publish", "cancel"],
                d="A planned working slot.",
            ),
            R(
                "templates",
                "template",
                "sht",
                "active archived",
                [
                    "name!:name=Early shift",
                    "startTime!:time=07:00",
                    "durationHours!:qty=8",
                    "role:str=Support agent",
                ],
                ["archive"],
                label="shift template",
                d="A reusable shift pattern.",
            ),
        ],
        sp="Planning",
    ),
    M(
        "appointments",
        "Online booking of meetings and their types.",
        [
            R(
                "appointments",
                "appointment",
                "apt",
                "scheduled confirmed completed cancelled no-show",
                [
                    "title!:name=ERP demo with Acme",
                    "startsAt!:datetime=2024-03-26T10:00:00Z",
                    "endsAt!:datetime=2024-03-26T10:45:00Z",
                    "typeId:ref:apy",
                    "customerId:ref:con",
                    "hostId:ref:usr",
                    "location:str",
                    "meetingUrl:uri=https://meet.ecosire.com/acme-demo",
                    "notes:text",
                ],
                ["confirm", "cancel", "reschedule"],
                d="A booked meeting.",
            ),
            R(
                "types",
                "type",
                "apy",
                "active archived",
                [
                    "name!:name=30-minute product demo",
                    "durationMinutes!:minutes=30",
                    "bufferMinutes:minutes=10",
                    "price:money=0",
                    "currency:currency",
                    "locationType:enum:online|onsite|phone",
                ],
                ["archive"],
                label="appointment type",
                d="A bookable kind of meeting.",
            ),
        ],
    ),
    M(
        "helpdesk",
        "Helpdesk tickets, teams and SLA policies.",
        [
            R(
                "tickets",
                "ticket",
                "hdt",
                "new open pending solved closed",
                [
                    "subject!:name=Invoices not syncing to Odoo",
                    "description!:text",
                    "customerId:ref:con",
                    "teamId:ref:hdm",
                    "assigneeId:ref:usr",
                    "priority:enum:normal|low|high|urgent",
                    "channel:enum:email|web|phone|chat|api",
                    "slaDeadline~:datetime=2024-03-21T17:30:00Z",
                    "tags:tags=sync",
                ],
                ["assign", "solve"],
                label="helpdesk ticket",
                d="A customer issue handled by a team.",
            ),
            R(
                "teams",
                "team",
                "hdm",
                "active archived",
                [
                    "name!:name=Tier 1 Support",
                    "email:email=support@ecosire.com",
                    "memberIds:refs:usr",
                    "autoAssign:bool=true",
                ],
                ["archive"],
                label="helpdesk team",
                d="A team that works tickets.",
            ),
        ],
    ),
    M(
        "manufacturing",
        "Manufacturing orders, bills of materials and work centers.",
        [
            R(
                "orders",
                "order",
                "mfo",
                "draft confirmed in-progress done cancelled",
                [
                    "reference~:code=MO/2024/0018",
                    "productId!:ref:prd",
                    "quantity!:qty=50",
                    "bomId!:ref:bom",
                    "scheduledStart:datetime=2024-03-25T06:00:00Z",
                    "deadline:datetime=2024-03-29T16:00:00Z",
                    "responsibleId:ref:usr",
                ],
                ["confirm", "start", "produce"],
                label="manufacturing order",
                d="An order to produce a quantity of product.",
            ),
            R(
                "bills-of-materials",
                "bill-of-materials",
                "bom",
                "active archived",
                [
                    "productId!:ref:prd",
                    "reference:code=BOM-PUMP-01",
                    "quantity!:qty=1",
                    "components!:lines",
                    "type!:enum:manufacture|kit|subcontract",
                ],
                ["archive", "duplicate"],
                label="bill of materials",
                plural="bills of materials",
                d="The components needed to make a product.",
            ),
        ],
        sp="Manufacturing",
    ),
    M(
        "quality",
        "Quality checks, alerts and control points.",
        [
            R(
                "checks",
                "check",
                "qch",
                "pending passed failed",
                [
                    "productId!:ref:prd",
                    "pointId:ref:qpt",
                    "lotId:ref:lot",
                    "measuredValue:qty=4.98",
                    "notes:text",
                    "checkedById~:ref:usr",
                    "checkedAt~:datetime",
                ],
                ["pass", "fail"],
                label="quality check",
                d="One inspection of a product or lot.",
            ),
            R(
                "alerts",
                "alert",
                "qal",
                "new in-progress resolved closed",
                [
                    "title!:name=Cracked housings in lot 0815",
                    "productId:ref:prd",
                    "description!:text",
                    "priority:enum:normal|low|high|urgent",
                    "rootCause:text",
                ],
                ["resolve", "close"],
                label="quality alert",
                d="A quality problem to investigate.",
            ),
        ],
        sp="Quality",
    ),
    M(
        "maintenance",
        "Equipment and maintenance requests.",
        [
            R(
                "requests",
                "request",
                "mrq",
                "new in-progress repaired scrapped",
                [
                    "title!:name=Compressor pressure drop",
                    "equipmentId!:ref:eqp",
                    "type!:enum:corrective|preventive",
                    "priority:enum:normal|low|high|urgent",
                    "scheduledDate:date=2024-03-26",
                    "durationHours:qty=3",
                    "technicianId:ref:usr",
                    "description:text",
                ],
                ["start", "mark-repaired"],
                label="maintenance request",
                d="A repair or preventive job.",
            ),
            R(
                "equipment",
                "equipment",
                "eqp",
                "operational under-maintenance retired",
                [
                    "name!:name=Air compressor 2",
                    "serialNumber:str",
                    "model:str",
                    "location:str",
                    "purchaseDate:date=2021-06-01",
                    "warrantyUntil:date=2024-06-01",
                    "cost:money=18500.0",
                ],
                ["retire"],
                plural="equipment",
                d="A machine or tool that needs maintenance.",
            ),
        ],
        sp="Maintenance",
    ),
    M(
        "repairs",
        "Repair orders and warranty claims.",
        [
            R(
                "orders",
                "order",
                "rpo",
                "draft confirmed under-repair repaired cancelled",
                [
                    "reference~:code=RO/2024/0009",
                    "customerId!:ref:con",
                    "productId!:ref:prd",
                    "lotId:ref:lot",
                    "issue!:text=Unit does not power on.",
                    "underWarranty:bool=true",
                    "lines:lines",
                    "amountTotal~:money",
                    "currency:currency",
                ],
                ["confirm", "mark-repaired"],
                label="repair order",
                d="A customer product being repaired.",
            ),
            R(
                "warranty-claims",
                "warranty-claim",
                "rwc",
                "submitted approved rejected",
                [
                    "repairOrderId!:ref:rpo",
                    "manufacturerReference:str=RMA-55120",
                    "claimAmount:money",
                    "currency:currency",
                    "notes:text",
                ],
                ["approve", "reject"],
                d="A claim sent to the manufacturer for a repair under warranty.",
            ),
        ],
        sp="Repair",
    ),
    M(
        "shipping",
        "Shipments and carriers.",
        [
            R(
                "shipments",
                "shipment",
                "shp",
                "draft label-created in-transit delivered returned cancelled",
                [
                    "salesOrderId:ref:sor",
                    "carrierId!:ref:car",
                    "trackingNumber~:str=JD014600006281230001",
                    "weightKg:qty=2.4",
                    "shipTo!:address",
                    "shippedAt~:datetime",
                    "deliveredAt~:datetime",
                    "cost~:money=14.9",
                    "currency:currency",
                ],
                ["create-label", "cancel"],
                d="A parcel sent to a customer.",
            ),
            R(
                "carriers",
                "carrier",
                "car",
                "active archived",
                [
                    "name!:name=DHL Express",
                    "code!:code=dhl",
                    "trackingUrlTemplate:str=https://www.dhl.com/track?id={tracking}",
                    "accountNumber:str=DE-44102",
                ],
                ["archive"],
                label="shipping carrier",
                d="A carrier with its tracking link.",
            ),
        ],
        sp="Shipping",
    ),
    M(
        "fleet",
        "Vehicles, services and fuel logs.",
        [
            R(
                "vehicles",
                "vehicle",
                "veh",
                "active in-service sold retired",
                [
                    "licensePlate!:name=B-EC 2024",
                    "model!:str=Tesla Model 3",
                    "vin:vin",
                    "driverId:ref:emp",
                    "odometerKm:int=48210",
                    "fuelType:enum:electric|petrol|diesel|hybrid",
                    "acquisitionDate:date=2022-09-15",
                ],
                ["assign-driver", "retire"],
                d="A company vehicle.",
            ),
            R(
                "services",
                "service",
                "fsv",
                "scheduled in-progress done cancelled",
                [
                    "vehicleId!:ref:veh",
                    "type!:enum:inspection|tires|oil-change|repair",
                    "date!:date",
                    "cost:money",
                    "currency:currency",
                    "vendorId:ref:con",
                    "odometerKm:int=48210",
                    "notes:text",
                ],
                ["complete", "cancel"],
                label="vehicle service",
                d="A service or repair of a vehicle.",
            ),
        ],
        sp="Fleet",
    ),
    M(
        "field-service",
        "On-site jobs and their worksheets.",
        [
            R(
                "jobs",
                "job",
                "fsj",
                "scheduled en-route in-progress done cancelled",
                [
                    "title!:name=Install barcode scanners",
                    "customerId!:ref:con",
                    "address!:address",
                    "scheduledAt!:datetime=2024-03-27T09:00:00Z",
                    "technicianId:ref:usr",
                    "durationHours:qty=4",
                    "notes:text",
                ],
                ["dispatch", "complete"],
                label="field service job",
                d="Work done at a customer site.",
            ),
            R(
                "worksheets",
                "worksheet",
                "fsw",
                "draft completed signed",
                [
                    "jobId!:ref:fsj",
                    "checklist:tags=power-checked,scanner-paired,training-done",
                    "notes:text",
                    "customerSignedAt~:datetime",
                ],
                ["sign"],
                d="The report of a field service job, signed by the customer.",
            ),
        ],
        sp="FieldService",
    ),
    M(
        "products",
        "Products, variants and categories.",
        [
            R(
                "products",
                "product",
                "prd",
                "draft active archived",
                [
                    "name!:name=Odoo CRM Connector",
                    "sku:str",
                    "type!:enum:digital|storable|consumable|service",
                    "categoryId:ref:pct",
                    "listPrice!:money",
                    "cost:money=0",
                    "currency!:currency",
                    "barcode:str",
                    "description:text",
                    "imageUrl:uri",
                    "tags:tags=odoo,crm",
                ],
                ["archive", "import"],
                d="Something the organization sells or buys.",
            ),
            R(
                "variants",
                "variant",
                "pvr",
                "active archived",
                [
                    "productId!:ref:prd",
                    "sku!:str=ODOO-CRM-ANNUAL-ENT",
                    "attributes:attrs",
                    "priceExtra:money=100.0",
                ],
                ["archive"],
                label="product variant",
                d="A variant of a product (edition, size, color...).",
            ),
        ],
        sp="Product",
    ),
    M(
        "pricing",
        "Pricelists, pricing rules and coupons.",
        [
            R(
                "pricelists",
                "pricelist",
                "prl",
                "active archived",
                [
                    "name!:name=Partners 2024",
                    "currency!:currency",
                    "validFrom:date=2024-01-01",
                    "validTo:date=2024-12-31",
                    "notes:text",
                ],
                ["archive", "duplicate"],
                d="Prices for a customer group or region.",
            ),
            R(
                "rules",
                "rule",
                "prr",
                "active archived",
                [
                    "pricelistId!:ref:prl",
                    "productId:ref:prd",
                    "minQuantity:qty=1",
                    "method!:enum:percentage|fixed|formula",
                    "fixedPrice:money=199.0",
                    "percentDiscount:percent=20",
                ],
                ["archive"],
                label="pricelist rule",
                d="One price rule of a pricelist.",
            ),
        ],
        sp="Pricing",
    ),
    M(
        "subscriptions",
        "Recurring subscriptions and plans (billed by Stripe).",
        [
            R(
                "subscriptions",
                "subscription",
                "sub",
                "trialing active past-due paused cancelled",
                [
                    "customerId!:ref:con",
                    "planId!:ref:pln",
                    "quantity:int=40",
                    "currency!:currency",
                    "startDate!:date",
                    "currentPeriodEnd~:datetime=2024-04-21T00:00:00Z",
                    "cancelAtPeriodEnd:bool=false",
                    "stripeSubscriptionId:str=sub_1ABCxyz",
                ],
                ["pause", "resume", "cancel"],
                d="A customer's recurring subscription.",
            ),
            R(
                "plans",
                "plan",
                "pln",
                "active archived",
                [
                    "name!:name=ERP Business",
                    "productId!:ref:prd",
                    "interval!:enum:month|year",
                    "amount!:cents",
                    "currency!:currency",
                    "trialDays:int=14",
                    "features:tags=sync,multi-company,priority-support",
                ],
                ["archive"],
                label="subscription plan",
                d="A price and billing interval for a product.",
            ),
        ],
        sp="",
    ),
    M(
        "ecommerce",
        "Online store carts, orders and product reviews.",
        [
            R(
                "carts",
                "cart",
                "crt",
                "active abandoned converted",
                [
                    "customerId:ref:con",
                    "sessionToken~:uuid",
                    "lines:lines",
                    "currency!:currency",
                    "amountTotal~:money",
                    "couponCode:str=SPRING24",
                ],
                ["checkout", "recover"],
                label="shopping cart",
                d="A visitor's shopping cart.",
            ),
            R(
                "orders",
                "order",
                "eco",
                "pending paid fulfilled cancelled refunded",
                [
                    "number~:code=WEB-2024-00311",
                    "customerId!:ref:con",
                    "email!:email",
                    "lines!:lines",
                    "currency!:currency",
                    "amountTotal~:money",
                    "billingAddress!:address",
                    "checkoutSessionId:str=cs_live_abc123",
                ],
                ["fulfill", "refund"],
                label="online order",
                d="An order placed in the online store.",
            ),
        ],
        sp="Ecommerce",
    ),
    M(
        "point-of-sale",
        "Point-of-sale registers, sessions and orders.",
        [
            R(
                "sessions",
                "session",
                "pss",
                "opening open closing closed",
                [
                    "registerId!:ref:pcf",
                    "cashierId!:ref:usr",
                    "openingCash!:money",
                    "currency!:currency",
                    "openedAt~:datetime",
                    "closedAt~:datetime",
                    "totalSales~:money",
                ],
                [("close", "close-session")],
                label="POS session",
                d="A cashier's shift on a register.",
            ),
            R(
                "orders",
                "order",
                "pso",
                "draft paid invoiced refunded cancelled",
                [
                    "sessionId!:ref:pss",
                    "customerId:ref:con",
                    "lines!:lines",
                    "currency!:currency",
                    "amountTotal~:money",
                    "paymentMethod!:enum:card|cash|mobile|voucher",
                    "receiptNumber~:code=POS/0001-0042",
                ],
                ["refund", "create-invoice"],
                label="POS order",
                d="A sale at a register.",
            ),
        ],
        sp="Pos",
    ),
    M(
        "rental",
        "Rental orders and rental rates.",
        [
            R(
                "orders",
                "order",
                "rto",
                "draft reserved picked-up returned late cancelled",
                [
                    "customerId!:ref:con",
                    "pickupAt!:datetime=2024-03-29T09:00:00Z",
                    "returnAt!:datetime=2024-04-02T18:00:00Z",
                    "lines!:lines",
                    "currency!:currency",
                    "amountTotal~:money",
                    "deposit:money",
                ],
                ["pick-up", "return"],
                label="rental order",
                d="Goods rented out for a period.",
            ),
            R(
                "rates",
                "rate",
                "rtr",
                "active archived",
                [
                    "productId!:ref:prd",
                    "period!:enum:day|hour|week|month",
                    "price!:money=35.0",
                    "currency!:currency",
                ],
                ["archive"],
                label="rental rate",
                d="The price of renting a product per period.",
            ),
        ],
        sp="Rental",
    ),
    M(
        "email-marketing",
        "Email campaigns, mailing lists and templates.",
        [
            R(
                "campaigns",
                "campaign",
                "emc",
                "draft scheduled sending sent cancelled",
                [
                    "name!:name=Spring release",
                    "subject!:str=What's new in ECOSIRE 2.4",
                    "fromEmail!:email=news@ecosire.com",
                    "listIds:refs:mls",
                    "templateId:ref:emt",
                    "scheduledAt:datetime=2024-04-01T08:00:00Z",
                    "openRate~:percent=41.2",
                    "clickRate~:percent=7.1",
                ],
                ["schedule", "send"],
                label="email campaign",
                d="A mass email.",
            ),
            R(
                "mailing-lists",
                "mailing-list",
                "mls",
                "active archived",
                [
                    "name!:name=Customers EU",
                    "description:text",
                    "subscriberCount~:int=18204",
                    "doubleOptIn:bool=true",
                ],
                ["archive"],
                d="A list of recipients.",
            ),
        ],
        sp="EmailMarketing",
    ),
    M(
        "sms",
        "Text messages and SMS campaigns.",
        [
            R(
                "messages",
                "message",
                "sms",
                "queued sent delivered failed",
                [
                    "to!:phone",
                    "body!:text=Your order SO/2024/00042 has shipped.",
                    "senderId:str=ECOSIRE",
                    "campaignId:ref:smc",
                    "sentAt~:datetime",
                    "segments~:int=1",
                    "cost~:money=0.07",
                ],
                ["resend", "cancel"],
                label="SMS message",
                d="One text message.",
            ),
            R(
                "campaigns",
                "campaign",
                "smc",
                "draft scheduled sent cancelled",
                [
                    "name!:name=Flash sale",
                    "body!:text=20% off all connectors today with SPRING24.",
                    "listId:ref:mls",
                    "scheduledAt:datetime=2024-04-01T08:00:00Z",
                ],
                ["schedule", "send"],
                label="SMS campaign",
                d="A text message sent to a mailing list.",
            ),
        ],
        sp="Sms",
    ),
    M(
        "surveys",
        "Surveys and their responses.",
        [
            R(
                "surveys",
                "survey",
                "srv",
                "draft open closed",
                [
                    "title!:name=Onboarding satisfaction",
                    "description:text",
                    "anonymous:bool=false",
                    "deadline:datetime=2024-04-30T23:59:00Z",
                    "questionCount~:int=8",
                    "responseCount~:int=112",
                ],
                ["publish", "close"],
                d="A questionnaire.",
            ),
            R(
                "responses",
                "response",
                "srs",
                "in-progress completed",
                [
                    "surveyId!:ref:srv",
                    "respondentEmail:email",
                    "answers!:answers",
                    "score~:percent=87.5",
                    "completedAt~:datetime",
                ],
                ["complete"],
                label="survey response",
                d="One participant's answers.",
            ),
        ],
        sp="",
    ),
    M(
        "events",
        "Events, registrations and ticket types.",
        [
            R(
                "events",
                "event",
                "evn",
                "draft published sold-out completed cancelled",
                [
                    "name!:name=ECOSIRE Partner Summit 2024",
                    "startsAt!:datetime=2024-06-12T09:00:00Z",
                    "endsAt!:datetime=2024-06-13T17:00:00Z",
                    "venue:str",
                    "address:address",
                    "onlineUrl:uri=https://events.ecosire.com/summit-2024",
                    "capacity:int=400",
                    "timezone:str",
                ],
                ["publish", "cancel"],
                d="A conference, webinar or meetup.",
            ),
            R(
                "registrations",
                "registration",
                "reg",
                "pending confirmed attended cancelled",
                [
                    "eventId!:ref:evn",
                    "attendeeName!:name=Jane Doe",
                    "attendeeEmail!:email",
                    "ticketTypeId:ref:ett",
                    "company:str",
                ],
                ["check-in", "cancel"],
                label="event registration",
                d="An attendee's registration.",
            ),
        ],
        sp="Event",
    ),
    M(
        "documents",
        "Document storage with folders.",
        [
            R(
                "documents",
                "document",
                "doc",
                "active locked archived",
                [
                    "name!:name=Q1 Report.pdf",
                    "folderId:ref:fld",
                    "mimeType:str=application/pdf",
                    "sizeBytes~:int=482113",
                    "url~:uri",
                    "ownerId:ref:usr",
                    "tags:tags=finance,q1",
                ],
                ["share", "archive"],
                d="A stored file with its metadata.",
            ),
            R(
                "folders",
                "folder",
                "fld",
                "active archived",
                [
                    "name!:name=Finance",
                    "parentId:ref:fld",
                    "description:text",
                    "documentCount~:int=42",
                ],
                ["archive"],
                label="document folder",
                d="A folder of documents.",
            ),
        ],
        sp="",
    ),
    M(
        "sign",
        "Electronic signature requests and templates.",
        [
            R(
                "requests",
                "request",
                "sgr",
                "draft sent partially-signed signed declined expired cancelled",
                [
                    "subject!:name=Master services agreement - Acme",
                    "documentId!:ref:doc",
                    "signers!:signers",
                    "message:text=Please review and sign the agreement.",
                    "expiresAt:datetime=2024-04-21T00:00:00Z",
                ],
                ["send", "cancel"],
                label="signature request",
                d="A document sent out for signature.",
            ),
            R(
                "templates",
                "template",
                "sgt",
                "active archived",
                ["name!:name=Standard NDA", "documentId!:ref:doc", "roles:tags=customer,company"],
                ["duplicate", "archive"],
                label="signature template",
                d="A reusable document with signature fields.",
            ),
        ],
        sp="Sign",
    ),
    M(
        "knowledge",
        "Knowledge-base articles and spaces.",
        [
            R(
                "articles",
                "article",
                "kar",
                "draft published archived",
                [
                    "title!:name=Getting started with the API",
                    "slug:slug",
                    "body!:md",
                    "spaceId:ref:ksp",
                    "authorId~:ref:usr",
                    "tags:tags=api,onboarding",
                ],
                ["publish", "archive"],
                label="knowledge article",
                d="A page of the knowledge base.",
            ),
            R(
                "spaces",
                "space",
                "ksp",
                "active archived",
                [
                    "name!:name=Developer docs",
                    "description:text",
                    "visibility!:enum:internal|private|public",
                ],
                ["archive"],
                label="knowledge space",
                d="A section of the knowledge base.",
            ),
        ],
        sp="Knowledge",
    ),
    M(
        "integrations",
        "Connections to third-party services and their sync jobs.",
        [
            R(
                "connections",
                "connection",
                "icn",
                "active error disconnected",
                [
                    "provider!:enum:stripe|shopify|woocommerce|slack|google-workspace|microsoft-365|quickbooks|xero",
                    "name!:name=Shopify EU store",
                    "config:object",
                    "lastSyncAt~:datetime",
                ],
                ["sync", "disconnect"],
                label="integration connection",
                d="A connected third-party account.",
            ),
            R(
                "sync-jobs",
                "sync-job",
                "isj",
                "queued running succeeded failed",
                [
                    "connectionId!:ref:icn",
                    "direction!:enum:import|export|bidirectional",
                    "objectType!:enum:contacts|products|orders|invoices",
                    "startedAt~:datetime",
                    "finishedAt~:datetime",
                    "recordsProcessed~:int=1284",
                ],
                ["retry", "cancel"],
                d="One synchronization run.",
            ),
        ],
        sp="Integration",
    ),
    M(
        "notifications",
        "In-app, email, SMS and push notifications and their preferences.",
        [
            R(
                "notifications",
                "notification",
                "ntf",
                "unread read archived",
                [
                    "title!:name=Invoice INV/2024/0042 was paid",
                    "body:text",
                    "channel!:enum:in-app|email|sms|push",
                    "userId!:ref:usr",
                    "link:uri=https://app.ecosire.com/invoicing/invoices/inv_01",
                    "severity:enum:info|success|warning|error",
                ],
                ["mark-read", "archive"],
                d="A message for a user.",
            ),
            R(
                "preferences",
                "preference",
                "npf",
                "active muted",
                ["userId!:ref:usr", "event!:str=invoice.paid", "channels:tags=in-app,email"],
                ["mute", "unmute"],
                label="notification preference",
                d="How a user wants to hear about an event.",
            ),
        ],
        sp="",
    ),
    M(
        "reports",
        "Saved reports, exports and dashboards.",
        [
            R(
                "reports",
                "report",
                "rpt",
                "active archived",
                [
                    "name!:name=Monthly recurring revenue",
                    "type!:enum:table|chart|pivot|kpi",
                    "module!:str=subscriptions",
                    'definition:object={"measure": "amount", "groupBy": ["month"]}',
                    "lastRunAt~:datetime",
                ],
                ["run", "duplicate"],
                d="A saved report definition.",
            ),
            R(
                "exports",
                "export",
                "rex",
                "queued running ready failed expired",
                [
                    "reportId!:ref:rpt",
                    "format!:enum:csv|xlsx|pdf|json",
                    "downloadUrl~:uri",
                    "expiresAt~:datetime",
                    "rowCount~:int=1280",
                ],
                ["retry", "cancel"],
                label="report export",
                d="A file produced from a report.",
            ),
        ],
        sp="",
    ),
    M(
        "audit-logs",
        "The audit trail of every change and every production API-key request.",
        [
            R(
                "entries",
                "entry",
                "aud",
                "success failure",
                [
                    "actorId~:ref:usr",
                    "action~:str=contacts.update",
                    "resourceType~:str=contact",
                    "resourceId~:str=con_01HV8Z3K4M5N6P7Q8R9S0T1V2W",
                    "apiKeyId~:ref:key",
                    "ipAddress~:ipv4",
                    "userAgent~:str",
                    'changes~:object={"phone": ["+4930901820", "+4930901899"]}',
                    "occurredAt~:datetime",
                ],
                ["export"],
                ops="lgs",
                label="audit log entry",
                plural="audit log entries",
                d="One recorded action (read-only).",
            ),
            R(
                "retention-policies",
                "retention-policy",
                "arp",
                "active disabled",
                [
                    "name!:name=Keep production key logs 1 year",
                    "retentionDays!:int=365",
                    "resourceTypes:tags=api-request,contact",
                ],
                ["disable"],
                label="retention policy",
                plural="retention policies",
                d="How long audit entries are kept.",
            ),
        ],
        sp="Audit",
    ),
    M(
        "users",
        "Users of the organization and their invitations.",
        [
            R(
                "users",
                "user",
                "usr",
                "active invited suspended deactivated",
                [
                    "email!:email=omar.khan@ecosire.com",
                    "name!:name=Omar Khan",
                    "role!:enum:member|admin|viewer",
                    "organizationId:ref:org",
                    "avatarUrl:uri",
                    "locale:str",
                    "timezone:str",
                    "lastLoginAt~:datetime",
                    "mfaEnabled~:bool=true",
                ],
                ["suspend", "reactivate"],
                schema="Member",
                label="user",
                d="A person who can sign in.",
            ),
            R(
                "invitations",
                "invitation",
                "uin",
                "pending accepted expired revoked",
                [
                    "email!:email=new.hire@acme.example.com",
                    "role!:enum:member|admin|viewer",
                    "invitedById~:ref:usr",
                    "expiresAt~:datetime=2024-03-28T09:30:00Z",
                ],
                ["resend", "revoke"],
                label="user invitation",
                d="An invitation to join the organization.",
            ),
        ],
        sp="User",
    ),
    M(
        "organizations",
        "Organizations, teams and branches.",
        [
            R(
                "organizations",
                "organization",
                "org",
                "active suspended closed",
                [
                    "name!:name=Acme Corporation",
                    "legalName:str=Acme Corporation GmbH",
                    "vatNumber:str=DE811907980",
                    "website:uri=https://acme.example.com",
                    "address:address",
                    "currency:currency",
                    "plan:enum:free|starter|business|enterprise",
                    "seats:int=50",
                ],
                ["suspend", "reactivate"],
                d="A customer account (tenant).",
            ),
            R(
                "teams",
                "team",
                "tea",
                "active archived",
                [
                    "name!:name=Finance",
                    "organizationId!:ref:org",
                    "memberIds:refs:usr",
                    "teamLeadId:ref:usr",
                ],
                ["archive"],
                d="A group of users.",
            ),
        ],
        sp="Organization",
    ),
    M(
        "roles",
        "Roles, permissions and role assignments.",
        [
            R(
                "roles",
                "role",
                "rol",
                "active archived",
                [
                    "name!:name=Sales Manager",
                    "description:text",
                    "permissions!:perms",
                    "builtIn~:bool=false",
                    "userCount~:int=6",
                ],
                ["duplicate", "archive"],
                d="A named set of permissions.",
            ),
            R(
                "assignments",
                "assignment",
                "ras",
                "active revoked",
                ["roleId!:ref:rol", "userId!:ref:usr", "expiresAt:datetime=2024-12-31T23:59:59Z"],
                ["revoke"],
                label="role assignment",
                d="A role given to a user.",
            ),
        ],
        sp="Role",
    ),
    M(
        "settings",
        "System parameters, numbering sequences and currencies.",
        [
            R(
                "parameters",
                "parameter",
                "set",
                "active deprecated",
                [
                    "key!:str=mail.catchall.domain",
                    "value!:str=acme.example.com",
                    "scope:enum:organization|global|user",
                    "description:text",
                ],
                ["reset"],
                label="system parameter",
                d="A configuration value.",
            ),
            R(
                "currencies",
                "currency",
                "cur",
                "active inactive",
                [
                    "code!:currency",
                    "name!:name=US Dollar",
                    "symbol:str",
                    "rate!:rate",
                    "rounding:money=0.01",
                ],
                ["activate", "deactivate"],
                plural="currencies",
                d="A currency and its exchange rate.",
            ),
        ],
        sp="Settings",
    ),
]

EXTRA_PREFIX_LABELS = {
    "con": "contact",
    "usr": "user",
    "prd": "product",
    "lic": "license",
    "lac": "license activation",
    "tkt": "support ticket",
    "rpl": "support reply",
    "key": "API key",
    "whk": "webhook endpoint",
    "dly": "webhook delivery",
    "cnv": "conversation",
    "msg": "AI message",
    "fbk": "AI feedback",
    "nsb": "newsletter subscriber",
    "cmp": "newsletter campaign",
    "lin": "document line",
    "ajb": "background job",
    "wrh": "warehouse",
    "jnl": "accounting journal",
    "pct": "product category",
    "ett": "event ticket type",
    "emt": "email template",
    "pcf": "POS register",
    "qpt": "quality control point",
}
ADMIN_MODULES = {"users", "roles", "organizations", "settings", "audit-logs"}


def register_prefixes() -> None:
    ID_PREFIX_LABEL.clear()
    ID_PREFIX_LABEL.update(EXTRA_PREFIX_LABELS)
    for res in CRM_RESOURCES + [r for m in GENERATED_MODULES for r in m.resources]:
        assert (
            ID_PREFIX_LABEL.get(res.pre, res.label) == res.label or res.pre in EXTRA_PREFIX_LABELS
        ), res.pre
        ID_PREFIX_LABEL.setdefault(res.pre, res.label)


def action_body_schema(name: str, specs, ctx: str) -> tuple[dict, dict]:
    fields = parse_fields(specs, ctx)
    schema = build_object(fields)
    return add_schema(name, schema), example_of(fields)


def build_resource(module: str, sp: str, res: R) -> None:
    collapsed = res.p == module
    base = f"/{module}" if collapsed else f"/{module}/{res.p}"
    op_base = camel(module) if collapsed else camel(module) + pascal(res.p)
    name = res.schema or (sp + pascal(res.s))
    ctx = f"{module}/{res.p}"
    fields = parse_fields(res.field_specs, ctx)
    admin = module in ADMIN_MODULES
    write_scope = "admin" if admin else "read-write"
    write_security = ADMIN_SECURITY if admin else None
    admin_note = " Requires the `admin` scope." if admin else ""

    props = {
        "id": {
            "description": f"Unique identifier: `{res.pre}_` followed by a ULID.",
            "type": "string",
            "pattern": id_pattern(res.pre),
            "readOnly": True,
            "example": id_example(res.pre),
        }
    }
    for f in fields:
        props[f.name] = f.schema
    props["status"] = {
        "description": f"Lifecycle status of the {res.label}; changed by the actions, not by PATCH.",
        "type": "string",
        "enum": res.statuses,
        "readOnly": True,
        "example": res.statuses[0],
    }
    props["createdAt"] = {
        "description": DESCRIPTIONS["createdAt"],
        "type": "string",
        "format": "date-time",
        "readOnly": True,
        "example": CREATED_AT,
    }
    props["updatedAt"] = {
        "description": DESCRIPTIONS["updatedAt"],
        "type": "string",
        "format": "date-time",
        "readOnly": True,
        "example": UPDATED_AT,
    }
    example = {
        "id": id_example(res.pre),
        **example_of(fields),
        "status": res.statuses[0],
        "createdAt": CREATED_AT,
        "updatedAt": UPDATED_AT,
    }
    add_schema(
        name,
        {
            "description": res.d or f"A {res.label}.",
            "type": "object",
            "required": ["id"]
            + [f.name for f in fields if f.required]
            + ["status", "createdAt", "updatedAt"],
            "properties": props,
            "example": example,
        },
    )
    writable = [f for f in fields if not f.read_only]
    create_example = example_of(writable, include_read_only=False)
    if "c" in res.ops:
        add_schema(
            name + "Create",
            {
                "description": f"A new {res.label}; server-computed fields are omitted.",
                **build_object(writable),
                "example": create_example,
            },
        )
    if "u" in res.ops:
        picks = [
            f
            for f in writable
            if f.t not in ("ref", "refs", "lines", "jlines", "signers", "answers")
        ][:2] or writable[:1]
        update_example = {f.name: f.example for f in picks}
        upd = build_object(writable, all_optional=True)
        add_schema(
            name + "Update",
            {
                "description": f"Fields of the {res.label} to change; omitted fields keep their value.",
                "type": "object",
                "minProperties": 1,
                "properties": upd["properties"],
                "example": update_example,
            },
        )
    add_schema(
        name + "List",
        {
            "description": f"A page of {res.plural}.",
            "type": "object",
            "required": ["data", "meta"],
            "properties": {
                "data": {"type": "array", "items": sref(name)},
                "meta": sref("PageMeta"),
            },
        },
    )
    list_example = {"data": [example], "meta": page_meta()}
    pid = camel(res.s) + "Id"
    pparam = path_param(pid, res.pre, res.label)
    item = f"{base}/{{{pid}}}"
    a_label = article(res.label)

    if "l" in res.ops:
        status_param = {
            "name": "status",
            "in": "query",
            "required": False,
            "description": f"Only {res.plural} in this status.",
            "schema": {"type": "string", "enum": res.statuses},
        }
        ref_params = []
        for f in fields:
            if f.t == "ref" and len(ref_params) < 2:
                ref_params.append(
                    {
                        "name": f.name,
                        "in": "query",
                        "required": False,
                        "description": f"Only {res.plural} of this {human(f.name[:-2])}.",
                        "schema": {"type": "string", "pattern": id_pattern(f.arg)},
                    }
                )
        add_op(
            module,
            base,
            "get",
            operation(
                module,
                op_base + "List",
                f"List {res.plural}",
                f"Returns {res.plural} page by page, newest first unless `sort` says otherwise. "
                f"Filter by `status`, or search by text with `q`.",
                params=[*PAGING, status_param, *ref_params, *CREATED_RANGE],
                responses={
                    "200": ok(f"A page of {res.plural}.", sref(name + "List"), list_example),
                    **errors(ERRORS_BY_KIND["list"]),
                },
                scope="read-only",
            ),
        )
    if "c" in res.ops:
        add_op(
            module,
            base,
            "post",
            operation(
                module,
                op_base + "Create",
                f"Create {a_label}",
                f"Creates {a_label} in the `{res.statuses[0]}` status. Server-computed fields (id, "
                f"references, totals, timestamps) are ignored if sent." + admin_note,
                params=[IDEMPOTENCY],
                body=json_body(sref(name + "Create"), create_example),
                responses={
                    "201": ok(
                        f"The created {res.label}.",
                        sref(name),
                        example,
                        headers={"Location": ref("headers", "Location")},
                    ),
                    **errors(ERRORS_BY_KIND["create"]),
                },
                scope=write_scope,
                security=write_security,
            ),
        )
    if "g" in res.ops:
        add_op(
            module,
            item,
            "get",
            operation(
                module,
                op_base + "Get",
                f"Get {a_label}",
                f"Returns one {res.label} by id.",
                params=[pparam],
                responses={
                    "200": ok(f"The {res.label}.", sref(name), example),
                    **errors(ERRORS_BY_KIND["get"]),
                },
                scope="read-only",
            ),
        )
    if "u" in res.ops:
        add_op(
            module,
            item,
            "patch",
            operation(
                module,
                op_base + "Update",
                f"Update {a_label}",
                "Changes the fields sent; omitted fields keep their value." + admin_note,
                params=[pparam],
                body=json_body(sref(name + "Update"), SCHEMAS[name + "Update"]["example"]),
                responses={
                    "200": ok(
                        f"The updated {res.label}.",
                        sref(name),
                        {**example, **SCHEMAS[name + "Update"]["example"]},
                    ),
                    **errors(ERRORS_BY_KIND["update"]),
                },
                scope=write_scope,
                security=write_security,
            ),
        )
    if "d" in res.ops:
        first = res.statuses[0]
        rule = (
            f" Only {res.plural} in the `{first}` status can be deleted; others answer 409."
            if first in ("draft", "new", "pending")
            else ""
        )
        add_op(
            module,
            item,
            "delete",
            operation(
                module,
                op_base + "Delete",
                f"Delete {a_label}",
                f"Deletes the {res.label} permanently.{rule}" + admin_note,
                params=[pparam],
                responses={"204": ok("Deleted."), **errors(ERRORS_BY_KIND["delete"])},
                scope=write_scope,
                security=write_security,
            ),
        )
    if "s" in res.ops:
        text_field = next(
            (f for f in fields if f.t in ("name", "str") and isinstance(f.example, str)), None
        )
        search_example = {
            "q": (text_field.example.split()[0] if text_field else res.statuses[0]),
            "filters": [{"field": "status", "op": "in", "value": res.statuses[:2]}],
            "sort": "-createdAt",
            "page": 1,
            "limit": 20,
        }
        add_op(
            module,
            base + "/search",
            "post",
            operation(
                module,
                op_base + "Search",
                f"Search {res.plural}",
                f"Searches {res.plural} with structured filters (AND-ed); same paging as the list.",
                body=json_body(sref("SearchRequest"), search_example),
                responses={
                    "200": ok(f"Matching {res.plural}.", sref(name + "List"), list_example),
                    **errors(ERRORS_BY_KIND["search"]),
                },
                scope="read-only",
            ),
        )

    for action in res.actions:
        slug, key = action if isinstance(action, tuple) else (action, action)
        summary_t, desc_t, body_specs, body_required, new_status, code = ALL_ACTIONS[key]
        fmt = {"a": a_label, "the": "the " + res.label, "label": res.label, "plural": res.plural}
        summary = summary_t.format(**fmt)
        description = desc_t.format(**fmt)
        op_id = op_base + pascal(slug)
        body = None
        if body_specs:
            bschema, bexample = action_body_schema(
                f"{name}{pascal(slug)}Request", body_specs, ctx + "/" + slug
            )
            body = json_body(bschema, bexample, required=body_required)
        if code == "collection":
            add_op(
                module,
                f"{base}/{slug}",
                "post",
                operation(
                    module,
                    op_id,
                    summary,
                    description + admin_note,
                    body=body,
                    responses={
                        "200": ok(
                            "The background job.", sref("AsyncJob"), SCHEMAS["AsyncJob"]["example"]
                        ),
                        **errors(ERRORS_BY_KIND["collection-action"]),
                    },
                    scope="read-only" if slug == "export" else write_scope,
                    security=None if slug == "export" else write_security,
                ),
            )
            continue
        result = dict(example)
        if new_status in res.statuses:
            result["status"] = new_status
        if code == 201:
            result["id"] = id_example(res.pre, "copy")
            result["status"] = res.statuses[0]
            extra = {"Location": ref("headers", "Location")}
        else:
            extra = None
        add_op(
            module,
            f"{item}/{slug}",
            "post",
            operation(
                module,
                op_id,
                summary,
                description + admin_note,
                params=[pparam],
                body=body,
                responses={
                    str(code): ok(
                        f"The {'new' if code == 201 else 'updated'} {res.label}.",
                        sref(name),
                        result,
                        headers=extra,
                    ),
                    **errors(ERRORS_BY_KIND["action"]),
                },
                scope=write_scope,
                security=write_security,
            ),
        )


# --------------------------------------------------------------------------
# Webhooks (x-webhooks)
# --------------------------------------------------------------------------

CHECKOUT_EXAMPLE = {
    "id": "evt_1ABCxyz",
    "object": "event",
    "type": "checkout.session.completed",
    "created": 1711000000,
    "data": {
        "object": {
            "id": "cs_live_abc123",
            "object": "checkout.session",
            "customer_email": "user@example.com",
            "amount_total": 24900,
            "currency": "usd",
            "mode": "payment",
            "payment_status": "paid",
            "metadata": {"userId": "usr_01HXYZ", "productIds": '["prd_01HODOOCRM"]'},
        }
    },
}
STRIPE_DEMO_SECRET = "whsec_demo_secret"
LICENSE_DEMO_SECRET = "demo-license-secret"


def compact(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def stripe_signature(payload: dict, t: int = 1711000000) -> str:
    mac = hmac.new(
        STRIPE_DEMO_SECRET.encode(), f"{t}.".encode() + compact(payload), hashlib.sha256
    ).hexdigest()
    return f"t={t},v1={mac}"


def license_signature(payload: dict) -> str:
    return hmac.new(LICENSE_DEMO_SECRET.encode(), compact(payload), hashlib.sha256).hexdigest()


def build_webhook_schemas() -> None:
    lower_currency = {
        "type": "string",
        "pattern": "^[a-z]{3}$",
        "description": "Lower-case ISO 4217 code (Stripe style).",
    }
    unix = {
        "type": "integer",
        "format": "int64",
        "minimum": 0,
        "description": "Unix time in seconds.",
    }
    add_schema(
        "StripeCheckoutSession",
        {
            "type": "object",
            "required": ["id", "object"],
            "properties": {
                "id": {"type": "string", "pattern": "^cs_(live|test)_[A-Za-z0-9]+$"},
                "object": {"type": "string", "enum": ["checkout.session"]},
                "customer_email": {"type": "string", "format": "email", "nullable": True},
                "amount_total": {
                    "type": "integer",
                    "format": "int64",
                    "minimum": 0,
                    "description": "In cents.",
                },
                "currency": lower_currency,
                "mode": {"type": "string", "enum": ["payment", "subscription", "setup"]},
                "payment_status": {
                    "type": "string",
                    "enum": ["paid", "unpaid", "no_payment_required"],
                },
                "metadata": {
                    "type": "object",
                    "description": "Set by ECOSIRE when the session was created.",
                    "properties": {
                        "userId": {"type": "string", "pattern": id_pattern("usr")},
                        "productIds": {
                            "type": "string",
                            "description": "JSON-encoded array of product ids.",
                        },
                    },
                    "additionalProperties": {"type": "string"},
                },
            },
        },
    )
    add_schema(
        "StripeInvoice",
        {
            "type": "object",
            "required": ["id", "object"],
            "properties": {
                "id": {"type": "string", "pattern": "^in_[A-Za-z0-9]+$"},
                "object": {"type": "string", "enum": ["invoice"]},
                "customer": {"type": "string", "pattern": "^cus_[A-Za-z0-9]+$"},
                "customer_email": {"type": "string", "format": "email"},
                "subscription": {
                    "type": "string",
                    "pattern": "^sub_[A-Za-z0-9]+$",
                    "nullable": True,
                },
                "number": {"type": "string"},
                "amount_paid": {"type": "integer", "format": "int64", "minimum": 0},
                "currency": lower_currency,
                "status": {
                    "type": "string",
                    "enum": ["draft", "open", "paid", "uncollectible", "void"],
                },
                "hosted_invoice_url": {"type": "string", "format": "uri"},
                "period_start": unix,
                "period_end": unix,
            },
        },
    )
    add_schema(
        "StripeSubscription",
        {
            "type": "object",
            "required": ["id", "object", "status"],
            "properties": {
                "id": {"type": "string", "pattern": "^sub_[A-Za-z0-9]+$"},
                "object": {"type": "string", "enum": ["subscription"]},
                "customer": {"type": "string", "pattern": "^cus_[A-Za-z0-9]+$"},
                "status": {
                    "type": "string",
                    "enum": [
                        "trialing",
                        "active",
                        "past_due",
                        "canceled",
                        "unpaid",
                        "incomplete",
                        "incomplete_expired",
                        "paused",
                    ],
                },
                "current_period_start": unix,
                "current_period_end": unix,
                "cancel_at_period_end": {"type": "boolean"},
                "canceled_at": {**unix, "nullable": True},
                "items": {
                    "type": "object",
                    "properties": {
                        "object": {"type": "string", "enum": ["list"]},
                        "data": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "id": {"type": "string"},
                                    "quantity": {"type": "integer", "minimum": 0},
                                    "price": {
                                        "type": "object",
                                        "properties": {
                                            "id": {"type": "string"},
                                            "unit_amount": {"type": "integer", "minimum": 0},
                                            "currency": lower_currency,
                                            "recurring": {
                                                "type": "object",
                                                "properties": {
                                                    "interval": {
                                                        "type": "string",
                                                        "enum": ["day", "week", "month", "year"],
                                                    }
                                                },
                                            },
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
                "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
    )
    add_schema(
        "StripeCharge",
        {
            "type": "object",
            "required": ["id", "object"],
            "properties": {
                "id": {"type": "string", "pattern": "^ch_[A-Za-z0-9]+$"},
                "object": {"type": "string", "enum": ["charge"]},
                "amount": {"type": "integer", "format": "int64", "minimum": 0},
                "amount_refunded": {"type": "integer", "format": "int64", "minimum": 0},
                "currency": lower_currency,
                "refunded": {"type": "boolean"},
                "customer": {"type": "string", "pattern": "^cus_[A-Za-z0-9]+$"},
                "payment_intent": {"type": "string", "pattern": "^pi_[A-Za-z0-9]+$"},
                "receipt_email": {"type": "string", "format": "email", "nullable": True},
            },
        },
    )
    add_schema(
        "StripePaymentIntent",
        {
            "type": "object",
            "required": ["id", "object", "status"],
            "properties": {
                "id": {"type": "string", "pattern": "^pi_[A-Za-z0-9]+$"},
                "object": {"type": "string", "enum": ["payment_intent"]},
                "amount": {"type": "integer", "format": "int64", "minimum": 0},
                "currency": lower_currency,
                "customer": {"type": "string", "pattern": "^cus_[A-Za-z0-9]+$"},
                "status": {
                    "type": "string",
                    "enum": [
                        "requires_payment_method",
                        "requires_action",
                        "processing",
                        "succeeded",
                        "canceled",
                    ],
                },
                "last_payment_error": {
                    "type": "object",
                    "nullable": True,
                    "properties": {
                        "code": {"type": "string"},
                        "decline_code": {"type": "string"},
                        "message": {"type": "string"},
                    },
                },
                "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
    )
    add_schema(
        "LicenseEventObject",
        {
            "type": "object",
            "required": ["id", "object", "licenseId", "productId", "status"],
            "properties": {
                "id": {"type": "string", "pattern": id_pattern("lic")},
                "object": {"type": "string", "enum": ["license"]},
                "licenseId": {"type": "string", "pattern": id_pattern("lic")},
                "licenseKey": {"type": "string", "description": "Masked key."},
                "productId": {"type": "string", "pattern": id_pattern("prd")},
                "status": {
                    "type": "string",
                    "enum": ["active", "expired", "suspended", "revoked", "unknown"],
                },
                "valid": {"type": "boolean"},
                "instanceId": {"type": "string"},
                "domain": {"type": "string", "format": "hostname"},
                "activations": {
                    "type": "object",
                    "properties": {
                        "used": {"type": "integer", "minimum": 0},
                        "limit": {"type": "integer", "minimum": 1},
                    },
                },
                "occurredAt": {"type": "string", "format": "date-time"},
            },
        },
    )


def event_schema(name: str, event: str, object_schema: str, *, previous: bool = False) -> dict:
    data_props = {"object": sref(object_schema)}
    if previous:
        data_props["previous_attributes"] = {
            "type": "object",
            "additionalProperties": True,
            "description": "Values of the changed fields before the update.",
        }
    return add_schema(
        name,
        {
            "description": f"Payload of the `{event}` event.",
            "type": "object",
            "required": ["id", "object", "type", "created", "data"],
            "properties": {
                "id": {
                    "type": "string",
                    "pattern": "^evt_[A-Za-z0-9]+$",
                    "description": "Event id; use it to ignore duplicates.",
                },
                "object": {"type": "string", "enum": ["event"]},
                "type": {"type": "string", "enum": [event]},
                "created": {
                    "type": "integer",
                    "format": "int64",
                    "minimum": 0,
                    "description": "Unix time of the event.",
                },
                "livemode": {"type": "boolean"},
                "data": {"type": "object", "required": ["object"], "properties": data_props},
            },
        },
    )


def build_webhooks() -> dict:
    build_webhook_schemas()
    lic = id_example("lic")
    lic_obj = {
        "id": lic,
        "object": "license",
        "licenseId": lic,
        "licenseKey": "ECOS-7KQ2-****-****-P3WZ",
        "productId": "prd_01HODOOCRM",
        "status": "active",
        "instanceId": INSTANCE_ID,
        "domain": "erp.acme.example.com",
        "activations": {"used": 2, "limit": 3},
    }
    sub_obj = {
        "id": "sub_1ABCxyz",
        "object": "subscription",
        "customer": "cus_PQRxyz",
        "status": "active",
        "current_period_start": 1711000000,
        "current_period_end": 1713678400,
        "cancel_at_period_end": True,
        "canceled_at": None,
        "items": {
            "object": "list",
            "data": [
                {
                    "id": "si_PQRxyz",
                    "quantity": 40,
                    "price": {
                        "id": "price_1ERPBIZ",
                        "unit_amount": 2900,
                        "currency": "usd",
                        "recurring": {"interval": "month"},
                    },
                }
            ],
        },
        "metadata": {"userId": "usr_01HXYZ", "planId": id_example("pln")},
    }
    events = [
        (
            "checkout.session.completed",
            "stripe",
            "StripeCheckoutSession",
            CHECKOUT_EXAMPLE,
            "A customer paid in a Stripe Checkout Session. ECOSIRE grants the licenses of `metadata.productIds` "
            "to `metadata.userId` and creates the order.",
        ),
        (
            "invoice.paid",
            "stripe",
            "StripeInvoice",
            {
                "id": "evt_1INVpaid",
                "object": "event",
                "type": "invoice.paid",
                "created": 1711003600,
                "data": {
                    "object": {
                        "id": "in_1ABCxyz",
                        "object": "invoice",
                        "customer": "cus_PQRxyz",
                        "customer_email": "user@example.com",
                        "subscription": "sub_1ABCxyz",
                        "number": "ECOS-0042",
                        "amount_paid": 116000,
                        "currency": "usd",
                        "status": "paid",
                        "hosted_invoice_url": "https://invoice.stripe.com/i/acct_1ECOS/test_inv_42",
                        "period_start": 1711000000,
                        "period_end": 1713678400,
                    }
                },
            },
            "A subscription invoice was paid; the subscription period is extended.",
        ),
        (
            "customer.subscription.deleted",
            "stripe",
            "StripeSubscription",
            {
                "id": "evt_1SUBdeleted",
                "object": "event",
                "type": "customer.subscription.deleted",
                "created": 1713678400,
                "data": {"object": {**sub_obj, "status": "canceled", "canceled_at": 1713678400}},
            },
            "A subscription ended; its licenses expire at the end of the paid period.",
        ),
        (
            "customer.subscription.updated",
            "stripe",
            "StripeSubscription",
            {
                "id": "evt_1SUBupdated",
                "object": "event",
                "type": "customer.subscription.updated",
                "created": 1711090000,
                "data": {"object": sub_obj, "previous_attributes": {"cancel_at_period_end": False}},
            },
            "A subscription changed (plan, quantity, cancellation at period end...).",
        ),
        (
            "charge.refunded",
            "stripe",
            "StripeCharge",
            {
                "id": "evt_1CHGrefund",
                "object": "event",
                "type": "charge.refunded",
                "created": 1711180000,
                "data": {
                    "object": {
                        "id": "ch_3ABCxyz",
                        "object": "charge",
                        "amount": 24900,
                        "amount_refunded": 24900,
                        "currency": "usd",
                        "refunded": True,
                        "customer": "cus_PQRxyz",
                        "payment_intent": "pi_3ABCxyz",
                        "receipt_email": "user@example.com",
                    }
                },
            },
            "A charge was refunded (fully or partly); the licenses it granted are revoked on a full refund.",
        ),
        (
            "payment_intent.payment_failed",
            "stripe",
            "StripePaymentIntent",
            {
                "id": "evt_1PIfailed",
                "object": "event",
                "type": "payment_intent.payment_failed",
                "created": 1711000300,
                "data": {
                    "object": {
                        "id": "pi_3DEFxyz",
                        "object": "payment_intent",
                        "amount": 24900,
                        "currency": "usd",
                        "customer": "cus_PQRxyz",
                        "status": "requires_payment_method",
                        "last_payment_error": {
                            "code": "card_declined",
                            "decline_code": "insufficient_funds",
                            "message": "Your card has insufficient funds.",
                        },
                        "metadata": {"userId": "usr_01HXYZ"},
                    }
                },
            },
            "A payment attempt failed; the customer is asked to update the payment method.",
        ),
        (
            "license.validated",
            "license",
            "LicenseEventObject",
            {
                "id": "evt_01HV9LICVALID",
                "object": "event",
                "type": "license.validated",
                "created": 1711013400,
                "data": {"object": {**lic_obj, "valid": True, "occurredAt": CREATED_AT}},
            },
            "A license key was validated through `POST /licenses/validate`.",
        ),
        (
            "license.activated",
            "license",
            "LicenseEventObject",
            {
                "id": "evt_01HV9LICACTIV",
                "object": "event",
                "type": "license.activated",
                "created": 1711013460,
                "data": {"object": {**lic_obj, "occurredAt": "2024-03-21T09:31:00Z"}},
            },
            "A license was activated on an instance through `POST /licenses/activate`.",
        ),
    ]
    assert [e[0] for e in events] == WEBHOOK_EVENTS
    out = {}
    for event, scheme, obj_schema, example, description in events:
        schema_name = pascal(event.replace(".", "-").replace("_", "-")) + "Event"
        sref_ = event_schema(
            schema_name, event, obj_schema, previous=(event == "customer.subscription.updated")
        )
        if scheme == "stripe":
            header = "Stripe-Signature"
            secret = "STRIPE_WEBHOOK_SECRET"
            param = {
                "name": header,
                "in": "header",
                "required": True,
                "description": 'Stripe\'s signature: `t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` '
                "keyed with `STRIPE_WEBHOOK_SECRET`. Reject the event with 401 if it does not "
                "verify or `t` is more than 5 minutes old. (The example is computed over the "
                f"compact JSON of the example payload with the demo secret `{STRIPE_DEMO_SECRET}`.)",
                "schema": {"type": "string", "pattern": "^t=[0-9]+(,v[0-9]+=[0-9a-f]{64})+$"},
                "example": stripe_signature(example, example["created"]),
            }
            sig_scheme = "stripe"
        else:
            header = "X-License-Signature"
            secret = "ECOSIRE_LICENSE_SECRET"
            param = {
                "name": header,
                "in": "header",
                "required": True,
                "description": "Hex HMAC-SHA256 of the raw body keyed with `ECOSIRE_LICENSE_SECRET`. Reject the "
                "event with 401 if it does not verify. (The example is computed over the compact "
                f"JSON of the example payload with the demo secret `{LICENSE_DEMO_SECRET}`.)",
                "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "example": license_signature(example),
            }
            sig_scheme = "hmac-sha256"
        out[event] = {
            "post": {
                "tags": ["webhooks"],
                "summary": f"{event} event",
                "description": description
                + " Delivered as a JSON POST to every endpoint subscribed to the event; "
                "non-2xx answers are retried with exponential backoff for 3 days.",
                "operationId": "webhookEvent" + pascal(event.replace(".", "-").replace("_", "-")),
                "parameters": [param],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": sref_, "example": example}},
                },
                "responses": {
                    "200": {
                        "description": "Event accepted. Answer quickly and process asynchronously."
                    },
                    "401": {
                        "description": "Signature missing or invalid: the receiver rejects the event.",
                        "content": {
                            "application/problem+json": {
                                "schema": sref("Problem"),
                                "example": {
                                    "statusCode": 401,
                                    "error": "Unauthorized",
                                    "message": "Invalid webhook signature",
                                },
                            }
                        },
                    },
                },
                "x-signature": {"scheme": sig_scheme, "header": header, "secret": secret},
            }
        }
    return out


# --------------------------------------------------------------------------
# Tags, info and assembly
# --------------------------------------------------------------------------

HAND_TAGS = {
    "auth": "Sign in with email and password, session cookies, token refresh and password reset.",
    "api-keys": "Create, rotate, revoke and monitor the organization's API keys (admin scope).",
    "contacts": "People and companies the organization does business with.",
    "support": "Public support requests and the organization's support tickets.",
    "licenses": "Validate and activate product license keys, and manage the organization's licenses.",
    "crm": "Lead capture, leads, opportunities, pipelines, stages and activities.",
    "newsletter": "Newsletter subscriptions (double opt-in) and past issues.",
    "webhooks": "Endpoints that receive the 8 webhook events, test deliveries and delivery history.",
    "health": "Liveness and service status (public).",
    "ecosire-ai": "Ask the ECOSIRE AI assistant, browse conversations and rate answers.",
}

TAG_GROUPS = [
    ("Identity & Access", ["auth", "api-keys", "users", "organizations", "roles", "audit-logs"]),
    ("Customer", ["contacts", "support", "helpdesk", "licenses"]),
    (
        "Sales & CRM",
        [
            "crm",
            "sales",
            "subscriptions",
            "ecommerce",
            "point-of-sale",
            "rental",
            "products",
            "pricing",
        ],
    ),
    ("Marketing", ["newsletter", "email-marketing", "sms", "surveys", "events"]),
    ("Finance", ["accounting", "invoicing", "payments", "taxes", "expenses"]),
    (
        "Operations",
        [
            "purchase",
            "inventory",
            "manufacturing",
            "quality",
            "maintenance",
            "repairs",
            "shipping",
            "fleet",
            "field-service",
        ],
    ),
    ("Projects & Services", ["projects", "timesheets", "planning", "appointments"]),
    ("People", ["hr", "payroll", "recruitment", "attendance", "time-off", "approvals"]),
    ("Productivity", ["documents", "sign", "knowledge"]),
    ("Platform", ["webhooks", "integrations", "notifications", "reports", "settings", "health"]),
    ("AI", ["ecosire-ai"]),
]

INFO_DESCRIPTION = f"""\
The ECOSIRE API gives programmatic access to every part of the ECOSIRE platform: CRM, contacts,
licenses, support, the AI assistant, the newsletter and the ERP modules (sales, purchase, inventory,
accounting, HR, projects...): **57 modules** and more than **818 endpoints**.

> This document is the **demo** bundled with the explorer. It is modelled on the public ECOSIRE
> documentation; the explorer's built-in mock server (`explorer mock`) answers it offline.

## Base URL
`https://api.ecosire.com/api`. Every path below is relative to it.

## Authentication
Three ways, all sent as `Authorization: Bearer ...` unless noted:

1. **JWT**: `POST /auth/login` with `{{"email", "password"}}` returns `token` (a JWT valid 24 hours) and
   `user` (`{{id, email, name, role}}`). Send `Authorization: Bearer <token>`.
2. **API keys**: `Authorization: Bearer ecos_live_<32 characters>` (or `ecos_test_...`). Each key has a
   name, an optional expiry and a scope: `read-only`, `read-write` or `admin`. Rotating a key keeps the
   old secret valid for 24 hours.
3. **OAuth 2.0** (authorization code + PKCE) through Authentik, recommended for web applications.

Browser applications use the HttpOnly `ecosire_auth` cookie set at login; the token is never visible
to JavaScript.

**Demo user** (mock server): `{DEMO_EMAIL}` / `{DEMO_PASSWORD}`.

## Rate limits
| endpoint | limit |
|---|---|
| `POST /support` | 5/min |
| `POST /crm/capture` | 10/min |
| `POST /ecosire-ai/ask` | 20/min |
| `POST /licenses/validate` | 30/min |
| `POST /licenses/activate` | 10/min |
| `POST /newsletter/subscribe` | 5/min |
| any authenticated endpoint | 100/min |
| other public endpoints | 60/min |

Every response carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (Unix
time); a 429 adds `Retry-After` (seconds). Each operation states its limit in `x-ratelimit`.
The free tier allows 1,000 calls a day; limits differ by plan.

## Errors
Errors are RFC 7807 problem details (`application/problem+json`) with a machine-readable `error`, a
human-readable `message` and, for validation errors, field-level `details`:

```json
{{ "statusCode": 422, "error": "Unprocessable Entity", "message": "Validation failed",
  "details": [ {{ "field": "email", "message": "Invalid email address" }},
               {{ "field": "password", "message": "Must be at least 8 characters" }} ] }}
```
Statuses used: 200, 201, 204, 400, 401, 403, 404, 409, 422, 429, 500.

## Pagination, sorting and search
Lists take `page` (from 1), `limit` (1-100, default 20), `sort` (`-createdAt`, `name,-amountTotal`)
and `q` (full text), and answer `{{"data": [...], "meta": {{"page", "limit", "total", "totalPages"}}}}`.
Every resource also has `POST .../search` for structured filters.

## Identifiers
Ids are a type prefix and a ULID: `con_01HV8Z3K4M5N6P7Q8R9S0T1V2W` (contact), `usr_...` (user),
`prd_01HODOOCRM` (product)...

## Webhooks
8 events, configured in Dashboard -> Settings -> Webhooks or with `/webhooks`, delivered as JSON
POSTs (see `x-webhooks`): `checkout.session.completed`, `invoice.paid`,
`customer.subscription.deleted`, `customer.subscription.updated`, `charge.refunded`,
`payment_intent.payment_failed`, `license.validated`, `license.activated`. Stripe events carry
`Stripe-Signature` (`t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, secret `STRIPE_WEBHOOK_SECRET`);
license events carry `X-License-Signature` (hex HMAC-SHA256 of the body, secret
`ECOSIRE_LICENSE_SECRET`). Reject unverified events with 401.

## SDK
`npm install @ecosire/sdk`: typed client with retries (`client.auth.login(...)`, `client.contacts.list()`).
"""


def build_document() -> dict:
    global AI_MODULES_ENUM
    SCHEMAS.clear()
    MODULE_PATHS.clear()
    register_prefixes()
    tag_order = [t for _, names in TAG_GROUPS for t in names]
    assert len(tag_order) == len(set(tag_order)) == 57, len(tag_order)
    AI_MODULES_ENUM = list(tag_order)

    build_shared_schemas()
    components = build_components_common()
    build_auth()
    build_contacts()
    build_support()
    build_crm_capture()
    for res in CRM_RESOURCES:
        build_resource("crm", "Crm", res)
    build_ecosire_ai()
    build_licenses()
    build_newsletter()
    build_api_keys()
    build_webhooks_config()
    build_health()
    descriptions = dict(HAND_TAGS)
    for mod in GENERATED_MODULES:
        assert mod.name not in descriptions, mod.name
        descriptions[mod.name] = mod.description
        assert 2 <= len(mod.resources) <= 4, mod.name
        for res in mod.resources:
            build_resource(mod.name, mod.sp, res)
    webhooks = build_webhooks()

    assert set(descriptions) == set(tag_order) == set(MODULE_PATHS), (
        set(descriptions) ^ set(tag_order),
        set(MODULE_PATHS) ^ set(tag_order),
    )

    paths: dict = {}
    shapes: dict = {}
    op_ids: set = set()
    for tag in tag_order:
        for path, item in MODULE_PATHS[tag].items():
            assert path not in paths, path
            shape = re.sub(r"\{[^}]+\}", "{}", path)
            assert shape not in shapes, (path, shapes.get(shape))
            shapes[shape] = path
            for params in re.findall(r"\{([^}]+)\}", path):
                assert all(
                    any(p.get("name") == params for p in op.get("parameters", []))
                    for op in item.values()
                ), path
            for op in item.values():
                assert op["operationId"] not in op_ids, op["operationId"]
                op_ids.add(op["operationId"])
            paths[path] = item
    for wh in webhooks.values():
        assert wh["post"]["operationId"] not in op_ids
        op_ids.add(wh["post"]["operationId"])

    components["schemas"] = SCHEMAS
    components_ordered = {
        k: components[k]
        for k in ("schemas", "responses", "parameters", "headers", "securitySchemes")
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "ECOSIRE API",
            "version": "2.4.0",
            "description": INFO_DESCRIPTION,
            "termsOfService": "https://ecosire.com/terms",
            "contact": {
                "name": "ECOSIRE Developer Support",
                "url": "https://ecosire.com/docs/api",
                "email": "api@ecosire.com",
            },
            "license": {"name": "Proprietary (demo document)", "url": "https://ecosire.com/terms"},
        },
        "externalDocs": {
            "description": "ECOSIRE API documentation",
            "url": "https://ecosire.com/docs/api",
        },
        "servers": [
            {"url": "https://api.ecosire.com/api", "description": "Production"},
            {
                "url": "http://127.0.0.1:{port}/api",
                "description": "Local demo (explorer mock)",
                "variables": {
                    "port": {"default": "8642", "description": "Port of the local mock server"}
                },
            },
        ],
        "security": [{"bearerAuth": []}, {"apiKey": []}, {"cookieAuth": []}, {"oauth2": []}],
        "tags": [{"name": t, "description": descriptions[t]} for t in tag_order],
        "x-tagGroups": [{"name": g, "tags": list(names)} for g, names in TAG_GROUPS],
        "paths": paths,
        "components": components_ordered,
        "x-webhooks": webhooks,
    }


def render(doc: dict) -> bytes:
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTPUT
    data = render(build_document())
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    doc = json.loads(data)
    n_ops = sum(
        1
        for item in doc["paths"].values()
        for m in item
        if m in ("get", "put", "post", "delete", "patch", "head", "options", "trace")
    )
    print(
        f"wrote {out}: {len(doc['tags'])} tags, {len(doc['paths'])} paths, {n_ops} operations, "
        f"{len(doc['components']['schemas'])} schemas, {len(data)} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
