# A real OpenID provider for the OAuth2 tests (tests/http/test_oauth.py): the npm package
# oidc-provider 9.x on Node (20 is on the machine), installed into .cache/peers/oidc.
# Sourced by .ci/test.sh (see README.md beside this file).
# nodejs only: the machine's Node 20 (NodeSource) brings its own npm, which Debian's `npm`
# package would conflict with.
PEER_DEBS+=(nodejs)
PEERS+=(peer_oidc)

OIDC_PROVIDER_VERSION="9.13.3"

peer_oidc() {
  local dir=.cache/peers/oidc
  if [ -f "$dir/node_modules/oidc-provider/package.json" ] &&
     grep -q "\"version\": \"$OIDC_PROVIDER_VERSION\"" "$dir/node_modules/oidc-provider/package.json"; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "oidc peer: npm is missing (Node 20 with npm is needed); the OAuth2 tests will skip" >&2
    return 0
  fi
  mkdir -p "$dir"
  echo "installing oidc-provider $OIDC_PROVIDER_VERSION into $dir"
  npm install --prefix "$dir" --no-audit --no-fund --silent \
    "oidc-provider@$OIDC_PROVIDER_VERSION" >/dev/null
}
