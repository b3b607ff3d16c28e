"""From what the user filled in (`RequestInput`) to what goes on the wire (`PreparedRequest`).

Parameters are serialised the way OpenAPI describes (`style` and `explode`), checked
against the corrected "Style Examples" table of OpenAPI 3.0.4 / 3.1.1 (RFC 6570 for the
path styles; `|`, `[` and `]` percent-encoded as RFC 3986 asks):

    location  default style  styles understood
    path      simple         simple, label, matrix
    query     form           form, spaceDelimited, pipeDelimited, deepObject
    header    simple         simple
    cookie    form           form

A value of None leaves the parameter out; an empty string is sent as empty ("color=",
";color", "."). Booleans are written `true`/`false`. A parameter whose location is not
one of the four is ignored, and so are header parameters named Accept, Content-Type or
Authorization (as OpenAPI says). Header values lose surrounding spaces and tabs, which
HTTP does not allow.

Nothing here touches the network; the result is plain data that `send()` and `to_curl()`
both read, so the snippet and the request cannot drift apart.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from explorer.errors import RequestError
from explorer.http.model import AuthInput, BodyInput, ParamValue, PreparedRequest, RequestInput
from explorer.http.snippets import env_name

__all__ = ["basic_env_names", "build_request"]

_TEMPLATE = re.compile(r"\{([^{}]*)\}")
# RFC 7230 token characters: what a header name may contain.
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
# Characters kept as they are in a literal part of a path template (RFC 3986 pchar, `/`, `%`).
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
# Cookie values: cookie-octet of RFC 6265 minus `%` (which starts an escape).
_IGNORED_HEADER_PARAMS = {"accept", "content-type", "authorization"}
_COOKIE_SAFE = "!#$&'()*+-./:<=>?@[]^_`{|}~"


def build_request(inp: RequestInput, *, lenient: bool = False) -> PreparedRequest:
    """Build the exact request for `inp`.

    Raises `RequestError` (one sentence a person can act on) when the base URL is empty
    or not http(s), a path parameter of the template has no value, or a header name or
    value cannot be sent (a line break in a value, a space in a name).

    `lenient` is for showing a request that is still being filled in (the address bar,
    the code panel while typing): it never raises; an unfilled path parameter stays
    `{name}`, a base URL that cannot be used is kept as typed, and headers that cannot be
    sent are left out. Everything else is exactly what a strict build (and so the wire)
    gets, so the preview cannot drift from what is sent.
    """
    method = inp.method.strip().upper()
    if not method or not _TOKEN.match(method):
        if not lenient:
            raise RequestError(f"{inp.method!r} is not an HTTP method.")
        method = method or "GET"
    try:
        base, base_query = _check_base_url(inp.base_url)
    except RequestError:
        if not lenient:
            raise
        base, _, base_query = inp.base_url.strip().split("#", 1)[0].partition("?")
        base = base.rstrip("/")

    params = [p for p in inp.params if p.value is not None]
    by_location: dict[str, list[ParamValue]] = {"path": [], "query": [], "header": [], "cookie": []}
    for p in params:
        loc = p.location.strip().lower()
        if loc in by_location:
            by_location[loc].append(p)

    path, template_query = _expand_path(inp.path, by_location["path"], lenient)
    query: list[str] = [q for q in (base_query, template_query) if q]
    for p in by_location["query"]:
        query.extend(_query_pairs(p))

    headers: list[tuple[str, str]] = []
    for p in by_location["header"]:
        # OpenAPI: header parameters named Accept, Content-Type or Authorization are
        # ignored (media types and security schemes say those).
        if p.name.strip().lower() not in _IGNORED_HEADER_PARAMS:
            headers.append((p.name.strip(), _header_value(p).strip(" \t")))

    cookies: list[str] = []
    for p in by_location["cookie"]:
        cookies.extend(_cookie_pairs(p))

    creds = _Credentials()
    for auth in (*inp.credentials, *((inp.auth,) if inp.auth is not None else ())):
        try:
            _apply_auth(auth, headers, query, cookies, creds)
        except RequestError:
            if not lenient:
                raise
    typed_cookies = {c.split("=", 1)[0] for c in cookies}
    for name, value in inp.cookies:
        if _cookie_enc(name) in typed_cookies:
            continue  # a cookie parameter or credential of the request wins over the jar
        encoded = _cookie_enc(value)
        cookies.append(f"{_cookie_enc(name)}={encoded}")
        creds.cookies.append(name)
        if value:
            creds.secrets.append((encoded, "COOKIE_" + _env_word(name)))

    if cookies:
        headers.append(("Cookie", "; ".join(cookies)))

    content: bytes | None = None
    form: tuple[tuple[str, str], ...] = ()
    files: tuple[tuple[str, str, str], ...] = ()
    if inp.body is not None:
        content, form, files, content_type = _body(inp.body)
        if content_type:
            headers.append(("Content-Type", content_type))

    user = [(name.strip(), value.strip(" \t")) for name, value in inp.headers if name.strip()]
    typed = {name.lower() for name, _ in user}
    headers = [(n, v) for n, v in headers if n.lower() not in typed] + user
    _mark_secret_headers(user, inp.secret_headers, creds)
    if lenient:
        headers = [(n, v) for n, v in headers if _header_error(n, v) is None]
    for name, value in headers:
        _check_header(name, value)

    url = base + path
    if query:
        url += "?" + "&".join(query)
    sent = {name.lower() for name, _ in headers}
    return PreparedRequest(
        method=method,
        url=url,
        headers=tuple(headers),
        content=content,
        form=form,
        files=files,
        secrets=tuple(creds.secrets),
        credential_headers=_unique(n for n in creds.headers if n.lower() in sent),
        credential_query=_unique(creds.query),
        credential_cookies=_unique(creds.cookies),
        basic_auth=creds.basic_auth,
        digest_auth=creds.digest_auth,
    )


# --- URL -------------------------------------------------------------------------------


def _check_base_url(raw: str) -> tuple[str, str]:
    """The base URL without trailing slash, and any query string it carries."""
    base = raw.strip()
    if not base:
        raise RequestError("No server URL: choose a server or type a base URL (http://...).")
    try:
        parts = urlsplit(base)
        port = parts.port
    except ValueError as exc:
        raise RequestError(f"The server URL {base!r} is not a valid URL ({exc}).") from None
    if parts.scheme.lower() not in ("http", "https") or "://" not in base:
        scheme = f", not {parts.scheme}://" if "://" in base and parts.scheme else ""
        raise RequestError(f"The server URL {base!r} must start with http:// or https://{scheme}.")
    if not parts.hostname:
        raise RequestError(f"The server URL {base!r} has no host name.")
    if port == 0:
        raise RequestError(f"The server URL {base!r} has port 0, which cannot be reached.")
    if "{" in base or "}" in base:
        raise RequestError(
            f"The server URL {base!r} still has a {{variable}}: fill in the server variables."
        )
    base = base.split("#", 1)[0]
    base, _, query = base.partition("?")
    return base.rstrip("/"), query


def _expand_path(template: str, params: list[ParamValue], lenient: bool = False) -> tuple[str, str]:
    """The encoded path (leading `/`) and any query string written in the template;
    `lenient` keeps an unfilled parameter as `{name}` instead of raising."""
    template = template.strip()
    template_query = ""
    if "?" in template:
        template, template_query = template.split("?", 1)
    if template and not template.startswith("/"):
        template = "/" + template
    values = {p.name: p for p in params}
    out: list[str] = []
    pos = 0
    for match in _TEMPLATE.finditer(template):
        out.append(quote(template[pos : match.start()], safe=_PATH_SAFE))
        name = match.group(1)
        param = values.get(name)
        expanded = _path_value(param) if param is not None else ""
        if expanded == "" and lenient:
            out.append(match.group(0))
            pos = match.end()
            continue
        if param is None:
            raise RequestError(f"The path parameter '{name}' is required: fill it in.")
        if expanded == "":
            raise RequestError(f"The path parameter '{name}' is empty: fill it in.")
        before = template[match.start() - 1 : match.start()]
        after = template[match.end() : match.end() + 1]
        if before in ("", "/") and after in ("", "/") and expanded in (".", ".."):
            # A dot segment would be removed by every URL normaliser, changing the
            # endpoint: send it escaped.
            expanded = expanded.replace(".", "%2E")
        out.append(expanded)
        pos = match.end()
    out.append(quote(template[pos:], safe=_PATH_SAFE))
    return "".join(out), quote(template_query, safe=_PATH_SAFE + "?")


def _enc(value: str) -> str:
    """Percent-encode everything but RFC 3986 unreserved characters."""
    return quote(value, safe="")


def _path_value(p: ParamValue) -> str:
    style = (p.style or "simple").strip()
    explode = bool(p.explode)
    name = _enc(p.name)
    value = p.value
    if style == "label":
        if isinstance(value, dict):
            pairs = _items(value)
            if explode:
                return "".join(f".{_enc(k)}={_enc(v)}" for k, v in pairs)
            return "." + ",".join(f"{_enc(k)},{_enc(v)}" for k, v in pairs)
        if isinstance(value, list | tuple):
            items = _array(value)
            return "." + (".".join if explode else ",".join)(_enc(v) for v in items)
        return "." + _enc(_scalar(value))
    if style == "matrix":
        if isinstance(value, dict):
            pairs = _items(value)
            if explode:
                return "".join(f";{_enc(k)}={_enc(v)}" for k, v in pairs)
            return f";{name}=" + ",".join(f"{_enc(k)},{_enc(v)}" for k, v in pairs)
        if isinstance(value, list | tuple):
            items = _array(value)
            if explode:
                return "".join(f";{name}={_enc(v)}" for v in items)
            return f";{name}=" + ",".join(_enc(v) for v in items)
        text = _scalar(value)
        return f";{name}" + (f"={_enc(text)}" if text else "")
    # simple (also the fallback for styles that make no sense in a path)
    if isinstance(value, dict):
        pairs = _items(value)
        if explode:
            return ",".join(f"{_enc(k)}={_enc(v)}" for k, v in pairs)
        return ",".join(f"{_enc(k)},{_enc(v)}" for k, v in pairs)
    if isinstance(value, list | tuple):
        return ",".join(_enc(v) for v in _array(value))
    return _enc(_scalar(value))


def _query_pairs(p: ParamValue) -> list[str]:
    """`name=value` strings, already encoded, in order."""
    style = (p.style or "form").strip()
    explode = p.explode if p.explode is not None else style in ("form", "deepObject")
    name = _enc(p.name)
    value = p.value
    if style == "deepObject" and isinstance(value, dict):
        return _deep_object(name, value)
    if style in ("spaceDelimited", "pipeDelimited") and not explode:
        sep = "%20" if style == "spaceDelimited" else "%7C"
        if isinstance(value, dict):
            return [f"{name}=" + sep.join(f"{_enc(k)}{sep}{_enc(v)}" for k, v in _items(value))]
        if isinstance(value, list | tuple):
            return [f"{name}=" + sep.join(_enc(v) for v in _array(value))]
    # form, and the fallback for every other combination
    return _form_pairs(name, value, explode, _enc)


def _form_pairs(name: str, value: Any, explode: bool, enc: Callable[[str], str]) -> list[str]:
    """OpenAPI's `form` style (queries and cookies): `name` already encoded, values by `enc`."""
    if isinstance(value, dict):
        pairs = _items(value)
        if explode:
            return [f"{enc(k)}={enc(v)}" for k, v in pairs]
        return [f"{name}=" + ",".join(f"{enc(k)},{enc(v)}" for k, v in pairs)]
    if isinstance(value, list | tuple):
        items = _array(value)
        if explode:
            return [f"{name}={enc(v)}" for v in items]
        return [f"{name}=" + ",".join(enc(v) for v in items)]
    return [f"{name}={enc(_scalar(value))}"]


