#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian/Ubuntu machine, then runs the whole suite
# headless inside its own D-Bus session with a real Secret Service (gnome-keyring).
# Usage: bash .ci/test.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."

# Peers the tests run against (language runtimes, npm packages, ...): each .ci/peers/*.sh
# adds the Debian packages it needs to PEER_DEBS and defines a `peer_<name>` function
# that installs the rest (once, cached under .cache/peers), run after the packages below.
PEER_DEBS=()
PEERS=()
for peer in .ci/peers/*.sh; do
  [ -e "$peer" ] || continue
  # shellcheck source=/dev/null
  source "$peer"
done

# System packages: Qt's runtime libraries, fonts, a real keyring, curl (snippet tests).
need=()
for pkg in libegl1 libgl1 libxkbcommon0 libfontconfig1 fonts-dejavu-core libglib2.0-0 \
           libdbus-1-3 dbus gnome-keyring curl "${PEER_DEBS[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "installing system packages: ${need[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "missing system packages (install them by hand): ${need[*]}" >&2
  fi
fi

# Python packages, in a virtual environment of the project's own.
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[test]"

# Each peer's own installation (npm packages and the like), cached under .cache/peers.
mkdir -p .cache/peers
for install in "${PEERS[@]}"; do
  "$install"
done

# Static checks first: they are fast and say exactly what is wrong.
.venv/bin/ruff check explorer tests
.venv/bin/mypy

# The suite, in a private D-Bus session with an unlocked gnome-keyring (the real Secret
# Service backend of `keyring`); QT_QPA_PLATFORM=offscreen is set by tests/conftest.py.
export EXPLORER_TEST_KEYRING=1
# The keyring lives in a folder of its own: a login keyring the machine's user already has
# (with another password) would otherwise ask to be unlocked, with no one to answer.
exec dbus-run-session -- bash -c '
  export XDG_DATA_HOME="$(mktemp -d)"
  eval "$(printf "explorer-test\n" | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
  export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
  .venv/bin/python .ci/wait_for_keyring.py
  exec .venv/bin/python -m pytest -n 2 "$@"
' bash "$@"
