"""One request sent with an environment's variables and credentials. No Qt.

The window (`Workbench.send`) and `explorer run` both send through here, so a saved
request run in CI goes out exactly as it does from a tab:

    inp = fill_variables(inp, creds.variables(), f"the environment '{creds.env.name}'")
    prepared = build_request(inp)                       # RequestError: cannot be sent
    result, prepared, note = await exchange(creds, inp, prepared, op, send)

`fill_variables` fills `{{name}}` (an unknown name refuses the send: it would go out as
`{{name}}`). `exchange` adds the credentials the operation's security requirement asks
for (a login slot logs in by itself) and the cookie jar's cookies, keeps the cookies the
response sets, after a 401 lets a login slot log in again once and sends once more, and
counts the request on the slots it used. `send` is the transport (a `Sender` with its
options); nothing here knows about tabs, tasks or output.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING

from explorer.errors import RequestError

if TYPE_CHECKING:
    from explorer.http.model import NetworkFailure, PreparedRequest, RequestInput, ResponseResult
    from explorer.spec.model import Operation
    from explorer.workbench.credentials import Credentials

__all__ = ["Send", "exchange", "fill_variables"]

Send = Callable[["PreparedRequest"], Awaitable["ResponseResult | NetworkFailure"]]
"""Send one prepared request (the transport options already chosen)."""


def fill_variables(inp: RequestInput, variables: Mapping[str, str], where: str) -> RequestInput:
    """`inp` with its `{{variables}}` filled in. Raises RequestError naming the unknown
    ones and `where` they should be defined ("the environment 'development'")."""
    from explorer.workbench.variables import substitute

    filled, unknown = substitute(inp, variables)
    if unknown:
        names = ", ".join("{{" + n + "}}" for n in sorted(unknown))
        raise RequestError(
            f"Unknown variable {names}: define it in {where} or take it out of the request."
        )
    return filled


async def exchange(
    creds: Credentials | None,
    inp: RequestInput,
    prepared: PreparedRequest,
    op: Operation | None,
    send: Send,
) -> tuple[ResponseResult | NetworkFailure, PreparedRequest, str]:
    """Send with the environment's credentials: (result, what was sent, a note for the
    user, "" when there is nothing to say). Raises AuthError when a login before the
    request fails."""
    if creds is None:
        return await send(prepared), prepared, ""
    from explorer.errors import AuthError
    from explorer.http.build import build_request
    from explorer.http.model import ResponseResult

    await creds.load_jar()
    # A credential typed for this request alone replaces the environment's.
    sent = await creds.inputs_for(None if inp.auth is not None else op, inp.base_url, send)
    jar = creds.cookies_for(prepared.url, creds.last_used)
    full = dataclasses.replace(inp, credentials=sent, cookies=jar)
    prepared = build_request(full)
    result = await send(prepared)
    note = ""
    renew = None
    if isinstance(result, ResponseResult):
        if creds.remember_cookies(result):
            await creds.save_jar()
        if result.status == 401:
            renew = creds.can_renew(op, sent)
    if renew is not None:
        try:
            await creds.login(renew, inp.base_url, send)
        except AuthError as exc:
            note = f"The server answered 401; logging in again failed: {exc}"
        else:
            sent = await creds.inputs_for(op, inp.base_url, send)  # the new token
            jar = creds.cookies_for(prepared.url, creds.last_used)
            full = dataclasses.replace(full, credentials=sent, cookies=jar)
            prepared = build_request(full)
            result = await send(prepared)
            note = "The token was refused (401): logged in again and sent once more."
            if isinstance(result, ResponseResult) and creds.remember_cookies(result):
                await creds.save_jar()
    ok = isinstance(result, ResponseResult) and result.status < 400
    creds.record_use(ok)
    return result, prepared, note
