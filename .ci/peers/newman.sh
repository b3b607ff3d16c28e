# Postman's own collection runner, newman 6.2 (npm), into .cache/peers/newman: it runs the
# Postman v2.1 collection `explorer export --format postman` writes, against the demo
# served by `explorer mock` (tests/collection/test_collection_export_newman.py).
# Node 20 and npm are already on the machine (not Debian's packages: see oidc.sh).
NEWMAN_VERSION="6.2.2"

peer_newman() {
  local dir=.cache/peers/newman
  if [ -f "$dir/.installed-$NEWMAN_VERSION" ]; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing: the newman tests will skip" >&2
    return 0
  fi
  mkdir -p "$dir"
  echo "installing newman $NEWMAN_VERSION into $dir"
  (
    cd "$dir"
    [ -f package.json ] || printf '{"name":"newman-peer","private":true}\n' >package.json
    npm install --no-audit --no-fund --loglevel=error "newman@$NEWMAN_VERSION" >/dev/null
  )
  touch "$dir/.installed-$NEWMAN_VERSION"
}
PEERS+=(peer_newman)
