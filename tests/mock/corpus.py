"""Sending every operation of a document as its form opens, to `explorer mock` of the same
document, and judging the answer as the window does (the corpus tests and the figures in
the report come from here).

    python tests/mock/corpus.py [SPEC ...]     # figures per document (default: the shared
                                               # documents and the demo)

For each operation: the request the form builds without typing (required parameters as
`spec.form.preset` fills them, the body as the body editor pre-fills it, the credentials
a user would have), sent to the mock; the pre-filled JSON body checked against its schema
(`check_json_body`, as the body editor does); the answer judged: its status is one the
operation documents, its media type one that status documents, its JSON body passes the
documented schema (what the window marks ✓).
"""

from __future__ import annotations

import base64
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from explorer import spec
from explorer.http.build import build_request
from explorer.http.media import initial_text, is_json_media_type, match_media, media_kind
from explorer.http.model import BodyInput, FormField, ParamValue, RequestInput
from explorer.spec.check import check_json_body
from explorer.spec.form import entries_from_parameters, entries_from_schema
from explorer.spec.values import format_value

HERE = Path(__file__).resolve()
SHARED = HERE.parents[3] / "shared" / "specs"


def documents(root: Path = SHARED) -> list[Path]:
    """The OpenAPI documents under `root` (not the schema files they refer to)."""
    if not root.is_dir():
        return []
    out = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".json", ".yaml", ".yml"):
            continue
        head = path.read_text(encoding="utf-8", errors="replace")[:2000]
        if "openapi" in head or "swagger" in head:
            out.append(path)
    return out


def param_values(op: spec.Operation) -> list[ParamValue]:
    """What the form starts with: required parameters filled (`spec.form.preset`)."""
    try:
        from explorer.spec.form import preset
    except ImportError:  # before presets existed: the document's example, else a sample
        preset = None
    out = []
    for entry in entries_from_parameters(op.parameters):
        if preset is not None:
            found = preset(entry)
            if found is None:
                continue
            value = found[0]
        else:
            if not entry.required:
                continue
            value = entry.example if entry.example is not None else spec.sample(entry.schema)
        out.append(ParamValue(entry.name, entry.location, value, entry.style, entry.explode))
    return out


def body_input(
    api: spec.Spec, op: spec.Operation
) -> tuple[BodyInput | None, spec.MediaType | None]:
    """The body as the editor pre-fills it (the first media type the operation takes):
    JSON from the first example that fits, else the sample; form fields as the form
    starts them (required ones filled)."""
    if op.request_body is None or not op.request_body.content:
        return None, None
    media = op.request_body.content[0]
    kind = media_kind(media.media_type)
    if kind == "json":
        try:
            from explorer.http.media import first_fitting_example
        except ImportError:  # before it existed: the first example
            index = 0
        else:
            index = first_fitting_example(media, api.openapi_version)
        return BodyInput(media.media_type, initial_text(media, index)), media
    if kind in ("urlencoded", "multipart"):
        try:
            from explorer.spec.form import preset
        except ImportError:
            return BodyInput(media.media_type), None
        fields = []
        for entry in entries_from_schema(media.schema):
            found = preset(entry)
            if found is not None:
                value = found[0]
                for v in value if isinstance(value, list) else [value]:
                    text = v if isinstance(v, str) else format_value(v)
                    fields.append(FormField(entry.name, value=text))
        return BodyInput(media.media_type, fields=tuple(fields)), None
    return None, None


@dataclass
class Figures:
    """What one document gave."""

    name: str
    operations: int = 0
    bodies: int = 0
    bodies_ok: int = 0
    answers: int = 0
    answers_ok: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    body_failures: list[str] = field(default_factory=list)
    answer_failures: list[str] = field(default_factory=list)
    example_warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.name}: {self.operations} operations; pre-filled bodies passing "
            f"{self.bodies_ok}/{self.bodies}; answers within the document "
            f"{self.answers_ok}/{self.answers}; statuses {dict(sorted(self.statuses.items()))}"
        )


def judge(api: spec.Spec, op: spec.Operation, r: httpx.Response) -> str | None:
    """Why an answer is not within the document (None when it is)."""
    declared = op.response(r.status_code)
    if declared is None:
        return f"status {r.status_code} is not documented"
    ctype = r.headers.get("content-type", "")
    if not declared.content:
        return None if not r.content else f"{r.status_code} documents no body"
    if not r.content and r.status_code in (204, 205, 304):
        return None
    media = match_media(ctype, declared.content) if ctype else None
    if media is None:
        return f"{r.status_code} does not document {ctype or 'no content type'}"
    if is_json_media_type(ctype) and media.schema:
        check = check_json_body(
            r.content, media.schema, api.openapi_version, "response", locate=False
        )
        if check.parse_error or check.issues:
            return f"{r.status_code} {ctype}: " + "; ".join(check.messages()[:3])
    return None


