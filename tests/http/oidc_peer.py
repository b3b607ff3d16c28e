"""A real OpenID provider for the OAuth2 tests, and a person at its pages.

- `start_provider()`: oidc-provider 9.x (npm, installed by .ci/peers/oidc.sh into
  .cache/peers/oidc) running `oidc/provider.mjs` on 127.0.0.1, port 0. Its clients are
  described at the top of that file.
- `Browser`: what the system browser and the person do, with real HTTP: follows the
  provider's pages, submits its login and consent forms (or declines), enters a device
  code on the verification page, and lands on our loopback redirect.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
PEER_DIR = ROOT / ".cache" / "peers" / "oidc"
PROVIDER_JS = Path(__file__).resolve().parent / "oidc" / "provider.mjs"

LOGIN = "alice"
"""The account the person signs in as (the provider takes any login and password)."""


@dataclass(frozen=True)
class Provider:
    issuer: str
    started_in: float
    """Seconds from starting node to the provider listening."""


def start_provider() -> Iterator[Provider]:
    """Run the provider for as long as the generator is suspended (a fixture's body)."""
    node = shutil.which("node")
    if node is None or not (PEER_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.skip("oidc-provider is not installed (bash .ci/test.sh installs it)")
    log = (Path(os.environ.get("EXPLORER_CACHE_DIR", "/tmp")).parent / "oidc-provider.log").open(
        "wb"
    )
    began = time.monotonic()
    proc = subprocess.Popen(
        [node, str(PROVIDER_JS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,
        env={**os.environ, "OIDC_PEER_DIR": str(PEER_DIR)},
    )
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        line = proc.stdout.readline() if ready else b""
        if not line:
            log.flush()
            raise AssertionError(
                "the OpenID provider did not start: "
                + Path(log.name).read_text(errors="replace")[-2000:]
            )
        yield Provider(json.loads(line)["issuer"], time.monotonic() - began)
    finally:
        if proc.stdin is not None:
            proc.stdin.close()  # provider.mjs ends when its stdin does
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
        log.close()


# -- the person at the browser ----------------------------------------------------------------


@dataclass
class Form:
    id: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    empty: list[str] = field(default_factory=list)
    """Names of text inputs without a value: what the person types."""


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._open: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._open = Form(a.get("id", ""), a.get("action", ""))
            self.forms.append(self._open)
        elif tag == "input" and self._open is not None and a.get("name"):
            if a.get("value"):
                self._open.fields[a["name"]] = a["value"]
            else:
                self._open.empty.append(a["name"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def forms(html: str) -> list[Form]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


class Browser:
    """The system browser with the person in front of it (see the module docstring).

    Called with the authorization URL (as `open_browser`), it signs in as `LOGIN` and
    consents, or declines consent when `decline` is set; `pages` is every URL it saw and
    `last` the last page (our loopback's)."""

    def __init__(self, issuer: str, *, decline: bool = False) -> None:
        self.issuer = issuer
        self.decline = decline
        self.pages: list[str] = []
        self.last: httpx.Response | None = None
        self.opened: list[str] = []

    async def __call__(self, url: str) -> None:
        self.opened.append(url)
        async with httpx.AsyncClient(follow_redirects=True, trust_env=False) as http:
            self.last = await self._through(http, await http.get(url))

    async def confirm_device(self, verification_uri: str, user_code: str) -> httpx.Response:
        """Enter `user_code` on the verification page, sign in and consent (or decline)."""
        async with httpx.AsyncClient(follow_redirects=True, trust_env=False) as http:
            self.last = await self._through(http, await http.get(verification_uri), user_code)
            return self.last

    async def _through(
        self, http: httpx.AsyncClient, page: httpx.Response, user_code: str = ""
    ) -> httpx.Response:
        """Fill and submit the provider's forms until a page that has none."""
        for _ in range(10):
            self.pages.append(str(page.url))
            if not str(page.url).startswith(self.issuer):
                return page  # back at the app (our loopback redirect)
            found = forms(page.text)
            if not found:
                return page
            form = found[0]
            data = dict(form.fields)
            for name in form.empty:
                data[name] = {"login": LOGIN, "password": "pw", "user_code": user_code}.get(
                    name, ""
                )
            action = str(page.url.join(form.action))
            if self.decline and data.get("prompt") == "consent":
                action = action.rstrip("/") + "/abort"  # provider.mjs: the person says no
            elif self.decline and form.id == "op.deviceConfirmForm":
                data["abort"] = "yes"  # the page's "[ Abort ]" button
                page = await http.post(action, data=data)
                self.pages.append(str(page.url))
                return page  # "The Sign-in request was interrupted": the person is done
            page = await http.post(action, data=data)
        raise AssertionError(f"the provider's pages did not end: {self.pages}")
