"""Code that sends a `PreparedRequest` outside the explorer, in the languages people use.

    >>> from explorer.http.snippets import generate, SnippetOptions
    >>> generate("python-httpx", prepared)          # secrets read from the environment
    >>> generate("curl", prepared, SnippetOptions(secrets="inline", long_flags=True))
    >>> generate("ts-sdk", prepared, context=SnippetContext(api, operation))

Every snippet is made from the one `PreparedRequest` the explorer sends (method, final
URL with its encoded query, headers, body of any kind), so a snippet and the wire cannot
drift apart; the tests run each one and compare what arrives with what `Sender` sends.
Secrets recorded in `PreparedRequest.secrets` are read from environment variables by
default (`SnippetOptions(secrets="inline")` writes them out).

Each language is a `Snippet` in `SNIPPETS` (its name on the command line and in the
window, a title, the lexer that colours it); its generator lives in a module of this
package per family (_shell, _python, _javascript, _tssdk, _go, _java, _php, _ruby,
_csharp, _powershell, _rust) and is imported when first used: listing the languages
costs nothing at start-up.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from explorer.http.snippets._common import SnippetContext, SnippetOptions, env_name

if TYPE_CHECKING:
    from explorer.http.model import PreparedRequest
    from explorer.spec.model import Spec

__all__ = [
    "LANGUAGES",
    "SNIPPETS",
    "Snippet",
    "SnippetContext",
    "SnippetOptions",
    "by_name",
    "env_name",
    "env_name_for",
    "env_names",
    "generate",
    "to_curl",
]


@dataclass(frozen=True)
class Snippet:
    """One snippet language: `generate(prepared)` gives the text, `lexer` colours it
    (a kind for `explorer.http.content.lexer_for`)."""

    name: str
    title: str
    lexer: str
    module: str
    function: str
    proof: str = "run"
    """How the tests prove it: "run" (its runtime sends it to a recorder) or "golden"
    (compared with a stored text: no runtime installs here)."""

    def generate(
        self,
        prepared: PreparedRequest,
        options: SnippetOptions | None = None,
        context: SnippetContext | None = None,
    ) -> str:
        """The snippet's text for `prepared`."""
        module = importlib.import_module(f"explorer.http.snippets.{self.module}")
        function: Any = getattr(module, self.function)
        text: str = function(prepared, options or SnippetOptions(), context or SnippetContext())
        return text


SNIPPETS: tuple[Snippet, ...] = (
    Snippet("curl", "curl", "bash", "_shell", "curl_snippet"),
    Snippet("curl-windows", "curl (Windows cmd)", "batch", "_shell", "to_curl_windows", "golden"),
    Snippet("httpie", "HTTPie", "bash", "_shell", "to_httpie"),
    Snippet("wget", "wget", "bash", "_shell", "to_wget"),
    Snippet("python-httpx", "Python (httpx)", "python", "_python", "to_httpx"),
    Snippet("python-httpx-async", "Python (httpx, async)", "python", "_python", "to_httpx_async"),
    Snippet("python-requests", "Python (requests)", "python", "_python", "to_requests"),
    Snippet("js-fetch", "JavaScript (fetch)", "javascript", "_javascript", "to_fetch"),
    Snippet("node-axios", "Node.js (axios)", "javascript", "_javascript", "to_axios"),
    Snippet("ts-sdk", "TypeScript (@ecosire/sdk)", "typescript", "_tssdk", "to_ts_sdk"),
    Snippet("go", "Go (net/http)", "go", "_go", "to_go"),
    Snippet("java", "Java (HttpClient)", "java", "_java", "to_java"),
    Snippet("php", "PHP (curl)", "php", "_php", "to_php"),
    Snippet("ruby", "Ruby (Net::HTTP)", "ruby", "_ruby", "to_ruby"),
    Snippet("csharp", "C# (HttpClient)", "csharp", "_csharp", "to_csharp", "golden"),
    Snippet("powershell", "PowerShell", "powershell", "_powershell", "to_powershell", "golden"),
    Snippet("rust", "Rust (reqwest)", "rust", "_rust", "to_rust", "golden"),
)

LANGUAGES: tuple[str, ...] = tuple(s.name for s in SNIPPETS)
"""The language names, as the command line and the settings spell them."""

_BY_NAME = {s.name: s for s in SNIPPETS}


def by_name(name: str) -> Snippet:
    """The language called `name` (KeyError with the known names when there is none)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no snippet language {name!r}; known: {', '.join(LANGUAGES)}") from None


def generate(
    language: str,
    prepared: PreparedRequest,
    options: SnippetOptions | None = None,
    context: SnippetContext | None = None,
) -> str:
    """The snippet in `language` (a name of `LANGUAGES`) that sends `prepared`."""
    return by_name(language).generate(prepared, options, context)


def to_curl(
    prepared: PreparedRequest, *, secrets_as_env: bool = True, long_flags: bool = False
) -> str:
    """The curl command that sends `prepared` (see `_shell.to_curl`)."""
    from explorer.http.snippets._shell import to_curl as curl

    return curl(prepared, secrets_as_env=secrets_as_env, long_flags=long_flags)


def env_name_for(api: Spec | None, kind: str, scheme_name: str = "") -> str:
    """The environment variable snippets use for a secret: the API's name, then API_KEY
    for API keys (an apiKey scheme, or a scheme named like one: "apiKey", "ApiKeyAuth"),
    PASSWORD for basic auth, TOKEN otherwise: ECOSIRE_API_KEY, ECOSIRE_TOKEN,
    GITHUB_TOKEN; API_TOKEN / API_KEY when the API has no usable name."""
    base = {"bearer": "TOKEN", "basic": "PASSWORD", "apikey": "API_KEY"}.get(kind, "TOKEN")
    if kind == "bearer" and "key" in scheme_name.lower():
        base = "API_KEY"
    prefix = ""
    if api is not None and api.title:
        word = re.sub(r"[^A-Za-z0-9]", "", api.title.split()[0]).upper()
        if word and word[0].isalpha() and word not in ("THE", "API", "OPENAPI", "SWAGGER"):
            prefix = word
    if not prefix:
        return "API_KEY" if kind == "apikey" else f"API_{base}"
    return f"{prefix}_{base}"


def env_names(text: str, prepared: PreparedRequest) -> list[str]:
    """The environment variables the snippet reads in place of the request's secrets."""
    names = {env_name(env) for value, env in prepared.secrets if value}
    return sorted(
        n for n in names if re.search(rf"(?<![A-Za-z0-9_]){re.escape(n)}(?![A-Za-z0-9_])", text)
    )
