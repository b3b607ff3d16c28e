"""DNS rebinding (only loopback `Host` values on a loopback address) and secrets in the
access log (masked)."""

from __future__ import annotations

import logging

import httpx
import pytest

from explorer import spec
from explorer.mock import MockServer, create_app
from explorer.mock._guard import HostCheck, is_loopback_host, log_target


@pytest.fixture
def server(hostile_server: MockServer) -> MockServer:
    return hostile_server


def get(server: MockServer, host: str) -> httpx.Response:
    return httpx.get(server.api_url + "/health", headers={"Host": host}, timeout=30)


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "127.0.0.1:8642",
        "127.1.2.3:80",
        "localhost",
        "LOCALHOST:1",
        "localhost.",
        "app.localhost:3000",
        "[::1]",
        "[::1]:8642",
        "[::ffff:127.0.0.1]:80",
    ],
)
def test_loopback_hosts_are_served(server: MockServer, host: str) -> None:
    assert get(server, host).status_code == 200


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:8642",
        "127.0.0.1.evil.example",
        "localhost.evil.example",
        "0.0.0.0",
        "192.168.1.10:8642",
        "[::2]",
        "",
    ],
)
def test_other_hosts_are_misdirected(server: MockServer, host: str) -> None:
    r = get(server, host)
    assert r.status_code == 421
    assert r.headers["content-type"] == "application/problem+json"
    doc = r.json()
    assert doc["title"] == "Misdirected Request"
    assert "DNS rebinding" in doc["message"]
    assert "--allow-host" in doc["message"]


def test_allowed_hosts(hostile_api: spec.Spec) -> None:
    with MockServer(hostile_api, allow_hosts=["Mock.Test", "10.0.0.5"]) as server:
        assert get(server, "mock.test:8642").status_code == 200
        assert get(server, "10.0.0.5").status_code == 200
        assert get(server, "127.0.0.1").status_code == 200
        assert get(server, "other.test").status_code == 421
    with MockServer(hostile_api, allow_hosts=["*"]) as server:
        assert get(server, "anything.example").status_code == 200


def test_the_check_applies_only_on_a_loopback_address() -> None:
    check = HostCheck()
    assert check.refusal("127.0.0.1", "evil.example") is not None
    assert check.refusal("::1", "evil.example") is not None
    assert check.refusal("192.168.1.5", "evil.example") is None  # bound to a LAN address
    assert check.refusal("127.0.0.1", None) is None  # HTTP/1.0 without Host
    assert is_loopback_host("127.255.255.254:1")
    assert not is_loopback_host("128.0.0.1")


def test_create_app_takes_the_option(hostile_api: spec.Spec) -> None:
    app = create_app(hostile_api, allow_hosts=["mock.test"])
    assert app.hosts.allowed == frozenset({"mock.test"})


def test_access_log_masks_secrets(hostile_api: spec.Spec, caplog: pytest.LogCaptureFixture) -> None:
    with (
        MockServer(hostile_api, access_log=True) as server,
        caplog.at_level(logging.INFO, logger="explorer.mock.access"),
    ):
        httpx.get(
            server.api_url + "/secure",
            params={"k": "KEYSECRET1", "access_token": "TOKENSECRET2", "page": "3"},
            timeout=30,
        )
        httpx.get(server.api_url + "/reset/PATHSECRET3", timeout=30)
        httpx.get(server.api_url + "/health?api_key=QSECRET4&password=PWSECRET5", timeout=30)
    lines = [r.getMessage() for r in caplog.records if r.name == "explorer.mock.access"]
    text = "\n".join(lines)
    for secret in ("KEYSECRET1", "TOKENSECRET2", "PATHSECRET3", "QSECRET4", "PWSECRET5"):
        assert secret not in text
    assert len(lines) == 3
    assert lines[0].endswith('"GET /v1/secure?k=***&access_token=***&page=3 HTTP/1.1" 200')
    assert lines[0].startswith("127.0.0.1:")
    assert lines[1].endswith('"GET /v1/reset/*** HTTP/1.1" 204')
    assert lines[2].endswith('"GET /v1/health?api_key=***&password=*** HTTP/1.1" 200')


def test_log_target_is_printable_and_short() -> None:
    target = log_target("/v1/a\x1b[31m\nforged", "q=\x00" + "x" * 5000, frozenset())
    assert target.startswith("/v1/a%1B[31m%0Aforged?q=%00xxx")
    assert len(target) == 1000
    assert target.isprintable()
