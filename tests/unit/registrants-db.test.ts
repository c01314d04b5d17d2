// The data functions against a real, migrated SQLite file.
import { describe, expect, test } from "vitest";
import { findRegistrants, listRegistrants } from "@/db/registrants";
import { insertRegistrant, removeRegistrant } from "@/db/writer";
import { PAGE_SIZE } from "@/lib/registrants/list-url";
import { uniqueEmail, withTempDatabase } from "../support/temp-db";

const database = withTempDatabase();

describe("insertRegistrant", () => {
  test("stores a registrant that reads back exactly", async () => {
    const email = uniqueEmail("store");
    const result = await insertRegistrant({ name: "Grace Hopper", email });
    expect(result.ok).toBe(true);
    const { rows } = await database.client().execute({ sql: "SELECT name, email, created_at FROM registrants WHERE email = ?", args: [email] });
    expect(rows).toHaveLength(1);
    expect(rows[0].name).toBe("Grace Hopper");
    expect(Number(rows[0].created_at)).toBeGreaterThan(1_700_000_000);
  });

  test("refuses the same email twice as a duplicate, not an exception", async () => {
    const email = uniqueEmail("twice");
    expect((await insertRegistrant({ name: "First", email })).ok).toBe(true);
    expect(await insertRegistrant({ name: "Second", email })).toEqual({ ok: false, reason: "duplicate-email" });
    const { rows } = await database.client().execute({ sql: "SELECT name FROM registrants WHERE email = ?", args: [email] });
    expect(rows.map((row) => row.name)).toEqual(["First"]);
  });

  test("lets exactly one of many simultaneous submits of one email in", async () => {
    const email = uniqueEmail("race");
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => insertRegistrant({ name: `Racer ${i}`, email })));
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    const { rows } = await database.client().execute({ sql: "SELECT count(*) AS n FROM registrants WHERE email = ?", args: [email] });
    expect(Number(rows[0].n)).toBe(1);
  });

  test("the unique index itself refuses a duplicate written around the app", async () => {
    const email = uniqueEmail("index");
    await insertRegistrant({ name: "Via app", email });
    await expect(
      database.client().execute({ sql: "INSERT INTO registrants (name, email) VALUES (?, ?)", args: ["Raw", email] }),
    ).rejects.toThrow(/UNIQUE/);
  });

  test("stores SQL- and HTML-looking text literally", async () => {
    const email = uniqueEmail("bobby");
    const name = "Robert'); DROP TABLE registrants;-- <b>";
    expect((await insertRegistrant({ name, email })).ok).toBe(true);
    const { rows } = await database.client().execute({ sql: "SELECT name FROM registrants WHERE email = ?", args: [email] });
    expect(rows[0].name).toBe(name);
  });
});

describe("listRegistrants", () => {
  test("pages 50 at a time, newest first, with the total and page count", async () => {
    await database.client().execute("DELETE FROM registrants");
    const emails: string[] = [];
    for (let i = 0; i < 120; i++) emails.push(uniqueEmail(`list${i}`));
    for (const [i, email] of emails.entries()) await insertRegistrant({ name: `Person ${i}`, email });

    const first = await listRegistrants(1);
    expect(first.total).toBe(120);
    expect(first.pageCount).toBe(3);
    expect(first.rows).toHaveLength(PAGE_SIZE);
    expect(first.rows[0].email).toBe(emails[119]);
    expect(first.rows[49].email).toBe(emails[70]);

    const last = await listRegistrants(3);
    expect(last.rows.map((row) => row.email)).toEqual(emails.slice(0, 20).reverse());
  });

  test("a page past the end is empty but still reports the page count", async () => {
    const beyond = await listRegistrants(99);
    expect(beyond.rows).toEqual([]);
    expect(beyond.page).toBe(99);
    expect(beyond.pageCount).toBe(3);
  });

  test.each([0, -1, Number.NaN, 1.5])("page %s is read as page 1", async (page) => {
    const result = await listRegistrants(page);
    expect(result.page).toBe(1);
    expect(result.rows).toHaveLength(PAGE_SIZE);
  });

  test("an empty table has one empty page", async () => {
    await database.client().execute("DELETE FROM registrants");
    expect(await listRegistrants(1)).toMatchObject({ rows: [], page: 1, pageCount: 1, total: 0 });
  });
});

describe("removeRegistrant", () => {
  test("removes the row with that id and email, and only once", async () => {
    const email = uniqueEmail("remove");
    const result = await insertRegistrant({ name: "Leaving", email });
    if (!result.ok) throw new Error("not stored");
    expect(await removeRegistrant({ id: result.id, email })).toBe(true);
    expect(await findRegistrants([result.id])).toEqual([]);
    expect(await removeRegistrant({ id: result.id, email })).toBe(false); // replayed
  });

  test("removes nothing when the email does not match the id's row", async () => {
    const email = uniqueEmail("keep");
    const result = await insertRegistrant({ name: "Staying", email });
    if (!result.ok) throw new Error("not stored");
    expect(await removeRegistrant({ id: result.id, email: uniqueEmail("other") })).toBe(false);
    expect(await findRegistrants([result.id])).toEqual([{ id: result.id, name: "Staying", email }]);
  });

  test("the same email registers again afterwards, with a new id", async () => {
    const email = uniqueEmail("again");
    const first = await insertRegistrant({ name: "Once", email });
    if (!first.ok) throw new Error("not stored");
    await removeRegistrant({ id: first.id, email });
    const second = await insertRegistrant({ name: "Twice", email });
    expect(second.ok && second.id).toBeGreaterThan(first.id);
  });
});
