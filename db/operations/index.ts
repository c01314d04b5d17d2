// The operator's side of the data: migrations (and adopting the classic Flask table), the schema
// check the launcher runs before serving, export and removal of registrants (one erasure, or a
// filtered clean-up in batches), seeding. The db:* commands (db/cli) and the launcher's start-up
// use these; visitors' requests never do.
export { appliedMigrationCount, applyMigrations, MIGRATIONS_FOLDER, pendingMigrations } from "./migrate";
export { isSchemaReady, passSchemaGate, type SchemaGate } from "./schema-gate";
export { previewRemoval, REMOVAL_BATCH_SIZE, removeRegistrantByEmail, removeRegistrants, type RegistrantFilter, type RemovalPreview } from "./registrant-removal";
export { createExportFile, EXPORT_FORMATS, exportRegistrants, type ExportFormat } from "./registrant-export";
export { seedRegistrants } from "./seed";
export { NO_PROGRESS, terminalProgress } from "./progress";
