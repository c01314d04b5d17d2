import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { readSessionConfig } from "@/lib/config";
import { DEV_SECRET_FILE, resolveSessionSecrets } from "@/lib/session/secrets";
import { makeTempDir } from "../support/temp-db";

const STRONG = "s".repeat(32);
const folder = makeTempDir("session-config-");
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("session configuration", () => {
  test("several secrets, newest first, separated by commas or spaces", () => {
    expect(readSessionConfig({ SESSION_SECRET: `${STRONG}a, ${STRONG}b ${STRONG}c` }).secrets).toEqual([
      `${STRONG}a`,
      `${STRONG}b`,
      `${STRONG}c`,
    ]);
  });

  test("a secret shorter than 32 characters is refused with how to make one", () => {
    expect(() => readSessionConfig({ SESSION_SECRET: "too-short" })).toThrow(/shorter than 32 characters.*openssl rand -base64 32/);
    expect(() => readSessionConfig({ SESSION_SECRET: `${STRONG},short` })).toThrow(/secret number 2/);
  });

  test("the Secure flag defaults to on in production, off in development, and can be set", () => {
    expect(readSessionConfig({ NODE_ENV: "production" }).secureCookie).toBe(true);
    expect(readSessionConfig({ NODE_ENV: "development" }).secureCookie).toBe(false);
    expect(readSessionConfig({ NODE_ENV: "production", SESSION_COOKIE_SECURE: "false" }).secureCookie).toBe(false);
    expect(readSessionConfig({ NODE_ENV: "development", SESSION_COOKIE_SECURE: "true" }).secureCookie).toBe(true);
    expect(() => readSessionConfig({ SESSION_COOKIE_SECURE: "maybe" })).toThrow(/SESSION_COOKIE_SECURE must be true or false/);
  });

  test("production without a secret refuses, naming the fix", () => {
    expect(() => resolveSessionSecrets({ NODE_ENV: "production" }, folder)).toThrow(/SESSION_SECRET is not set.*openssl rand -base64 32/);
    expect(existsSync(join(folder, DEV_SECRET_FILE))).toBe(false);
  });

  test("development without a secret makes one once, keeps it private, and reuses it", () => {
    const first = resolveSessionSecrets({ NODE_ENV: "development" }, folder);
    expect(first).toHaveLength(1);
    expect(first[0].length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(join(folder, DEV_SECRET_FILE), "utf8").trim()).toBe(first[0]);
    expect(statSync(join(folder, DEV_SECRET_FILE)).mode & 0o077).toBe(0);
    expect(resolveSessionSecrets({ NODE_ENV: "development" }, folder)).toEqual(first);
  });

  test("a configured secret wins over the development file", () => {
    expect(resolveSessionSecrets({ NODE_ENV: "development", SESSION_SECRET: STRONG }, folder)).toEqual([STRONG]);
  });
});
