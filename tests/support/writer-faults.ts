// Faults for the registration writer, for tests only. A commit thread started with
// REGISTRATION_FAULT_FILE reads that file between a batch's INSERTs and its COMMIT and obeys the
// word in it once: `exit` (the thread exits), `throw` (an uncaught exception), `exhaust-memory`
// (allocates until its heap bound kills it), `hang` (never answers) or `hang-after-commit` (commits,
// then never answers). And a database that cannot be reopened: its folder swapped for a plain file.
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { filePathOf } from "../../db/connection/client";

export type WriterFault = "exit" | "throw" | "exhaust-memory" | "hang" | "hang-after-commit";

export function injectWriterFault(faultFile: string, fault: WriterFault): void {
  writeFileSync(faultFile, fault);
}

/**
 * Moves the database file's folder away and puts a plain file where it was, so nothing can open
 * the database by its path (connections already open keep working). Returns the undo.
 */
export function breakDatabaseFolder(databaseUrl: string): () => void {
  const folder = dirname(filePathOf(databaseUrl)!);
  renameSync(folder, `${folder}.away`);
  writeFileSync(folder, "not a folder");
  return () => {
    rmSync(folder);
    renameSync(`${folder}.away`, folder);
  };
}
