"""Wait until the test session's keyring is unlocked (run by .ci/test.sh right after it
starts gnome-keyring-daemon): the daemon unlocks its login keyring a moment after it
returns, and a test that reaches the keyring before that finds it locked."""

from __future__ import annotations

import sys
import time


def main(timeout: float = 15.0) -> int:
    import secretstorage

    deadline = time.monotonic() + timeout
    last = "not tried"
    while time.monotonic() < deadline:
        try:
            bus = secretstorage.dbus_init()
            try:
                collection = secretstorage.get_default_collection(bus)
                if not collection.is_locked():
                    return 0
                last = "the default collection is locked"
            finally:
                bus.close()
        except Exception as exc:  # the daemon is still starting
            last = repr(exc)
        time.sleep(0.1)
    print(f"the test keyring is not usable after {timeout:.0f} s: {last}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
