"""What of a request's state may reach the disk: everything but its secrets."""

from __future__ import annotations

import json

from explorer import spec
from explorer.workbench.redact import password_names, redact_json_text, redact_state

STATE = {
    "version": 2,
    "method": "POST",
    "headers": [
        [True, "X-Auth-Token", "tok-1"],
        [True, "Accept-Language", "fr"],
        [True, "X-Custom", "marked-by-hand", False, True],
        [True, "Idempotency-Key", "idem-1"],
    ],
    "query": [[True, "api_key", "qk-1"], [True, "page", "2"]],
    "params": {
        "header:X-API-Key": {"value": "hk-1", "include": True},
        "query:limit": {"value": "10", "include": True},
        "cookie:session": {"value": "sess-1", "include": True},
    },
    "body": {
        "media_type": "application/json",
        "texts": {
            "application/json": json.dumps(
                {"email": "a@b.co", "password": "pw-1", "profile": {"pin_code": "1234"}},
                indent=2,
            ),
            "text/plain": "password=kept-as-text",
        },
        "forms": {
            "application/x-www-form-urlencoded": {
                "fields": {"form:client_secret": {"value": "cs-1", "include": True}},
                "extra": [[True, "note", "hello"]],
            }
        },
    },
    "auth": {"choice": "scheme:bearerAuth"},
    "settings": {"proxy": "http://me:proxy-pw@proxy.local:3128", "timeout": 30},
}


def test_secrets_are_left_out_and_the_rest_kept() -> None:
    out = redact_state(STATE, frozenset({"pin_code"}))
    text = json.dumps(out)
    for secret in ("tok-1", "marked-by-hand", "idem-1", "qk-1", "hk-1", "sess-1", "pw-1",
                   "1234", "cs-1", "proxy-pw"):  # fmt: skip
        assert secret not in text, secret
    assert [True, "Accept-Language", "fr"] in out["headers"]
    assert [True, "page", "2"] in out["query"]
    assert out["params"]["query:limit"]["value"] == "10"
    body = json.loads(out["body"]["texts"]["application/json"])
    assert body["email"] == "a@b.co" and body["password"] == ""
    assert out["body"]["forms"]["application/x-www-form-urlencoded"]["extra"][0][2] == "hello"
    assert out["settings"]["proxy"] == "http://me@proxy.local:3128"
    assert STATE["headers"][0][2] == "tok-1"  # the state in memory is untouched


def test_broken_json_is_redacted_by_pattern_and_clean_text_is_kept_as_typed() -> None:
    broken = '{\n  "password": "pw-2",\n  "name": '
    assert "pw-2" not in redact_json_text(broken)
    clean = '{"name":   "Ada"}'
    assert redact_json_text(clean) == clean


def test_password_names_from_the_schemas() -> None:
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/login": {
                "post": {
                    "parameters": [
                        {"name": "X-Pass", "in": "header", "schema": {"format": "password"}}
                    ],
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "allOf": [
                                        {"properties": {"code": {"format": "password"}}},
                                        {
                                            "properties": {
                                                "nested": {
                                                    "properties": {
                                                        "pin": {
                                                            "type": "string",
                                                            "format": "password",
                                                        }
                                                    }
                                                }
                                            }
                                        },
                                    ]
                                }
                            }
                        }
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    api = spec.load_bytes(json.dumps(doc).encode())
    assert password_names(api.find("POST /login")) == {"X-Pass", "code", "pin"}
    assert password_names(None) == frozenset()


def test_a_big_body_without_a_secret_word_is_kept_as_is_not_parsed_again() -> None:
    """Drafts redact the state on every edit: a 5 MB body must not be parsed and written
    again each time (it froze the window for seconds)."""
    body = json.dumps([{"id": i, "name": "x" * 40} for i in range(60_000)], indent=2)
    state = {"body": {"media_type": "application/json", "texts": {"application/json": body}}}
    assert redact_state(state)["body"]["texts"]["application/json"] is body
    with_secret = body.replace('"name"', '"apiKey"', 1)
    state["body"]["texts"]["application/json"] = with_secret
    first = redact_state(state)["body"]["texts"]["application/json"]
    assert '"apiKey": ""' in first and "x" * 40 in first
    assert redact_state(state)["body"]["texts"]["application/json"] is first  # remembered
