#!/usr/bin/env bash
# Usage: scripts/bench-next-floor.sh [ROUNDS] — how far `GET /todos` is from Next's own floor for a
# page rendered per request, on this machine (docs/performance.md, "`GET /todos` at 0.10×: not
# met, and why": why /todos cannot reach 0.10× Flask in one process). Builds a throwaway copy of
# this checkout's HEAD with one extra page, /floor, which reads the Tasks cookie and prints its
# length, nothing else; runs that build's
# production server (the launcher and flags of `npm start`) on a fresh database; then loads /todos
# and /floor in turn with the same 10-task cookie as compare.sh's todos scenario (wrk, 1 thread, 32
# connections, 10 s; BENCH_DURATION to change), ROUNDS times (3), and prints req/s and server CPU
# per request for each. The copy and its server are removed afterwards. Needs wrk, and the shared
# harness beside the project (../shared/peers/bench/form.mjs adds the tasks through the form).
set -euo pipefail
rounds=${1:-3}
duration=${BENCH_DURATION:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
node=$root/node_modules/.bin/node; [ -x "$node" ] || node=node
command -v wrk >/dev/null || { echo "bench-next-floor: needs wrk (Debian: apt-get install wrk)" >&2; exit 1; }
form=$root/../shared/peers/bench/form.mjs
[ -f "$form" ] || { echo "bench-next-floor: needs the shared harness at $form" >&2; exit 1; }

work=$(mktemp -d /tmp/next-floor.XXXXXX)
copy=$work/app
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  git -C "$root" worktree remove --force "$copy" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

git -C "$root" worktree add --quiet --detach "$copy" HEAD
# Hard links when the copy is on the same file system (instant), else a real copy. Not a symlink:
# Turbopack refuses a node_modules that points outside the project.
cp -al "$root/node_modules" "$copy/node_modules" 2>/dev/null || cp -a "$root/node_modules" "$copy/node_modules"
mkdir -p "$copy/app/floor"
cat >"$copy/app/floor/page.tsx" <<'PAGE'
import { cookies } from "next/headers";

export default async function Floor() {
  const jar = await cookies(); // the production server's cookie is Secure, so named __Host-tasks
  const seal = (jar.get("__Host-tasks") ?? jar.get("tasks"))?.value;
  return <main><p>{seal?.length ?? 0}</p></main>;
}
PAGE
echo "bench-next-floor: building a copy of HEAD with /floor (about a minute)…" >&2
(cd "$copy" && npm run build >"$work/build.log" 2>&1) || { cat "$work/build.log" >&2; exit 1; }

port=$("$node" -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { process.stdout.write(String(s.address().port)); s.close(); })')
"$copy/scripts/bench-serve.sh" "$port" "$work/app.db" >"$work/server.log" 2>&1 &
pid=$!
base=http://127.0.0.1:$port
for _ in $(seq 100); do curl -fs -o /dev/null "$base/api/health" && break; sleep 0.2; done
curl -fs -o /dev/null "$base/api/health" || { cat "$work/server.log" >&2; exit 1; }

# Ten tasks added through the form: the cookie compare.sh's todos scenario sends.
cookie=$("$node" "$form" session "$base/todos" 10)
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
load() {  # load PATH: one wrk run; prints req/s and server CPU ms per request
  local before after requests
  before=$(ticks)
  wrk -t1 -c32 -d"${duration}s" -H "Cookie: $cookie" "$base$1" >"$work/wrk.out"
  after=$(ticks)
  requests=$(grep -oP '^\s*\K\d+(?= requests in)' "$work/wrk.out")
  awk -v path="$1" -v rps="$(awk '/Requests\/sec/ { print $2 }' "$work/wrk.out")" -v t=$((after - before)) \
    -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN { printf "%-8s %9.1f req/s  %6.2f ms CPU/req\n", path, rps, t * 1000 / hz / n }'
}
wrk -t1 -c16 -d3s -H "Cookie: $cookie" "$base/todos" >/dev/null # warm-up, unmeasured
wrk -t1 -c16 -d3s -H "Cookie: $cookie" "$base/floor" >/dev/null
for round in $(seq "$rounds"); do
  echo "round $round"
  load /todos
  load /floor
done
