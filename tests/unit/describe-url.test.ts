// A DATABASE_URL as the CLIs and the launcher log it: where the database is, never its credentials.
import { expect, test } from "vitest";
import { describeUrl } from "@/lib/log";

test("a URL without credentials is logged as it is", () => {
  for (const url of ["file:./data/lecture.db", "libsql://db.example.turso.io", "http://127.0.0.1:8080?tls=0"]) {
    expect(describeUrl(url)).toBe(url);
  }
});

test("user and password before the host are blanked", () => {
  expect(describeUrl("https://admin:s3cret@db.example.com/x")).toBe("https://***@db.example.com/x");
  expect(describeUrl("https://admin:p@ss@db.example.com")).toBe("https://***@db.example.com");
  expect(describeUrl("https://db.example.com/x?note=a@b")).toBe("https://db.example.com/x?note=a@b");
});

test("an auth token in the query is masked, whatever its spelling; the other parameters stay", () => {
  expect(describeUrl("libsql://db.example.turso.io?authToken=eyJhbGciOi.secret.sig")).toBe("libsql://db.example.turso.io?authToken=***");
  expect(describeUrl("libsql://db.example?tls=1&authToken=abc&x=y")).toBe("libsql://db.example?tls=1&authToken=***&x=y");
  expect(describeUrl("file:/data/app.db?auth_token=abc")).toBe("file:/data/app.db?auth_token=***");
  expect(describeUrl("wss://db.example?token=abc#frag")).toBe("wss://db.example?token=***#frag");
  expect(describeUrl("https://db.example?AUTHTOKEN=abc")).toBe("https://db.example?AUTHTOKEN=***");
});

test("a token name libSQL would decode (percent-encoded, repeated, with a user too) is still masked", () => {
  expect(describeUrl("libsql://db.example?auth%54oken=abc")).toBe("libsql://db.example?auth%54oken=***");
  expect(describeUrl("libsql://db.example?authToken=one&authToken=two")).toBe("libsql://db.example?authToken=***&authToken=***");
  expect(describeUrl("https://u:p@db.example?authToken=abc")).toBe("https://***@db.example?authToken=***");
  expect(describeUrl("libsql://db.example?authToken")).toBe("libsql://db.example?authToken=***");
  expect(describeUrl("libsql://db.example?authToken=a%ZZ")).toBe("libsql://db.example?authToken=***");
});
