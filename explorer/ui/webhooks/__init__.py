"""The webhook workbench page: events, compose and send, verify, receive (a tab of the
main window; the core is explorer.webhooks)."""

from explorer.ui.webhooks.page import WebhookPage

__all__ = ["WebhookPage"]
