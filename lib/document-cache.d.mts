// Types for lib/document-cache.mjs (plain JavaScript: see its header), as the launcher uses it.
import type { IncomingMessage, ServerResponse } from "node:http";

export function documentKeyOf(request: IncomingMessage): string | null;
export function answerFromDocumentCache(request: IncomingMessage, response: ServerResponse, key: string): Promise<boolean>;
