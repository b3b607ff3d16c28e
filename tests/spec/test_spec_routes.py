"""explorer.spec.routes: from a URL back to a server and its variables."""

from __future__ import annotations

import time

from explorer.spec import Server
from explorer.spec.routes import match_server


def test_match_server() -> None:
    from explorer.spec import ServerVariable

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


def test_an_ambiguous_template_gives_up_instead_of_freezing() -> None:
    """Backtracking over "{v0}.{v1}...." is exponential in the variables: bounded in time."""
    dotted = Server("http://" + ".".join(f"{{v{i}}}" for i in range(12)) + "x")
    adjacent = Server("http://" + "".join(f"{{v{i}}}" for i in range(12)) + "x")
    started = time.monotonic()
    assert match_server(dotted, "http://" + "a." * 60 + "y") is None
    assert match_server(adjacent, "http://" + "a" * 60 + "y") is None
    assert time.monotonic() - started < 5  # unbounded, this is minutes
    assert match_server(dotted, "http://" + ".".join("abcdefghijkl") + "x") is not None
