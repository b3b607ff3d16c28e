"""Media types: the one "is this JSON", what kind of body a media type takes, which declared
media type a Content-Type falls under, and the schema a response should match. No Qt here.

    >>> is_json_media_type("application/problem+json; charset=utf-8")    # True
    >>> media_kind("multipart/form-data; boundary=x")                     # 'multipart'
    >>> response_schema(op, 404, "application/problem+json")              # (schema, '4XX')

Every question "is this JSON?" in explorer (the request builder, the body editor, the
response view's kinds, the problem reader, the mock's parsing and answers) is
`is_json_media_type`: `*/json` and `*/*+json`, parameters and case ignored. A text that
merely mentions json (`application/x-ndjson`, `application/jsonl`) is not JSON as a whole;
the response view still sniffs such a body and shows it as JSON when it reads as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from explorer.spec.model import MediaType, Operation

__all__ = [
    "BodyKind",
    "essence",
    "first_fitting_example",
    "initial_text",
    "is_json_media_type",
    "match_media",
    "media_kind",
    "response_schema",
]

BodyKind = Literal["json", "urlencoded", "multipart", "raw"]


def essence(media_type: str) -> str:
    """The media type without parameters, lower case: "Application/JSON; charset=utf-8"
    -> "application/json"."""
    return media_type.split(";", 1)[0].strip().lower()


def is_json_media_type(media_type: str) -> bool:
    """True for `application/json`, `text/json` and any `*/*+json` (`application/problem+json`
    ...), with or without parameters."""
    subtype = essence(media_type).rpartition("/")[2]
    return subtype == "json" or subtype.endswith("+json")


def media_kind(media_type: str) -> BodyKind:
    """How a request body of this media type is edited: "json", "urlencoded",
    "multipart" or "raw" (text as typed)."""
    mt = essence(media_type)
    if mt == "application/x-www-form-urlencoded":
        return "urlencoded"
    if mt.startswith("multipart/"):
        return "multipart"
    if is_json_media_type(mt):
        return "json"
    return "raw"


def match_media(content_type: str, declared: Sequence[MediaType]) -> MediaType | None:
    """The declared media type a Content-Type falls under (exact first, then wildcards such
    as `application/*` and `*/*`)."""
    ct = essence(content_type)
    for media in declared:
        if essence(media.media_type) == ct:
            return media
    for media in declared:
        pattern = essence(media.media_type)
        if pattern == "*/*" or (pattern.endswith("/*") and ct.startswith(pattern[:-1])):
            return media
    return None


def first_fitting_example(media: MediaType, openapi_version: str) -> int:
    """Which example a request body starts from: the first of the media type's examples
    that fits its schema; when none does (the document gets them wrong), the sample made
    from the schema (the index after the examples). A body that opens pre-filled passes
    the body check."""
    from explorer.spec.schema import validate

    if not media.examples or media.schema is None or media_kind(media.media_type) != "json":
        return 0
    for index, example in enumerate(media.examples):
        issues = validate(example.value, media.schema, openapi_version=openapi_version)
        if not issues or all(i.keyword == "schema" for i in issues):
            return index
    return len(media.examples)


def initial_text(media: MediaType, example_index: int = 0) -> str:
    """The starting text of a request body: the chosen example, else a sample made from
    the schema; JSON indented, text as it is."""
    from explorer.spec.schema import sample

    kind = media_kind(media.media_type)
    value: Any = None
    found = False
    if media.examples and 0 <= example_index < len(media.examples):
        value, found = media.examples[example_index].value, True
    elif media.schema is not None:
        value, found = sample(media.schema, "request"), True
    if not found:
        return ""
    if kind == "json":
        return json.dumps(value, indent=2, ensure_ascii=False)
    if isinstance(value, str):
        return value
    return "" if value is None else json.dumps(value, indent=2, ensure_ascii=False)


def response_schema(op: Operation, status: int, content_type: str) -> tuple[Any, str]:
    """The schema the spec declares for this status and media type, and a label for it
    ("200", "4XX", "default"); (None, "") when no response is declared for the status,
    (None, label) when it declares no schema. The media type is matched as the mock
    matches a request's (exact, then wildcards); failing that, the first JSON one."""
    response = op.response(status)
    if response is None:
        return None, ""
    media = match_media(content_type, response.content) if content_type else None
    if media is None:
        media = next(
            (m for m in response.content if is_json_media_type(m.media_type)),
            response.content[0] if response.content else None,
        )
    if media is None or not media.schema:
        return None, response.status
    return media.schema, response.status
