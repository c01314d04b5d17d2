// The production server runs with the same Node flags however it is started: `npm start`, the
// image's CMD, the benchmark's serve script and the servers the tests start (which read them from
// package.json). The flags are what keeps its memory under the 300 MiB target (docs/performance.md "Memory").
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { ROOT, SERVER_NODE_FLAGS } from "../support/server";

const read = (file: string) => readFileSync(join(ROOT, file), "utf8");
const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;

test("npm start caps the old generation and the young generation's semi-spaces", () => {
  expect(SERVER_NODE_FLAGS).toEqual(expect.arrayContaining([expect.stringMatching(/^--max-old-space-size=\d+$/), expect.stringMatching(/^--max-semi-space-size=\d+$/)]));
  expect(scripts["start:standalone"]).toBe(scripts.start);
});

test("the image's CMD runs start.mjs with the same flags", () => {
  const cmd = /^CMD (\[.*\])$/m.exec(read("Dockerfile"));
  expect(JSON.parse(cmd![1])).toEqual(["node", ...SERVER_NODE_FLAGS, "start.mjs"]);
});

test("scripts/bench-serve.sh execs the server with the same flags", () => {
  expect(read("scripts/bench-serve.sh")).toMatch(new RegExp(`exec "\\$node" ${SERVER_NODE_FLAGS.join(" ")} \\.next/standalone/start\\.mjs\\n`));
});

test("scripts/bench-serve-sqld.sh runs the server with the same flags", () => {
  expect(read("scripts/bench-serve-sqld.sh")).toMatch(new RegExp(`"\\$node" ${SERVER_NODE_FLAGS.join(" ")} \\.next/standalone/start\\.mjs &\\n`));
});

test("every node image the Dockerfile builds from is Node 24", () => {
  const images = [...read("Dockerfile").matchAll(/^FROM (\S+)/gm)].map((match) => match[1]);
  expect(images.length).toBeGreaterThanOrEqual(2);
  for (const image of images) expect(image).toMatch(/^node:24[-.]/);
});
