// What sealing a task list and opening a seal not yet in the opened-seal cache cost, through
// lib/session/seal.ts and, for comparison, through iron-session's own sealData/unsealData
// (iron-webcrypto): the numbers behind docs/decisions/session-seal.md.
//   node_modules/.bin/node --import tsx scripts/bench-seal.ts
// Microseconds per operation, the median of BENCH_ROUNDS rounds: one at a time (what a request
// waits), 32 in flight (what a busy server spends each) and process CPU one at a time (libuv's
// threads included). The machine is usually shared: compare numbers from one run only.
import { sealData, unsealData } from "iron-session";
import { sealTaskList, unsealTaskList } from "../lib/session/seal";
import { encodeTaskList } from "../lib/tasks/codec";
import { addTask, EMPTY_TASK_LIST } from "../lib/tasks/list";

const N = Number(process.env.BENCH_SEALS || 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 7);
const SECRETS = ["bench-seal-secret-0123456789abcdefghijklmnop"];
const PASSWORD = { 1: SECRETS[0] };
const LIST = ["Buy milk", "Write notes", "Call the venue", "Book the room", "Print badges"].reduce(addTask, EMPTY_TASK_LIST);
const TEXT = encodeTaskList(LIST);

type Operation = () => Promise<unknown>;
type Contender = { name: string; seal: () => Promise<string>; open: (seal: string) => Promise<unknown> };
const contenders: Contender[] = [
  { name: "lib/session/seal.ts", seal: () => sealTaskList(LIST, SECRETS), open: (seal) => unsealTaskList(seal, SECRETS) },
  { name: "iron-session (iron-webcrypto)", seal: () => sealData(TEXT, { password: PASSWORD }), open: (seal) => unsealData(seal, { password: PASSWORD }) },
];

async function perOperation(operation: Operation, inFlight: number): Promise<[wall: number, cpu: number]> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let done = 0;
  const worker = async () => {
    while (done++ < N) await operation();
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const { user, system } = process.cpuUsage(cpuBefore);
  return [((performance.now() - started) * 1000) / N, (user + system) / N];
}

const samples = new Map<string, number[][]>();
async function sample(key: string, operation: Operation): Promise<void> {
  const [one, cpu] = await perOperation(operation, 1);
  const [many] = await perOperation(operation, 32);
  samples.set(key, [...(samples.get(key) ?? []), [one, many, cpu]]);
}

for (let round = 0; round < ROUNDS; round++) {
  for (const { name, seal, open } of contenders) {
    await sample(`${name.padEnd(30)} seal`, seal);
    // Every open takes a seal never opened before, so the cache never answers.
    const fresh = await Promise.all(Array.from({ length: 2 * N + 32 }, seal));
    await sample(`${name.padEnd(30)} uncached open`, () => open(fresh.pop()!));
  }
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`${"".padEnd(45)}${["one at a time", "32 in flight", "CPU"].map((title) => title.padStart(13)).join("  ")}`);
for (const [key, rows] of samples) {
  const cells = [0, 1, 2].map((column) => `${median(rows.map((row) => row[column])).toFixed(1).padStart(10)} µs`);
  console.log(`${key.padEnd(45)}${cells.join("  ")}`);
}
