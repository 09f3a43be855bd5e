#!/usr/bin/env bash
# Builds the real Pulumi engine (CLI + Node.js language host) from its Go modules, once, and caches it.
#
#   bash scripts/engine.sh            # build if needed; prints the bin directory
#
# The binaries land in $PULUMI_WFP_ENGINE_CACHE (default ~/.cache/pulumi-cloudflare-wfp/engine)/<key>/bin,
# keyed by the tools modules' go.mod/go.sum, and .engine/bin in the repo links to them. Go keeps its module
# and build caches, so a rebuild after a key change is fast. Nothing here downloads a prebuilt binary.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$repo/tools/engine"
cache_root="${PULUMI_WFP_ENGINE_CACHE:-$HOME/.cache/pulumi-cloudflare-wfp/engine}"

if ! command -v go >/dev/null 2>&1; then
  echo "engine: the Go toolchain is required to build the Pulumi engine (https://go.dev/doc/install)" >&2
  exit 1
fi

key="$(cat "$tools"/cli/go.mod "$tools"/cli/go.sum "$tools"/langhost/go.mod "$tools"/langhost/go.sum "$0" \
  | sha256sum | cut -c1-16)"
bin="$cache_root/$key/bin"

# The checksum database has no entry for some pulumi module versions; the committed go.sum files pin
# their hashes instead, and -mod=readonly makes Go refuse anything that does not match them.
export GONOSUMDB="github.com/pulumi/pulumi"
export GOFLAGS="-mod=readonly"

# The version each binary reports, read from the module its main package comes from.
module_version() { # <tools module> <module path>
  awk -v m="$2" '$1 == m || ($1 == "require" && $2 == m) { print ($1 == m ? $2 : $3); exit }' "$tools/$1/go.mod"
}

build() { # <tools module> <output> <main package> <module path>
  local started=$SECONDS version
  version="$(module_version "$1" "$4")"
  echo "engine: building $2 from $3 (first build downloads modules and compiles for a few minutes)..." >&2
  (cd "$tools/$1" && go build -trimpath \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" -o "$bin/$2.tmp" "$3")
  mv "$bin/$2.tmp" "$bin/$2"
  echo "engine: built $2 in $((SECONDS - started))s" >&2
}

mkdir -p "$bin"
[ -x "$bin/pulumi" ] || build cli pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi github.com/pulumi/pulumi/pkg/v3
[ -x "$bin/pulumi-language-nodejs" ] ||
  build langhost pulumi-language-nodejs github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs \
    github.com/pulumi/pulumi/sdk/v3

# The dynamic-provider plugin is a tiny script in @pulumi/pulumi that runs the program's own copy of the
# SDK's provider host. A real Pulumi install ships it next to the CLI ("bundled"); found there, the
# engine uses it without the "using ... from $PATH" warning it gives for a plugin found on PATH.
plugin="$repo/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
if [ -f "$plugin" ]; then
  cp "$plugin" "$bin/pulumi-resource-pulumi-nodejs.tmp" && chmod 755 "$bin/pulumi-resource-pulumi-nodejs.tmp"
  mv "$bin/pulumi-resource-pulumi-nodejs.tmp" "$bin/pulumi-resource-pulumi-nodejs"
fi

mkdir -p "$repo/.engine"
ln -sfn "$bin" "$repo/.engine/bin"
echo "engine: $("$bin/pulumi" version) at $bin" >&2
echo "$bin"
