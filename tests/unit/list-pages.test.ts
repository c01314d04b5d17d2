// Pages of the list stay exact under any mix of registrations and deletes: random runs of inserts
// (appended, or with hand-picked ids in other buckets) and deletes against a plain array model,
// every page compared after each run. The id buckets are 1,024 wide, so ids are spread over several.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { listRegistrants } from "@/db/registrants";
import { PAGE_SIZE } from "@/lib/registrants/list-url";
import { withTempDatabase } from "../support/temp-db";

const database = withTempDatabase();

type Step = { kind: "append"; count: number } | { kind: "insert-at"; id: number } | { kind: "delete"; pick: number; count: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("append" as const), count: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant("insert-at" as const), id: fc.integer({ min: 1, max: 6_000 }) }),
  fc.record({ kind: fc.constant("delete" as const), pick: fc.nat(), count: fc.integer({ min: 1, max: 120 }) }),
);

let serial = 0;
const email = () => `model-${++serial}@example.com`;

async function apply(model: Set<number>, { kind, ...step }: Step & Record<string, number>): Promise<void> {
  const client = database.client();
  if (kind === "append") {
    await client.execute({
      sql: `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
            INSERT INTO registrants (name, email) SELECT 'Model', 'append-' || ? || '-' || i || '@example.com' FROM seq RETURNING id`,
      args: [step.count, ++serial],
    }).then(({ rows }) => rows.forEach((row) => model.add(Number(row.id))));
  } else if (kind === "insert-at") {
    const { rows } = await client.execute({ sql: "INSERT INTO registrants (id, name, email) VALUES (?, 'Model', ?) ON CONFLICT DO NOTHING RETURNING id", args: [step.id, email()] });
    rows.forEach((row) => model.add(Number(row.id)));
  } else {
    const sorted = [...model].sort((a, b) => a - b);
    const doomed = sorted.slice(step.pick % Math.max(1, sorted.length)).slice(0, step.count);
    for (const id of doomed) {
      await client.execute({ sql: "DELETE FROM registrants WHERE id = ?", args: [id] });
      model.delete(id);
    }
  }
}

async function expectPagesToMatch(model: Set<number>) {
  const newestFirst = [...model].sort((a, b) => b - a);
  const pageCount = Math.max(1, Math.ceil(newestFirst.length / PAGE_SIZE));
  for (let page = 1; page <= pageCount + 1; page++) {
    const result = await listRegistrants(page);
    expect(result.total).toBe(newestFirst.length);
    expect(result.pageCount).toBe(pageCount);
    expect(result.rows.map((row) => row.id)).toEqual(newestFirst.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE));
  }
}

describe("list pages against a model", () => {
  test("every page holds exactly the model's rows after random inserts and deletes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        await database.client().execute("DELETE FROM registrants");
        const model = new Set<number>();
        for (const each of steps) {
          await apply(model, each as Step & Record<string, number>);
          await expectPagesToMatch(model);
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  test("deleting the oldest row shifts every later page by one row, exactly", async () => {
    const client = database.client();
    await client.execute("DELETE FROM registrants");
    await apply(new Set(), { kind: "append", count: 2_500 } as never);
    const before = await listRegistrants(50);
    const oldest = before.rows.at(-1)!;
    await client.execute({ sql: "DELETE FROM registrants WHERE id = ?", args: [oldest.id] });
    const after = await listRegistrants(50);
    expect(after.pageCount).toBe(50);
    expect(after.rows).toHaveLength(49);
    expect(after.rows).toEqual(before.rows.slice(0, 49));
    const page10 = await listRegistrants(10);
    expect(page10.rows[0].id).toBe(before.rows[0].id + (50 - 10) * PAGE_SIZE);
  });
});
