#!/usr/bin/env bash
# Builds the SeaweedFS server (`weed`, an S3-compatible object store) from its Go module, once, and caches it.
# The sharded-fleet bench and specs keep Pulumi state in it through an s3:// backend URL.
#
#   bash scripts/object-store.sh      # build if needed; prints the path of the `weed` binary
#
# The binary lands in $PULUMI_WFP_OBJECT_STORE_CACHE (default ~/.cache/pulumi-cloudflare-wfp/object-store)/<key>/bin,
# keyed by tools/object-store's go.mod/go.sum, and .object-store/bin in the repo links to it. Nothing here
# downloads a prebuilt binary.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$repo/tools/object-store"
cache_root="${PULUMI_WFP_OBJECT_STORE_CACHE:-$HOME/.cache/pulumi-cloudflare-wfp/object-store}"

if ! command -v go >/dev/null 2>&1; then
  echo "object-store: the Go toolchain is required to build SeaweedFS (https://go.dev/doc/install)" >&2
  exit 1
fi

key="$(cat "$tools/go.mod" "$tools/go.sum" "$0" | sha256sum | cut -c1-16)"
bin="$cache_root/$key/bin"

# -mod=readonly: Go builds exactly the versions go.mod and go.sum pin, or refuses.
export GOFLAGS="-mod=readonly"

if [ ! -x "$bin/weed" ]; then
  started=$SECONDS
  echo "object-store: building weed (first build downloads modules and compiles for several minutes)..." >&2
  mkdir -p "$bin"
  (cd "$tools" && go build -trimpath -o "$bin/weed.tmp" github.com/seaweedfs/seaweedfs/weed)
  mv "$bin/weed.tmp" "$bin/weed"
  echo "object-store: built weed in $((SECONDS - started))s" >&2
fi

mkdir -p "$repo/.object-store"
ln -sfn "$bin" "$repo/.object-store/bin"
echo "object-store: $("$bin/weed" version 2>/dev/null | head -n1) at $bin" >&2
echo "$bin/weed"
