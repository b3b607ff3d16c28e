"""Replies, and RFC 7807 problem documents in the ECOSIRE shape.

{"type": "about:blank", "title": "Unprocessable Entity", "status": 422,
 "statusCode": 422, "error": "Unprocessable Entity", "message": "Validation failed",
 "instance": "/api/contacts", "details": [{"field": "email", "message": "..."}]}
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

__all__ = ["PROBLEM_JSON", "Detail", "MockProblem", "Reply", "problem", "problem_body", "reason"]

PROBLEM_JSON = "application/problem+json"


def reason(status: int) -> str:
    """The reason phrase of a status code ("Unprocessable Entity")."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error" if status >= 400 else "OK"


@dataclass(frozen=True)
class Detail:
    """One field error: the field (a parameter name or a dotted body path) and why."""

    field: str
    message: str


@dataclass
class Reply:
    """A finished HTTP answer."""

    status: int
    body: bytes = b""
    media_type: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        low = name.lower()
        return next((v for k, v in self.headers if k.lower() == low), None)

    def set_header(self, name: str, value: str) -> None:
        low = name.lower()
        self.headers = [(k, v) for k, v in self.headers if k.lower() != low]
        self.headers.append((name, value))


class MockProblem(Exception):
    """Raised inside the mock to answer with a problem document."""

    def __init__(
        self,
        status: int,
        message: str,
        details: Sequence[Detail] = (),
        headers: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = tuple(details)
        self.headers = list(headers)


def problem(
    status: int,
    message: str,
    instance: str,
    details: Sequence[Detail] = (),
    headers: Sequence[tuple[str, str]] = (),
) -> Reply:
    """A problem reply: RFC 7807 members plus ECOSIRE's statusCode/error/message/details."""
    return Reply(
        status, problem_body(status, message, instance, details), PROBLEM_JSON, list(headers)
    )


def problem_body(
    status: int, message: str, instance: str | None = None, details: Sequence[Detail] = ()
) -> bytes:
    """The JSON of a problem document (without `instance` when there is no request)."""
    phrase = reason(status)
    doc: dict[str, Any] = {
        "type": "about:blank",
        "title": phrase,
        "status": status,
        "statusCode": status,
        "error": phrase,
        "message": message,
    }
    if instance is not None:
        doc["instance"] = instance
    if details:
        doc["details"] = [{"field": d.field, "message": d.message} for d in details]
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")