def _deep_object(prefix: str, value: dict[Any, Any]) -> list[str]:
    out: list[str] = []
    for key, item in value.items():
        if item is None:
            continue
        name = f"{prefix}%5B{_enc(str(key))}%5D"
        if isinstance(item, dict):
            out.extend(_deep_object(name, item))
        elif isinstance(item, list | tuple):
            out.extend(f"{name}={_enc(v)}" for v in _array(item))
        else:
            out.append(f"{name}={_enc(_scalar(item))}")
    return out


def _header_value(p: ParamValue) -> str:
    value = p.value
    if isinstance(value, dict):
        pairs = _items(value)
        if p.explode:
            return ",".join(f"{k}={v}" for k, v in pairs)
        return ",".join(f"{k},{v}" for k, v in pairs)
    if isinstance(value, list | tuple):
        return ",".join(_array(value))
    return _scalar(value)


def _cookie_enc(value: str) -> str:
    return quote(value, safe=_COOKIE_SAFE)


def _cookie_pairs(p: ParamValue) -> list[str]:
    explode = p.explode if p.explode is not None else True
    return _form_pairs(_cookie_enc(p.name), p.value, explode, _cookie_enc)


def _scalar(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, dict | list | tuple):
        # A nested structure has no OpenAPI serialisation: send it as compact JSON.
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return str(value)


