// Recognising the database failures the app answers differently: a duplicate email (the visitor's
// mistake, said on the field), a missing table (the operator's: run the migrations) and everything
// else (unavailable: try again). Drizzle wraps the driver's error, so the whole cause chain is read.

export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current && chain.length < 10; current = (current as { cause?: unknown }).cause) {
    chain.push(current);
  }
  return chain;
}

export function describes(error: unknown, pattern: RegExp): boolean {
  return causeChain(error).some((link) => {
    const { code, extendedCode, message } = link as { code?: unknown; extendedCode?: unknown; message?: unknown };
    return [code, extendedCode, message].some((text) => typeof text === "string" && pattern.test(text));
  });
}

export function isUniqueViolation(error: unknown): boolean {
  return describes(error, /SQLITE_CONSTRAINT_UNIQUE|UNIQUE constraint failed/);
}

export function isMissingTable(error: unknown): boolean {
  return describes(error, /no such table/);
}

/** Thrown when the schema has not been migrated; its message tells the operator what to run. */
export class SchemaMissingError extends Error {
  constructor(cause: unknown) {
    super("The database has no registrants table. Run `npm run db:migrate` against this DATABASE_URL.", { cause });
    this.name = "SchemaMissingError";
  }
}

/** A constraint only one row broke (NOT NULL, CHECK…): the rest of its batch can still commit. */
export function isConstraintViolation(error: unknown): boolean {
  return describes(error, /SQLITE_CONSTRAINT|constraint failed/);
}
