"""Responses for the response-panel tests and screenshots (plain data, no network)."""

from __future__ import annotations

import json
import time

from explorer.http.model import (
    NetworkFailure,
    PreparedRequest,
    ResponseResult,
    Timing,
)

BASE = "http://127.0.0.1:8080/api"


def prepared(method: str = "GET", path: str = "/contacts", **kw: object) -> PreparedRequest:
    return PreparedRequest(method=method, url=BASE + path, **kw)  # type: ignore[arg-type]


def result(
    status: int = 200,
    body: bytes = b"",
    content_type: str = "application/json",
    headers: tuple[tuple[str, str], ...] = (),
    reason: str = "",
    **kw: object,
) -> ResponseResult:
    hdrs = ((("Content-Type", content_type),) if content_type else ()) + headers
    defaults: dict[str, object] = {
        "request": prepared(),
        "status": status,
        "reason": reason,
        "http_version": "HTTP/1.1",
        "url": BASE + "/contacts",
        "headers": hdrs,
        "body": body,
        "timing": Timing(
            connect=0.0012, tls=None, first_byte=0.0384, download=0.0021, total=0.0417
        ),
    }
    defaults.update(kw)
    return ResponseResult(**defaults)  # type: ignore[arg-type]


def contacts_json(n: int = 3) -> bytes:
    items = [
        {
            "id": f"c_{i:04d}",
            "name": f"Contact {i}",
            "email": f"contact{i}@example.com",
            "company": {"id": 7, "name": "Acme GmbH"},
            "tags": ["lead", "newsletter"],
            "active": i % 2 == 0,
            "score": 12.5 + i,
            "notes": None,
        }
        for i in range(n)
    ]
    return json.dumps({"data": items, "total": n, "page": 1}, separators=(",", ":")).encode()


def ok_json() -> ResponseResult:
    return result(
        200,
        contacts_json(),
        headers=(
            ("X-RateLimit-Limit", "100"),
            ("X-RateLimit-Remaining", "97"),
            ("X-RateLimit-Reset", str(int(time.time()) + 42)),
            ("Set-Cookie", "session=abc123; Path=/; HttpOnly; Secure; SameSite=Lax"),
            ("Set-Cookie", "theme=dark; Max-Age=3600; Domain=example.com"),
            ("Date", "Sat, 28 Nov 2026 15:00:00 GMT"),
        ),
        reason="OK",
    )


PROBLEM_422 = {
    "statusCode": 422,
    "error": "Unprocessable Entity",
    "message": "Validation failed",
    "details": [
        {"field": "email", "message": "Invalid email address"},
        {"field": "password", "message": "Must be at least 8 characters"},
    ],
}


def problem_422() -> ResponseResult:
    return result(422, json.dumps(PROBLEM_422).encode(), reason="Unprocessable Entity")


def too_many(retry_after: str = "37") -> ResponseResult:
    body = {"statusCode": 429, "error": "Too Many Requests", "message": "Rate limit exceeded"}
    return result(
        429,
        json.dumps(body).encode(),
        headers=(
            ("X-RateLimit-Limit", "5"),
            ("X-RateLimit-Remaining", "0"),
            ("X-RateLimit-Reset", str(int(time.time()) + 60)),
            ("Retry-After", retry_after),
        ),
        reason="Too Many Requests",
    )


def refused() -> NetworkFailure:
    return NetworkFailure(
        "refused", "The server refused the connection.", BASE + "/contacts", elapsed=0.003
    )
