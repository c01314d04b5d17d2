// Next's request handler for the standalone folder, with this deployment's settings completed at
// start: which other sites may post the forms (SERVER_ACTIONS_ALLOWED_ORIGINS) is a fact of the
// deployment, not of the build, so it goes into the built configuration here.
import { readAllowedOrigins } from "../lib/config";
import { prepareNextHandler, readBuiltNextConfig, type RequestHandler } from "./next-internals";

export async function prepareNext(standaloneDir: string, hostname: string, port: number): Promise<RequestHandler> {
  Object.assign(process.env, { NODE_ENV: "production" });
  // Next resolves its build (.next/) from the working folder, as server.js arranges by changing into it.
  process.chdir(standaloneDir);
  const config = readBuiltNextConfig(standaloneDir);
  config.experimental.serverActions = { ...config.experimental.serverActions, allowedOrigins: readAllowedOrigins() };
  return prepareNextHandler({ dev: false, dir: standaloneDir, hostname, port, conf: config });
}
