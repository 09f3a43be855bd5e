#!/usr/bin/env bash
# What `npm test` runs before any spec: the builds the specs run on, the static checks, the engine and
# the Node.js versions. The builds and checks are single-threaded tsc, eslint and typedoc processes, so
# they run in two lanes at once (about half the time on a 2-core machine); each lane stops at its first
# failure, and the script fails if either lane did.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

lane() {
  for step in "$@"; do
    if ! npm run -s "$step"; then
      echo "pretest: npm run $step failed" >&2
      return 1
    fi
  done
}

lane build typecheck docs &
first=$!
lane build:dev lint typecheck:examples &
second=$!
status=0
wait "$first" || status=1
wait "$second" || status=1
[ "$status" -eq 0 ] || exit 1

npm run -s engine
npm run -s runtimes