def _array(values: Iterable[Any]) -> list[str]:
    return [_scalar(v) for v in values if v is not None]


def _items(value: dict[Any, Any]) -> list[tuple[str, str]]:
    return [(str(k), _scalar(v)) for k, v in value.items() if v is not None]


# --- headers, auth, body ---------------------------------------------------------------


def _header_error(name: str, value: str) -> str | None:
    """Why a header cannot be sent, or None."""
    if not _TOKEN.match(name):
        return f"The header name {name!r} cannot be sent: use letters, digits and - only."
    if any(c in value for c in "\r\n\x00"):
        return f"The value of the header '{name}' has a line break: remove it."
    return None


def _check_header(name: str, value: str) -> None:
    error = _header_error(name, value)
    if error is not None:
        raise RequestError(error)


@dataclass
class _Credentials:
    """What the credentials of a request put where, collected while it is built: the
    secrets (for snippets) and the names a redirect to another origin must drop."""

    secrets: list[tuple[str, str]] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    query: list[str] = field(default_factory=list)
    cookies: list[str] = field(default_factory=list)
    basic_auth: tuple[str, str] | None = None
    digest_auth: tuple[str, str] | None = None


def _env_word(name: str) -> str:
    """A cookie name as part of an environment variable name ("ecosire_auth" -> ECOSIRE_AUTH)."""
    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").upper() or "VALUE"


