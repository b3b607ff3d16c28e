"""The errors explorer raises, in one tree.

    ExplorerError                 base of everything below; never raised itself
    ├── SpecError                 an OpenAPI document could not be read or used
    │   ├── SourceError           the file or URL could not be read (missing, unreachable, binary)
    │   ├── ParseError            the bytes are not valid JSON or YAML (line and column)
    │   ├── NotOpenAPIError       the document parsed but is not an OpenAPI/Swagger document
    │   ├── StructureError        a part has the wrong shape (an object expected, found a list)
    │   └── RefError              a `$ref` that cannot be followed (no target, remote)
    ├── RequestError              a request could not be built or sent (see explorer.http)
    ├── AuthError                 credentials are missing or could not be obtained
    │   └── OAuthError            an OAuth2/OpenID provider refused or failed (`.error` says which)
    └── StoreError                something on disk (collections, settings, keyring) failed

Every error carries a `Location` when one is known: the file (or URL), a JSON pointer into
it, and a line and column. `str(error)` is one line a person can read: "file:line:col:
message (at /json/pointer)".
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AuthError",
    "ExplorerError",
    "Location",
    "NotOpenAPIError",
    "OAuthError",
    "ParseError",
    "RefError",
    "RequestError",
    "SourceError",
    "SpecError",
    "StoreError",
    "StructureError",
]


@dataclass(frozen=True)
class Location:
    """Where something is: a file or URL, a JSON pointer into it, a 1-based line and column."""

    source: str = ""
    pointer: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.source or "<document>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.pointer:
            where += f" (at {self.pointer or '/'})"
        return where


class ExplorerError(Exception):
    """Base of every error raised on purpose by explorer."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        return f"{self.location}: {self.message}"


class SpecError(ExplorerError):
    """An OpenAPI document could not be read or used."""


class SourceError(SpecError):
    """The file or URL could not be read."""


class ParseError(SpecError):
    """The bytes are not valid JSON or YAML."""


class NotOpenAPIError(SpecError):
    """The document is valid JSON/YAML but not an OpenAPI or Swagger document."""


class StructureError(SpecError):
    """A part of the document has the wrong shape."""


class RefError(SpecError):
    """A `$ref` that cannot be followed."""


class RequestError(ExplorerError):
    """A request could not be built or sent."""


class AuthError(ExplorerError):
    """Credentials are missing or could not be obtained."""


class OAuthError(AuthError):
    """An OAuth 2.0 / OpenID Connect sign-in or renewal failed (see explorer.http.oauth).

    `error` is the OAuth error code the provider gave ("invalid_client", "invalid_grant",
    "access_denied", "expired_token", ...) or one of ours ("unreachable", "not_oauth",
    "state_mismatch", "timeout", "browser", "expired", "insecure", "unsupported").
    `sign_in_again` is true when only a new interactive sign-in can help (a refresh token
    that was revoked or expired, an access token that expired with none to renew it)."""

    def __init__(
        self,
        message: str,
        *,
        error: str = "",
        sign_in_again: bool = False,
        location: Location | None = None,
    ) -> None:
        super().__init__(message, location)
        self.error = error
        self.sign_in_again = sign_in_again


class StoreError(ExplorerError):
    """Something kept on disk or in the keyring could not be read or written."""
