// Adopting a database made with the classic lecture's SQL (`CREATE TABLE registrants (id INTEGER
// PRIMARY KEY, name VARCHAR(255), email VARCHAR(255))`, no migrations table): its rows move into
// the migrated table with ids kept, emails trimmed and lower-cased as the app stores them. Rows the
// new constraints would refuse (missing name/email, two rows with one email) stop the adoption with
// a message instead of being dropped: nothing is lost or half-moved.
import type { Client } from "@libsql/client";

const CLASSIC_COPY = "registrants_classic";

async function tableExists(client: Client, name: string): Promise<boolean> {
  const { rows } = await client.execute({ sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", args: [name] });
  return rows.length > 0;
}

/** True when `registrants` exists but no migration was ever recorded: a classic database. */
export async function isClassicDatabase(client: Client): Promise<boolean> {
  return (await tableExists(client, "registrants")) && !(await tableExists(client, "__drizzle_migrations"));
}

async function problemsWithClassicRows(client: Client): Promise<string[]> {
  const [missing, duplicated] = await Promise.all([
    client.execute("SELECT count(*) AS n FROM registrants WHERE trim(coalesce(name, '')) = '' OR trim(coalesce(email, '')) = ''"),
    client.execute(
      "SELECT count(*) AS n FROM (SELECT lower(trim(email)) AS e FROM registrants WHERE email IS NOT NULL GROUP BY e HAVING count(*) > 1)",
    ),
  ]);
  const problems: string[] = [];
  if (Number(missing.rows[0].n) > 0) problems.push(`${missing.rows[0].n} row(s) without a name or email`);
  if (Number(duplicated.rows[0].n) > 0) problems.push(`${duplicated.rows[0].n} email(s) registered more than once`);
  return problems;
}

/** Moves a classic table aside before migrating; returns `restore` (after migrating) to copy the rows back in. */
export async function setAsideClassicTable(client: Client): Promise<(() => Promise<number>) | null> {
  if (!(await isClassicDatabase(client))) return null;
  const problems = await problemsWithClassicRows(client);
  if (problems.length > 0) {
    throw new Error(
      `This database has a classic registrants table with ${problems.join(" and ")}; fix those rows by hand, then run db:migrate again. Nothing was changed.`,
    );
  }
  await client.execute(`ALTER TABLE registrants RENAME TO ${CLASSIC_COPY}`);
  return async () => {
    const [, inserted] = await client.batch(
      [
        `INSERT INTO registrants (id, name, email) SELECT id, trim(name), lower(trim(email)) FROM ${CLASSIC_COPY}`,
        `SELECT changes() AS n`,
        `DROP TABLE ${CLASSIC_COPY}`,
      ],
      "write",
    );
    return Number(inserted.rows[0].n);
  };
}

/** Undoes setAsideClassicTable when the migration itself failed. */
export async function putBackClassicTable(client: Client): Promise<void> {
  if ((await tableExists(client, CLASSIC_COPY)) && !(await tableExists(client, "registrants"))) {
    await client.execute(`ALTER TABLE ${CLASSIC_COPY} RENAME TO registrants`);
  }
}
