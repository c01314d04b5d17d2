#!/usr/bin/env bash
# Usage: scripts/bench-serve-replica.sh PORT DBFILE — as bench-serve-sqld.sh, with the app as an
# embedded replica of that sqld (reads from a local file, writes to sqld): one more compare.sh target.
BENCH_TOPOLOGY=replica exec "$(dirname "$0")/bench-serve-sqld.sh" "$@"