def _apply_auth(
    auth: AuthInput,
    headers: list[tuple[str, str]],
    query: list[str],
    cookies: list[str],
    creds: _Credentials,
) -> None:
    """Attach the credential and record where it went. An empty credential attaches nothing."""
    env = auth.env_name or "API_TOKEN"
    if auth.kind == "bearer":
        if auth.token:
            headers.append(("Authorization", f"Bearer {auth.token}"))
            creds.headers.append("Authorization")
            creds.secrets.append((auth.token, env))
    elif auth.kind == "basic":
        if auth.username or auth.password:
            raw = f"{auth.username}:{auth.password}".encode()
            encoded = base64.b64encode(raw).decode("ascii")
            headers.append(("Authorization", f"Basic {encoded}"))
            creds.headers.append("Authorization")
            user_env, password_env = basic_env_names(env)
            # The two halves, not the encoded pair: snippets write them as `-u`.
            for value, name in ((auth.password, password_env), (auth.username, user_env)):
                if value:
                    creds.secrets.append((value, name))
            creds.basic_auth = (user_env, password_env)
    elif auth.kind == "digest":
        if auth.username or auth.password:
            user_env, password_env = basic_env_names(env)
            for value, name in ((auth.password, password_env), (auth.username, user_env)):
                if value:
                    creds.secrets.append((value, name))
            creds.digest_auth = (auth.username, auth.password)
    elif auth.kind == "apikey":
        if not auth.token:
            return
        name = auth.name.strip()
        if not name:
            raise RequestError(
                "The API key has no parameter name: say which header, query "
                "parameter or cookie carries it."
            )
        location = auth.location.strip().lower()
        if location == "query":
            encoded = _enc(auth.token)
            query.append(f"{_enc(name)}={encoded}")
            creds.query.append(name)
        elif location == "cookie":
            encoded = _cookie_enc(auth.token)
            cookies.append(f"{_cookie_enc(name)}={encoded}")
            creds.cookies.append(name)
        else:
            encoded = auth.token
            headers.append((name, auth.token))
            creds.headers.append(name)
        creds.secrets.append((auth.token, env))
        if encoded != auth.token:
            creds.secrets.append((encoded, env))
    else:
        raise RequestError(f"Unknown kind of credential {auth.kind!r}.")


