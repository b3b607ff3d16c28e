# Webhook signatures: the copied curl command signs in the shell with openssl, and the
# real curl runs it (tests/webhooks, tests/e2e/test_webhooks_window.py). Stripe's own
# library (`stripe`, PyPI) comes with the test extra.
PEER_DEBS+=(openssl curl)
