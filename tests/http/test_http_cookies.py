"""explorer.http.cookies: Set-Cookie headers read leniently."""

from __future__ import annotations

from explorer.http.cookies import parse_set_cookie


def test_set_cookie_attributes() -> None:
    c = parse_set_cookie("sid=a1; Path=/; Domain=example.com; HttpOnly; Secure; SameSite=Strict")
    assert c is not None
    assert (c.name, c.value, c.path, c.domain, c.http_only, c.secure, c.same_site) == (
        "sid",
        "a1",
        "/",
        "example.com",
        True,
        True,
        "Strict",
    )
    m = parse_set_cookie('theme="dark"; Max-Age=3600')
    assert m is not None and m.value == "dark" and m.expires == "Max-Age 3600 s"
    assert parse_set_cookie("garbage") is None
