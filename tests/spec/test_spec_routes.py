"""explorer.spec.routes: from a URL back to a server and its variables."""

from __future__ import annotations

from explorer.spec.routes import match_server


def test_match_server() -> None:
    from explorer.spec import Server, ServerVariable

    s = Server("http://{host}:{port}/api", variables=(ServerVariable("port", "80", ("80", "90")),))
    assert match_server(s, "http://127.0.0.1:90/api/") == {"host": "127.0.0.1", "port": "90"}
    assert match_server(s, "http://127.0.0.1:91/api") is None
    assert match_server(Server("https://a.test"), "https://b.test") is None
    # a variable used twice must take the same value
    twice = Server("https://{env}.example.com/{env}")
    assert match_server(twice, "https://dev.example.com/dev") == {"env": "dev"}
    assert match_server(twice, "https://dev.example.com/prod") is None
    # a resolved server matches its own URL
    assert match_server(s, s.resolve({"host": "h"})) == {"host": "h", "port": "80"}