def example_problems(api: spec.Spec, op: spec.Operation) -> list[str]:
    """The documented response examples that do not fit their own schema."""
    out = []
    for response in op.responses:
        for media in response.content:
            if not media.schema or not is_json_media_type(media.media_type):
                continue
            for ex in media.examples[:1]:
                issues = spec.validate(
                    ex.value,
                    media.schema,
                    openapi_version=api.openapi_version,
                    direction="response",
                )
                if issues:
                    out.append(f"{op.key} {response.status} example {ex.name}: {issues[0]}")
    return out


def demo_token(api: spec.Spec, client: httpx.Client) -> str | None:
    """The demo user's token, for a document that declares a demo."""
    from explorer.demo import demo_settings

    settings = demo_settings(api)
    if settings is None or settings.user is None:
        return None
    r = client.post(
        "/auth/login", json={"email": settings.user.email, "password": settings.user.password}
    )
    return str(r.json()["token"])


def credentials(
    api: spec.Spec, op: spec.Operation, token: str | None
) -> tuple[dict[str, str], list[tuple[str, str]], dict[str, str]]:
    """(headers, query, cookies) a user would send: the demo's token, or made-up values for
    every scheme of the operation's first security alternative (all of them: AND)."""
    if token is not None:
        return {"Authorization": f"Bearer {token}"}, [], {}
    headers: dict[str, str] = {}
    query: list[tuple[str, str]] = []
    cookies: dict[str, str] = {}
    basic = base64.b64encode(b"user:pass").decode()
    for name in op.security[0] if op.security else {}:
        scheme = api.security_schemes.get(name)
        if scheme is None:
            continue
        if scheme.type == "apiKey":
            if scheme.location == "header":
                headers[scheme.param_name] = "test-key"
            elif scheme.location == "query":
                query.append((scheme.param_name, "test-key"))
            elif scheme.location == "cookie":
                cookies[scheme.param_name] = "test-key"
        elif scheme.type == "http" and scheme.scheme.lower() == "basic":
            headers["Authorization"] = f"Basic {basic}"
        elif scheme.type == "http" and scheme.scheme.lower() not in ("", "bearer"):
            headers["Authorization"] = f"{scheme.scheme} test-credentials"
        else:
            headers["Authorization"] = "Bearer test-token"
    return headers, query, cookies


class Ticking:
    """A clock a second further on at every reading: rate-limit windows pass while a whole
    document is sent (429 is not what is measured here), tokens stay valid."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        self.now += 1
        return self.now


def run(path: Path | str, *, limit: int | None = None, clock: Any = None) -> Figures:
    """Send every operation of a document (at most `limit`) to a mock of it."""
    from explorer.mock import MockServer

    api = spec.load(path)
    if clock is None:
        clock = Ticking()
    figures = Figures(Path(str(path)).name)
    ops = [op for op in api.operations if op.kind == "operation"][:limit]
    figures.operations = len(ops)
    options: dict[str, Any] = {"clock": clock}
    with (
        MockServer(api, **options) as server,
        httpx.Client(base_url=server.base_url, timeout=30) as client,
    ):
        with httpx.Client(base_url=server.api_url, timeout=30) as login:
            token = demo_token(api, login)
        for op in ops:
            figures.example_warnings += example_problems(api, op)
            body, media = body_input(api, op)
            if body is not None and media is not None:
                figures.bodies += 1
                check = check_json_body(body.text, media.schema, api.openapi_version)
                if check.parse_error or check.issues:
                    figures.body_failures.append(f"{op.key}: {check.messages()[:3]}")
                else:
                    figures.bodies_ok += 1
            inp = RequestInput(
                method=op.method,
                base_url=server.api_url,
                path=op.path,
                params=tuple(param_values(op)),
                body=body,
            )
            try:
                prepared = build_request(inp)
            except Exception as exc:  # a request the form cannot build: a failure too
                figures.answers += 1
                figures.answer_failures.append(f"{op.key}: not built: {exc}")
                continue
            headers, query, cookies = credentials(api, op, token)
            if cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
            sent: dict[str, Any] = {"content": prepared.content}
            if prepared.form or prepared.files:
                sent = {"files": [(k, (None, v)) for k, v in prepared.form]}
            r = client.request(
                prepared.method,
                prepared.url,
                headers={**headers, **dict(prepared.headers)},
                params=query or None,
                **sent,
            )
            figures.answers += 1
            figures.statuses[r.status_code] += 1
            why = judge(api, op, r)
            if why is None:
                figures.answers_ok += 1
            else:
                figures.answer_failures.append(f"{op.key}: {why} :: {r.text[:200]}")
    return figures


def main(argv: list[str]) -> int:
    from explorer.demo import demo_spec_path

    paths = [Path(a) for a in argv] or [*documents(), demo_spec_path()]
    total = Figures("all")
    for path in paths:
        figures = run(path)
        print(figures.line())
        for line in figures.body_failures[:8] + figures.answer_failures[:12]:
            print("   ", line[:300])
        for name in ("operations", "bodies", "bodies_ok", "answers", "answers_ok"):
            setattr(total, name, getattr(total, name) + getattr(figures, name))
        total.statuses.update(figures.statuses)
    print(total.line())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
