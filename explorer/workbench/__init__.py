"""The request workbench: the requests being worked on, and who owns their tasks. No Qt.

    services = Services(settings=Settings())
    bench = Workbench(services)                  # sessions (tabs), one send task each
    session = bench.open(RequestSession(op_key="GET /contacts"))
    bench.send(session, request_input, options)

The window shows sessions and forwards intents; it never runs a request itself.
"""

from explorer.workbench.controller import CLOSED_LIMIT, Placement, Workbench
from explorer.workbench.services import Services
from explorer.workbench.session import Phase, RequestSession
from explorer.workbench.tasks import TaskSlot, current_loop
from explorer.workbench.workspace import Workspace

__all__ = [
    "CLOSED_LIMIT",
    "Phase",
    "Placement",
    "RequestSession",
    "Services",
    "TaskSlot",
    "Workbench",
    "Workspace",
    "current_loop",
]
