# Runtimes the snippet tests run the generated code in (issue 10): curl is already there;
# HTTPie, wget, Go, PHP (with curl), Ruby and Java from Debian; axios (node-axios snippets),
# httpsnippet 3 (the peer whose snippets are compared with ours) and typescript (tsc
# type-checks the ts-sdk snippet) from npm, into .cache/peers/snippets.
# Node 20 and npm are already on the machine (not Debian's packages).
PEER_DEBS+=(httpie wget golang-go php-cli php-curl ruby default-jdk-headless)

peer_snippets() {
  local dir=.cache/peers/snippets
  if [ -f "$dir/.installed-1" ]; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing: the node-axios, ts-sdk and httpsnippet tests will skip" >&2
    return 0
  fi
  mkdir -p "$dir"
  (
    cd "$dir"
    [ -f package.json ] || printf '{"name":"snippet-peers","private":true}\n' >package.json
    npm install --no-audit --no-fund --loglevel=error axios@1 httpsnippet@3 typescript@7 >/dev/null
  )
  touch "$dir/.installed-1"
}
PEERS+=(peer_snippets)
