#!/usr/bin/env bash
# Usage: scripts/bench-serve.sh PORT DBFILE — the serve script of /work/shared/peers/bench/compare.sh
# (and of `npm run bench`): migrates the SQLite file DBFILE, then execs the production server on
# 127.0.0.1:PORT in the foreground, so the PID that started this script is the server's.
# Builds once if there is no production build yet (`npm run build`); rebuild yourself after changes.
set -euo pipefail
port=${1:?usage: bench-serve.sh PORT DBFILE}
db=${2:?usage: bench-serve.sh PORT DBFILE}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# The project's pinned Node 24 (scripts/runtime/settle-node.mjs), as inside npm scripts; else the machine's own.
node=$root/node_modules/.bin/node; [ -x "$node" ] || node=node
export DATABASE_URL="file:$(realpath -m "$db")" NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
# The per-client limits off: the harness posts from one address, far faster than a person, on
# purpose; what they cost is measured apart (docs/performance.md "Rate limits").
export RATE_LIMIT_REGISTER_BURST=0 RATE_LIMIT_CANCEL_BURST=0 RATE_LIMIT_TASKS_BURST=0 RATE_LIMIT_REGISTER_GLOBAL_PER_MINUTE=0 RATE_LIMIT_CONNECTIONS_PER_CLIENT=0
export SESSION_SECRET=${SESSION_SECRET:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}
"$node" node_modules/tsx/dist/cli.mjs db/cli/migrate.ts >&2
[ -f .next/standalone/start.mjs ] || npm run build >&2
# What `npm start` runs, heap cap included (docs/performance.md, "Memory"): it keeps RSS flat under load.
PORT=$port HOSTNAME=127.0.0.1 exec "$node" --max-old-space-size=192 --max-semi-space-size=8 .next/standalone/start.mjs
