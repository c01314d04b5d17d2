import { expect, test } from "vitest";
import { parsePageParam } from "@/lib/page-param";

test.each([
  [undefined, 1],
  ["", 1],
  ["1", 1],
  ["7", 7],
  [" 3 ", 3],
  ["0", 1],
  ["-1", 1],
  ["abc", 1],
  ["2.5", 1],
  ["1e3", 1],
  ["99999999999999999999", 1],
  [["4", "5"], 4],
])("?page=%j reads as page %i", (raw, expected) => {
  expect(parsePageParam(raw)).toBe(expected);
});
