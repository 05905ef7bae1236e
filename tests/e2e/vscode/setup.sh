#!/usr/bin/env bash
# Offline-capable install of the VS Code e2e harness: code-server 4.100.3 (the real VS Code 1.100.3 workbench,
# from npm), Debian chromium (headless) and playwright-core (driver only).  Idempotent and cached under
# $GUARDLINE_E2E_HOME (default ${XDG_CACHE_HOME:-~/.cache}/guardline-e2e), which survives between runs on one
# machine; each finished step leaves a <step>.done marker.  Needs root for apt-get when Debian packages are missing.
# Only the Debian and npm registries are used.  Adapted from the shared editor-probe recipe.
set -euo pipefail
E2E=${GUARDLINE_E2E_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/guardline-e2e}
CSV=4.100.3              # newest code-server whose engines.node is 20 (4.103+ want node 22)
PLAYWRIGHT=1.65.1
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$E2E/tmp"
log() { printf '[vscode-e2e setup %s] %s\n' "$(date +%T)" "$*" >&2; }
done_() { [ -f "$E2E/$1.done" ]; }
mark() { touch "$E2E/$1.done"; }

apt_install() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || { log "missing Debian packages ${missing[*]} and not root"; exit 3; }
  log "apt-get update; apt-get install ${missing[*]}"
  apt_retry update -qq
  apt_retry install -y -qq --no-install-recommends "${missing[@]}"
}
apt_retry() {   # other jobs on the machine may hold the dpkg/apt locks for a while: wait for them
  local i
  for i in $(seq 1 60); do
    apt-get -o DPkg::Lock::Timeout=60 "$@" > "$E2E/tmp/apt.log" 2>&1 && return 0
    grep -q 'Could not get lock' "$E2E/tmp/apt.log" || { cat "$E2E/tmp/apt.log" >&2; return 1; }
    sleep 5
  done
  cat "$E2E/tmp/apt.log" >&2; return 1
}

install_code_server() {
  done_ "code-server-$CSV" && return 0
  local D="$E2E/code-server" RGV TAG RGC
  mkdir -p "$D"; cd "$D"
  log "code-server $CSV: npm pack"
  rm -rf package "cs-$CSV" "cs-$CSV.partial"
  npm pack -q "code-server@$CSV" >/dev/null
  tar xzf "code-server-$CSV.tgz" && mv package "cs-$CSV.partial" && rm -f "code-server-$CSV.tgz"
  # @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable): seed its cache with Debian's rg.
  RGV=$(node -e "console.log(require('./cs-$CSV.partial/lib/vscode/npm-shrinkwrap.json').packages['node_modules/@vscode/ripgrep'].version)")
  (cd "$E2E/tmp" && npm pack -q "@vscode/ripgrep@$RGV" >/dev/null \
     && tar xzf "vscode-ripgrep-$RGV.tgz" -O package/lib/postinstall.js > rg-postinstall.js && rm -f "vscode-ripgrep-$RGV.tgz")
  TAG=$(sed -n "s/^const VERSION = '\(.*\)';/\1/p" "$E2E/tmp/rg-postinstall.js")
  RGC="$E2E/tmp/rgcache/vscode-ripgrep-cache-$RGV"; mkdir -p "$RGC"
  tar czf "$RGC/ripgrep-$TAG-x86_64-unknown-linux-musl.tar.gz" -C /usr/bin rg
  # postinstall.sh wants an npm user agent with node/v20 and unsafe-perm; node-pty's `npx node-gyp` needs yes=true
  # (a machine npmrc may say yes=false).  Native modules build from source against /usr/include/node.
  (
    export TMPDIR="$E2E/tmp/rgcache" npm_config_yes=true npm_config_unsafe_perm=true npm_config_nodedir=/usr npm_config_prefer_offline=true \
           npm_config_user_agent="npm/$(npm -v) node/$(node -v) linux x64 workspaces/false"
    cd "cs-$CSV.partial"
    log "code-server: top-level deps"
    npm install -q --prefer-offline --omit=dev --ignore-scripts --no-audit --no-fund > "$E2E/tmp/cs-npm.log" 2>&1 || { tail -30 "$E2E/tmp/cs-npm.log"; exit 1; }
    log "code-server: build argon2"
    npm rebuild -q argon2 >> "$E2E/tmp/cs-npm.log" 2>&1 || { tail -30 "$E2E/tmp/cs-npm.log"; exit 1; }
    log "code-server: postinstall (lib/vscode + built-in extensions deps, native builds; 1-3 min)"
    sh ./postinstall.sh > "$E2E/tmp/code-server-postinstall.log" 2>&1 || { tail -30 "$E2E/tmp/code-server-postinstall.log"; exit 1; }
  )
  mv "cs-$CSV.partial" "cs-$CSV"
  XDG_CONFIG_HOME="$E2E/tmp/xdg" XDG_DATA_HOME="$E2E/tmp/xdg" node "cs-$CSV/out/node/entry.js" --version >&2
  mark "code-server-$CSV"
}

install_playwright() {
  done_ "playwright-$PLAYWRIGHT" && return 0
  log "playwright-core $PLAYWRIGHT (driver only; the browser is Debian chromium)"
  mkdir -p "$E2E/driver"
  [ -f "$E2E/driver/package.json" ] || echo '{"private":true}' > "$E2E/driver/package.json"
  (cd "$E2E/driver" && npm install -q --prefer-offline --no-audit --no-fund "playwright-core@$PLAYWRIGHT" >/dev/null 2>&1)
  mark "playwright-$PLAYWRIGHT"
}

apt_install chromium fonts-dejavu-core g++ make python3 libkrb5-dev ripgrep git
install_code_server
install_playwright
log "ok: $E2E"
