// `npm run db:seed`: adds the classic demo's registrant (Alice) unless she is there already.
import { seedRegistrants } from "../operations";
import { runWithDatabase } from "./shared";

await runWithDatabase("db:seed", async (client, url) => {
  const inserted = await seedRegistrants(client);
  return `db:seed: ${inserted === 0 ? "nothing to add, Alice is already" : `added ${inserted} registrant to`} ${url}.`;
});
