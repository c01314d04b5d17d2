// The check of a no-JavaScript form's framework fields (lib/http/action-fields.ts): what a browser
// sends passes; each field mangled, a foreign one added, or a reference to a field that is not
// there, is named. The whole path on the real server: tests/e2e/mangled-forms.spec.ts.
import { expect, test } from "vitest";
import { actionFieldProblem } from "@/lib/http/action-fields";

const ID = "60b3f58e53a1fd6b8c921763dd5d4a8f86db461277";
const known = new Set([ID]);
/** The register form as the server renders it (React's encoding of useActionState's bound state). */
const browserSends = (): Array<[string, string]> => [
  ["$ACTION_REF_1", ""],
  ["$ACTION_1:0", JSON.stringify({ id: ID, bound: "$@1" })],
  ["$ACTION_1:1", JSON.stringify([{ values: { name: "$$dollar name", email: "" } }])],
  ["$ACTION_KEY", "ke94a98d5c0d8e38b1606a5a880af5d39"],
  ["name", "Ada"],
  ["email", "ada@example.com"],
];
const withField = (name: string, value: string | null) =>
  value === null ? browserSends().filter(([key]) => key !== name) : browserSends().map(([key, old]): [string, string] => [key, key === name ? value : old]);

test("what a browser sends passes, and so does a form with no framework field at all", () => {
  expect(actionFieldProblem(browserSends(), known)).toBeNull();
  expect(actionFieldProblem([["name", "x"]], known)).toBeNull();
  expect(actionFieldProblem([[`$ACTION_ID_${ID}`, ""], ["id", "4"]], known)).toBeNull();
});

test.each([
  ["$ACTION_1:0", `{"id":"${ID}","bound":"$@1"}' AND 1=1`, "malformed-descriptor"],
  ["$ACTION_1:0", "[{' AND 1=1", "malformed-descriptor"],
  ["$ACTION_1:0", JSON.stringify({ id: "0".repeat(42), bound: "$@1" }), "unknown-action"],
  ["$ACTION_1:0", JSON.stringify({ id: ID, bound: "$Q1" }), "malformed-descriptor"],
  ["$ACTION_1:0", JSON.stringify({ id: ID, bound: "$@1", extra: 1 }), "malformed-descriptor"],
  ["$ACTION_1:0", null, "malformed-descriptor"],
  ["$ACTION_1:1", "[{' AND 1=1", "malformed-argument"],
  ["$ACTION_1:1", '["$@9"]', "malformed-argument"],
  ["$ACTION_1:1", '{"values":{}}', "malformed-argument"],
  ["$ACTION_1:1", null, "missing-argument"],
  ["$ACTION_REF_1", "' AND 1=1", "foreign-field"],
  ["$ACTION_KEY", "ke94a98d5c0d8e38b1606a5a880af5d39' AND 1=1", "malformed-key"],
  ["$ACTION_KEY", "", "malformed-key"],
])("%s as %j: %s", (name, value, problem) => {
  expect(actionFieldProblem(withField(name, value), known)).toBe(problem);
});

test("a foreign or unknown framework field is named, and so is an action id this build does not have", () => {
  expect(actionFieldProblem([...browserSends(), ["$ACTION_SOMETHING", ""]], known)).toBe("foreign-field");
  expect(actionFieldProblem([...browserSends(), ["$ACTION_REF_1' AND 1=1", ""]], known)).toBe("foreign-field");
  expect(actionFieldProblem([...browserSends(), ["$ACTION_2:1", "[]"]], known)).toBe("foreign-field");
  expect(actionFieldProblem([...browserSends(), ["$ACTION_1:2", "[]"]], known)).toBe("foreign-field");
  expect(actionFieldProblem([[`$ACTION_ID_${"f".repeat(42)}`, ""]], known)).toBe("unknown-action");
  expect(actionFieldProblem([...browserSends(), ["$ACTION_REF_1", ""]], known)).toBe("too-many-actions");
});

test("a script's action call: an argument list (JSON array) as the body or as multipart field 0 passes; anything else is named", async () => {
  const { fetchActionBodyProblem } = await import("@/lib/http/action-fields");
  expect(fetchActionBodyProblem({ text: '[{"values":{}},"$K1"]' })).toBeNull();
  expect(fetchActionBodyProblem({ fields: [["0", '[{"values":{}},"$K1"]'], ["1_name", "Ada"], ["1_$ACTION_REF_1", ""]] })).toBeNull();
  for (const text of ['"not a list"', "[{' AND 1=1", "", "{}"]) expect(fetchActionBodyProblem({ text }), text).toBe("malformed-argument");
  expect(fetchActionBodyProblem({ fields: [["1_name", "Ada"]] })).toBe("malformed-argument");
  expect(fetchActionBodyProblem({ fields: [["0", "[]"], ["2", "[{' AND 1=1"]] })).toBe("malformed-argument");
});