_ENV_SUFFIXES = ("_PASSWORD", "_TOKEN", "_API_KEY", "_KEY", "_SECRET")


def basic_env_names(env: str) -> tuple[str, str]:
    """The (username, password) variables for basic credentials whose `AuthInput.env_name`
    is `env`: its prefix with _USER and _PASSWORD (ECOSIRE_PASSWORD -> ECOSIRE_USER,
    ECOSIRE_PASSWORD; API_TOKEN -> API_USER, API_PASSWORD). Never the bare USER, which
    every shell already sets to the login name."""
    cleaned = env_name(env).upper()
    prefix = cleaned
    for suffix in _ENV_SUFFIXES:
        if cleaned.endswith(suffix):
            prefix = cleaned[: -len(suffix)]
            break
    if prefix in ("", "_", "PASSWORD", "TOKEN", "KEY", "SECRET", "USER"):
        prefix = "API"
    return f"{prefix}_USER", f"{prefix}_PASSWORD"


def _mark_secret_headers(
    typed: list[tuple[str, str]], marked: tuple[str, ...], creds: _Credentials
) -> None:
    """Record the typed headers the user marked secret: credential headers whose values
    snippets write as `${HEADER_NAME}`."""
    names = {name.strip().lower() for name in marked if name.strip()}
    for name, value in typed:
        if name.lower() in names:
            creds.headers.append(name)
            if value:
                creds.secrets.append((value, env_name(name).upper()))


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    """`names` without repeats (case-insensitively), in order."""
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        if name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return tuple(out)


def _body(
    body: BodyInput,
) -> tuple[bytes | None, tuple[tuple[str, str], ...], tuple[tuple[str, str, str], ...], str]:
    """(content, form, files, content type to set)."""
    media_type = body.media_type.strip()
    essence = media_type.split(";", 1)[0].strip().lower()
    if essence == "multipart/form-data":
        form = tuple((f.name, f.value) for f in body.fields if not f.file_path)
        files = tuple(
            (f.name, f.file_path, f.content_type.strip()) for f in body.fields if f.file_path
        )
        return None, form, files, ""  # httpx writes the Content-Type with its boundary
    if essence == "application/x-www-form-urlencoded":
        pairs = [(f.name, f.value) for f in body.fields]
        if not pairs and not body.text:
            return None, (), (), ""
        encoded = urlencode(pairs) if pairs else body.text
        return encoded.encode("utf-8"), (), (), media_type
    if not body.text:
        return None, (), (), ""
    # JSON and everything else: the text exactly as typed.
    content_type = media_type if media_type and "*" not in essence else ""
    return body.text.encode("utf-8"), (), (), content_type
