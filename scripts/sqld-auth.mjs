// Usage: node scripts/sqld-auth.mjs FOLDER — makes an Ed25519 key pair for a sqld started by
// scripts/bench-serve-sqld.sh: writes FOLDER/jwt-public-key.pem (sqld's --auth-jwt-key-file) and
// prints a read-write JWT that sqld then accepts (DATABASE_AUTH_TOKEN). A new pair per run, so a
// token from an earlier run is refused. Same token shape as tests/support/sqld.ts.
import { generateKeyPairSync, sign } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const folder = process.argv[2];
if (!folder) {
  console.error("usage: node scripts/sqld-auth.mjs FOLDER");
  process.exit(2);
}
mkdirSync(folder, { recursive: true });
const { publicKey, privateKey } = generateKeyPairSync("ed25519");
writeFileSync(join(folder, "jwt-public-key.pem"), publicKey.export({ type: "spki", format: "pem" }));
const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
const unsigned = `${part({ alg: "EdDSA", typ: "JWT" })}.${part({ iat: Math.floor(Date.now() / 1000), a: "rw" })}`;
console.log(`${unsigned}.${sign(null, Buffer.from(unsigned), privateKey).toString("base64url")}`);
