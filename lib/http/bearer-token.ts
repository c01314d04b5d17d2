// `Authorization: Bearer <token>` checked against a configured token, in constant time (both sides
// hashed first, so neither their lengths nor their contents leak through timing).
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (text: string) => createHash("sha256").update(text).digest();

/** True when `authorization` carries exactly `token`; always false without a token. */
export function carriesBearerToken(authorization: string | null | undefined, token: string | undefined): boolean {
  const presented = /^Bearer (\S+)$/.exec(authorization ?? "")?.[1];
  return Boolean(token && presented && timingSafeEqual(digest(presented), digest(token)));
}
