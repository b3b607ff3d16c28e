"""to_curl: the command is run by a real shell and the real curl against the local echo
server, and what the server received is compared with what the request says (and with
what Sender sends for the same request)."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import email.policy
import json
import os
import shutil
import subprocess
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from http_servers import RunningServer

from explorer.http import (
    AuthInput,
    BodyInput,
    FormField,
    ParamValue,
    PreparedRequest,
    RequestInput,
    ResponseResult,
    Sender,
    build_request,
    to_curl,
)

CURL = shutil.which("curl")
SHELLS = [s for s in ("sh", "bash", "zsh") if shutil.which(s)]
pytestmark = pytest.mark.skipif(CURL is None, reason="curl is not installed")

TRICKY = 'it\'s "quoted" $HOME `id` $(id) \\back !bang; & | > * ? ~ é ✓ 🚀\nsecond line\t'
TRICKY_HEADER = 'it\'s "quoted" $HOME `id` $(id) \\back !bang; & | é ✓'
SECRET = "s3cr$t'\"`!x \\ é"


def run_curl(
    command: str, tmp_path: Path, shell: str = "sh", env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run the command as a user would paste it, and return what the echo server got."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)  # no ~/.curlrc
    clean_env = {"PATH": os.environ["PATH"], "HOME": str(home), **(env or {})}
    script = tmp_path / "command.sh"
    script.write_text(command + " \\\n  --silent --show-error\n", encoding="utf-8")
    done = subprocess.run(
        [shell, str(script)],
        capture_output=True,
        env=clean_env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return decode_echo(done.stdout)


def decode_echo(raw: bytes) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(raw)
    data["body"] = base64.b64decode(data.pop("body_b64"))
    data["header_map"] = {k: v for k, v in data["headers"]}
    return data


def send_with_sender(prepared: PreparedRequest) -> dict[str, Any]:
    async def main() -> ResponseResult:
        sender = Sender()
        try:
            result = await sender.send(prepared)
        finally:
            await sender.aclose()
        assert isinstance(result, ResponseResult), result
        return result

    return decode_echo(asyncio.run(main()).body)


def assert_received(got: dict[str, Any], prepared: PreparedRequest) -> None:
    """The server saw exactly the prepared method, path, query, headers and body."""
    path, _, query = prepared.url.split("://", 1)[1].partition("/")[2].partition("?")
    assert got["method"] == prepared.method
    assert got["raw_path"] == "/" + path
    assert got["query"] == query
    for name, value in prepared.headers:
        assert got["header_map"].get(name.lower()) == value, name
    if prepared.content is not None:
        assert got["body"] == prepared.content


def tricky_request(server: RunningServer, auth: AuthInput | None) -> PreparedRequest:
    return build_request(
        RequestInput(
            "PUT",
            server.url,
            "/echo/contacts/{id}",
            params=(
                ParamValue("id", "path", TRICKY),
                ParamValue("q", "query", TRICKY),
                ParamValue("tags", "query", ["a b", "c,d"], "form", False),
                ParamValue("filter", "query", {"name": "Zoë & co"}, "deepObject"),
                ParamValue("X-Tricky", "header", TRICKY_HEADER),
                ParamValue("pref", "cookie", "a b;c"),
            ),
            headers=(("X-Empty", ""), ("Accept", "application/json")),
            # Sent as typed, even when it is not quite JSON: raw newlines, tabs, emoji.
            body=BodyInput("application/json", f'{{\n  "note": "{TRICKY}"\n}}\n'),
            auth=auth,
        )
    )


@pytest.mark.parametrize("shell", SHELLS)
def test_tricky_request_with_secret_from_the_environment(
    echo_server: RunningServer, tmp_path: Path, shell: str
) -> None:
    prepared = tricky_request(echo_server, AuthInput("bearer", token=SECRET, env_name="API_TOKEN"))
    command = to_curl(prepared)
    assert SECRET not in command
    assert '"${API_TOKEN}"' in command

    got = run_curl(command, tmp_path, shell, env={"API_TOKEN": SECRET})
    assert_received(got, prepared)
    assert got["header_map"]["authorization"] == f"Bearer {SECRET}"
    assert got["header_map"]["x-empty"] == ""
    assert "content-type" in got["header_map"]
    # The same request sent by the explorer itself arrives the same way.
    ours = send_with_sender(prepared)
    for key in ("method", "raw_path", "query", "body"):
        assert ours[key] == got[key]


def test_secret_written_out_when_asked(echo_server: RunningServer, tmp_path: Path) -> None:
    prepared = tricky_request(echo_server, AuthInput("bearer", token=SECRET))
    command = to_curl(prepared, secrets_as_env=False)
    assert "${API_TOKEN}" not in command
    got = run_curl(command, tmp_path)  # no variable in the environment
    assert_received(got, prepared)
    assert got["header_map"]["authorization"] == f"Bearer {SECRET}"


def test_api_key_in_query_and_cookie_from_the_environment(
    echo_server: RunningServer, tmp_path: Path
) -> None:
    key = "ecos_test_0123456789abcdef0123456789abcdef"
    in_query = build_request(
        RequestInput(
            "GET",
            echo_server.url,
            "/echo/licenses",
            params=(ParamValue("page", "query", 1),),
            auth=AuthInput("apikey", token=key, name="api_key", location="query", env_name="KEY"),
        )
    )
    command = to_curl(in_query)
    assert key not in command
    assert_received(run_curl(command, tmp_path, env={"KEY": key}), in_query)

    in_cookie = build_request(
        RequestInput(
            "GET",
            echo_server.url,
            "/echo/me",
            auth=AuthInput("apikey", token=key, name="ecosire_auth", location="cookie"),
        )
    )
    command = to_curl(in_cookie)
    assert key not in command
    got = run_curl(command, tmp_path, env={"API_TOKEN": key})
    assert got["header_map"]["cookie"] == f"ecosire_auth={key}"


BASIC_USER = "demo@ecosire.com"
BASIC_PASSWORD = "pä:ss $HOME \"q\" 'sq' `id` !x \\"


def basic_request(server: RunningServer, **kw: Any) -> PreparedRequest:
    auth = AuthInput(
        "basic", username=BASIC_USER, password=BASIC_PASSWORD, env_name="ECOSIRE_PASSWORD"
    )
    return build_request(RequestInput("GET", server.url, "/basic", auth=auth, **kw))


def run_for_json(
    command: str, tmp_path: Path, shell: str = "sh", env: dict[str, str] | None = None
) -> Any:
    """Run the command in `shell` and return the JSON it printed (and fail on an HTTP error)."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    clean_env = {"PATH": os.environ["PATH"], "HOME": str(home), **(env or {})}
    script = tmp_path / "command.sh"
    script.write_text(command + " \\\n  --silent --show-error --fail\n", encoding="utf-8")
    done = subprocess.run(
        [shell, str(script)], capture_output=True, env=clean_env, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return json.loads(done.stdout)


@pytest.mark.parametrize("shell", SHELLS)
def test_basic_auth_is_user_and_password_variables(
    echo_server: RunningServer, tmp_path: Path, shell: str
) -> None:
    command = to_curl(basic_request(echo_server))
    assert '-u "${ECOSIRE_USER}:${ECOSIRE_PASSWORD}"' in command
    assert "Authorization" not in command
    assert BASIC_PASSWORD not in command and BASIC_USER not in command
    # The shell's own $USER is set, and must not be what is sent.
    env = {"USER": "root", "ECOSIRE_USER": BASIC_USER, "ECOSIRE_PASSWORD": BASIC_PASSWORD}
    got = run_for_json(command, tmp_path, shell, env=env)
    assert got == {"user": BASIC_USER, "password": BASIC_PASSWORD}


def test_basic_auth_written_out_and_as_the_explorer_sends_it(
    echo_server: RunningServer, tmp_path: Path
) -> None:
    prepared = basic_request(echo_server)
    command = to_curl(prepared, secrets_as_env=False)
    assert "-u " in command and "${" not in command
    got = run_for_json(command, tmp_path)
    assert got == {"user": BASIC_USER, "password": BASIC_PASSWORD}
    # The Authorization header curl makes is the one the explorer sends.
    echoed = dataclasses.replace(prepared, url=echo_server.url + "/echo/basic")
    by_curl = run_curl(to_curl(echoed, secrets_as_env=False), tmp_path)
    by_us = send_with_sender(echoed)
    assert by_curl["header_map"]["authorization"] == by_us["header_map"]["authorization"]
    assert by_us["header_map"]["authorization"] == dict(prepared.headers)["Authorization"]


def test_basic_auth_with_an_empty_half(echo_server: RunningServer, tmp_path: Path) -> None:
    prepared = build_request(
        RequestInput("GET", echo_server.url, "/basic", auth=AuthInput("basic", password="pw"))
    )
    command = to_curl(prepared)
    assert '-u ":${API_PASSWORD}"' in command
    got = run_for_json(command, tmp_path, env={"API_PASSWORD": "pw"})
    assert got == {"user": "", "password": "pw"}


def test_a_typed_authorization_header_over_basic_is_sent_as_typed(
    echo_server: RunningServer, tmp_path: Path
) -> None:
    prepared = basic_request(echo_server, headers=(("Authorization", "Bearer typed"),))
    command = to_curl(prepared)
    assert "-u " not in command
    got = run_curl(command.replace("/basic", "/echo/basic"), tmp_path)
    assert got["header_map"]["authorization"] == "Bearer typed"


def test_headers_marked_secret_become_variables(echo_server: RunningServer, tmp_path: Path) -> None:
    prepared = build_request(
        RequestInput(
            "GET",
            echo_server.url,
            "/echo/marked",
            headers=(("X-Auth-Token", "tok-secret-1"),),
            secret_headers=("X-Auth-Token",),
        )
    )
    command = to_curl(prepared)
    assert "tok-secret-1" not in command
    assert "-H 'X-Auth-Token: '\"${X_AUTH_TOKEN}\"" in command
    got = run_curl(command, tmp_path, env={"X_AUTH_TOKEN": "tok-secret-1"})
    assert got["header_map"]["x-auth-token"] == "tok-secret-1"


@pytest.mark.parametrize(
    ("method", "body", "implied"),
    [
        ("GET", None, True),
        ("POST", "x=1", True),
        ("GET", "payload", False),
        ("DELETE", None, False),
        ("PATCH", '{"a": 1}', False),
        ("OPTIONS", None, False),
    ],
)
def test_method_is_sent_and_only_spelled_out_when_needed(
    echo_server: RunningServer, tmp_path: Path, method: str, body: str | None, implied: bool
) -> None:
    prepared = PreparedRequest(
        method=method,
        url=echo_server.url + "/echo/m",
        content=body.encode() if body is not None else None,
    )
    command = to_curl(prepared)
    assert (f"-X {method}" in command) is not implied
    got = run_curl(command, tmp_path)
    assert got["method"] == method
    assert got["body"] == (body or "").encode()
    if body is not None:
        # No Content-Type in the request: curl must not invent a form one.
        assert "content-type" not in got["header_map"]


def test_binary_body_is_piped_in_exactly(echo_server: RunningServer, tmp_path: Path) -> None:
    content = bytes(range(256)) + b"'\\%b\x00end"
    prepared = PreparedRequest(
        method="POST",
        url=echo_server.url + "/echo/bin",
        headers=(("Content-Type", "application/octet-stream"),),
        content=content,
    )
    command = to_curl(prepared)
    assert command.startswith("printf '%b' ")
    for shell in SHELLS:
        got = run_curl(command, tmp_path, shell)
        assert got["body"] == content


def test_multipart_matches_what_the_explorer_sends(
    echo_server: RunningServer, tmp_path: Path
) -> None:
    upload = tmp_path / "my report;v2.csv"
    upload.write_bytes(b"name,qty\nwidget,3\n")
    plain = tmp_path / "notes.txt"
    plain.write_text("plain notes\n")
    prepared = build_request(
        RequestInput(
            "POST",
            echo_server.url,
            "/echo/upload",
            body=BodyInput(
                "multipart/form-data",
                fields=(
                    FormField("title", TRICKY),
                    FormField("at", "@not-a-file"),
                    FormField("report", file_path=str(upload), content_type="text/csv"),
                    FormField("notes", file_path=str(plain)),
                ),
            ),
        )
    )
    command = to_curl(prepared)
    by_curl = parts(run_curl(command, tmp_path))
    by_us = parts(send_with_sender(prepared))
    assert by_curl == by_us
    assert by_curl == [
        ("title", None, None, TRICKY.encode()),
        ("at", None, None, b"@not-a-file"),
        ("report", "my report;v2.csv", "text/csv", b"name,qty\nwidget,3\n"),
        ("notes", "notes.txt", "text/plain", b"plain notes\n"),
    ]


def parts(got: dict[str, Any]) -> list[tuple[str, str | None, str | None, bytes]]:
    """(name, filename, content type, content) of each part of a multipart body."""
    content_type = got["header_map"]["content-type"]
    raw = f"Content-Type: {content_type}\r\n\r\n".encode() + got["body"]
    message = BytesParser(policy=email.policy.HTTP).parsebytes(raw)
    out = []
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        ctype = part.get_content_type() if "content-type" in part else None
        out.append((name, part.get_filename(), ctype, part.get_payload(decode=True)))
    return out


def test_command_layout(echo_server: RunningServer) -> None:
    prepared = build_request(
        RequestInput(
            "POST",
            "https://api.ecosire.com/api",
            "/auth/login",
            body=BodyInput("application/json", '{"email": "demo@ecosire.com"}'),
            auth=AuthInput("bearer", token="tok", env_name="ECOSIRE_API_KEY"),
        )
    )
    assert to_curl(prepared) == (
        "curl https://api.ecosire.com/api/auth/login \\\n"
        "  -H 'Authorization: Bearer '\"${ECOSIRE_API_KEY}\" \\\n"
        "  -H 'Content-Type: application/json' \\\n"
        '  --data-raw \'{"email": "demo@ecosire.com"}\''
    )


def test_head_ipv6_and_dot_segments_get_their_options() -> None:
    head = to_curl(PreparedRequest("HEAD", "http://[::1]:8000/a/%2E%2E/b"))
    assert "--head" in head and "-X" not in head
    assert "--globoff" in head
    assert "--path-as-is" not in head
    dots = to_curl(PreparedRequest("GET", "http://127.0.0.1:8000/a/../b"))
    assert "--path-as-is" in dots


def test_odd_environment_variable_names_are_made_valid() -> None:
    prepared = PreparedRequest(
        "GET",
        "http://127.0.0.1:1/x",
        headers=(("X-Key", "k"),),
        secrets=(("k", "1st-key"),),
    )
    assert "-H 'X-Key: '\"${_1st_key}\"" in to_curl(prepared)


def test_big_body_is_piped_in_and_keeps_its_secret_variable(
    echo_server: RunningServer, tmp_path: Path
) -> None:
    text = ("{'quoted' \"$HOME\" `id` é ✓ " + SECRET + "}\n") * 10_000  # ~400 KB
    prepared = PreparedRequest(
        method="POST",
        url=echo_server.url + "/echo/big",
        headers=(("Content-Type", "text/plain"),),
        content=text.encode(),
        secrets=((SECRET, "BODY_SECRET"),),
    )
    command = to_curl(prepared)
    assert command.startswith("printf '%s' ")
    assert SECRET not in command
    for shell in SHELLS:
        got = run_curl(command, tmp_path, shell, env={"BODY_SECRET": SECRET})
        assert got["body"] == text.encode()


def test_every_snippet_language_and_the_variables_it_uses() -> None:
    from explorer.http.snippets import SNIPPETS, env_names

    prepared = PreparedRequest(
        "GET",
        "http://127.0.0.1:1/x",
        headers=(("Authorization", "Bearer s3cret"),),
        secrets=(("s3cret", "ACME_TOKEN"), ("", "UNUSED")),
    )
    for snippet in SNIPPETS:
        text = snippet.generate(prepared)
        assert "s3cret" not in text
        assert env_names(text, prepared) == ["ACME_TOKEN"]
    assert env_names("no variables", prepared) == []
