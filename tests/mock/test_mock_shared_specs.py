"""Every OpenAPI document in ../shared/specs is served, and its operations answer without
a 500 (GETs first; documents without GETs get their other operations, with sample bodies)."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from explorer import spec
from explorer.mock import MockServer

SHARED = Path(__file__).resolve().parents[3] / "shared" / "specs"


def documents() -> list[Path]:
    if not SHARED.is_dir():
        return []
    out = []
    for path in sorted(SHARED.rglob("*")):
        if path.suffix not in (".json", ".yaml", ".yml"):
            continue
        head = path.read_text(encoding="utf-8", errors="replace")[:2000]
        if "openapi" in head or "swagger" in head:  # skip schema fragment files
            out.append(path)
    return out


def value_for(param: spec.Parameter) -> Any:
    if param.example is not None:
        return param.example
    if param.examples and param.examples[0].value is not None:
        return param.examples[0].value
    value = spec.sample(param.schema, "request")
    return "x" if value is None or value == "" else value


def text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ",".join(text(v) for v in value)
    return str(value)


def credentials(api: spec.Spec) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    headers = {"Authorization": "Bearer test-token"}
    query: dict[str, str] = {}
    cookies: dict[str, str] = {}
    for scheme in api.security_schemes.values():
        if scheme.type == "apiKey" and scheme.location == "header":
            headers[scheme.param_name] = "test-key"
        elif scheme.type == "apiKey" and scheme.location == "query":
            query[scheme.param_name] = "test-key"
        elif scheme.type == "apiKey" and scheme.location == "cookie":
            cookies[scheme.param_name] = "test-key"
    if any(s.scheme == "basic" for s in api.security_schemes.values()) and not any(
        s.scheme == "bearer" or s.type in ("oauth2", "openIdConnect")
        for s in api.security_schemes.values()
    ):
        headers["Authorization"] = "Basic " + base64.b64encode(b"user:pass").decode()
    return headers, query, cookies


@pytest.mark.skipif(not documents(), reason="../shared/specs is not present")
@pytest.mark.parametrize("path", documents(), ids=lambda p: p.name)
def test_operations_answer_without_a_server_error(path: Path) -> None:
    api = spec.load(path)
    headers, query, cookies = credentials(api)
    statuses: dict[int, int] = {}
    gets = [op for op in api.operations if op.method == "GET"][:40]
    gets = gets or list(api.operations[:40])
    assert gets, "no operation to try"
    with (
        MockServer(api) as server,
        httpx.Client(base_url=server.api_url, headers=headers, cookies=cookies) as client,
    ):
        for op in gets:
            url = op.path
            params = dict(query)
            for param in op.parameters:
                if param.location == "path":
                    url = url.replace(
                        "{" + param.name + "}", quote(text(value_for(param)), safe="")
                    )
                elif param.location == "query" and param.required:
                    params[param.name] = text(value_for(param))
                elif param.location == "header" and param.required:
                    client.headers[param.name] = text(value_for(param))
            body = None
            if op.request_body is not None and op.request_body.content:
                media = op.request_body.content[0]
                if "json" in media.media_type:
                    body = spec.sample(media.schema, "request")
            r = client.request(op.method, url, params=params, json=body)
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            assert r.status_code < 500, (op.key, r.text[:500])
            if r.status_code in (404, 405):
                # never a routing miss: the path exists in the document
                assert "No operation at" not in r.text, op.key
                assert "is not allowed" not in r.text, op.key
        assert server.app.served == len(gets)
    ok = sum(n for status, n in statuses.items() if 200 <= status < 300)
    assert ok >= 1, statuses  # sample bodies may break oneOf rules; that is a 422, fine
