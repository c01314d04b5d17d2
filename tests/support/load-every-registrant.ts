// The naive export, for tests/unit/registrants-cli.test.ts: one query that holds every row in memory
// at once. Run under the same heap cap as the streamed export, it must run out of memory.
import { createClient } from "@libsql/client";

const client = createClient({ url: process.env.DATABASE_URL! });
const { rows } = await client.execute("SELECT id, name, email, created_at FROM registrants ORDER BY id");
console.log(JSON.stringify(rows).length);
