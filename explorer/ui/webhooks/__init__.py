"""The webhook workbench page: events, compose and send, verify, receive."""
