// Who the client is, for the rate limits and the logs: the socket's peer address, unless that peer is
// a proxy the operator trusts (TRUSTED_PROXIES), in which case the right-most X-Forwarded-For entry
// that is not itself a trusted proxy. Forwarding headers from anyone else are not believed, and the
// launcher drops them before Next sees them (server/answer-request.ts), so X-Forwarded-Proto and
// -Host follow the same rule. An IPv6 client is its /64: one host usually holds a whole /64, so
// counting single addresses would give it billions of budgets.
import { BlockList, isIP } from "node:net";

export type TrustedProxies = { isTrusted: (address: string) => boolean; any: boolean };

export const FORWARDING_HEADERS = ["x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "x-real-ip", "forwarded"] as const;

export function trustedProxies(entries: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split("/");
    const type = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  const isTrusted = (address: string) => {
    const plain = unmapped(address);
    const family = isIP(plain);
    return family !== 0 && list.check(plain, family === 6 ? "ipv6" : "ipv4");
  };
  return { isTrusted, any: entries.length > 0 };
}

/** `::ffff:1.2.3.4` (an IPv4 client on a dual-stack socket) is 1.2.3.4. */
function unmapped(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1] : address;
}

/** The address the request came from, by the rule above; "unknown" when the socket has none (already closed). */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, proxies: TrustedProxies): string {
  if (!peer) return "unknown";
  let client = unmapped(peer);
  if (proxies.any && forwardedFor !== undefined && proxies.isTrusted(client)) {
    const hops = forwardedFor.split(",").map((hop) => unmapped(hop.trim()));
    for (let i = hops.length - 1; i >= 0; i--) {
      if (isIP(hops[i]) === 0) break; // not an address: believe no further left
      client = hops[i];
      if (!proxies.isTrusted(client)) break;
    }
  }
  return client;
}

/** What a client's budget is kept under: an IPv4 address as it is, an IPv6 address's /64. */
export function clientKey(address: string): string {
  if (isIP(address) !== 6) return address;
  return `${expandIpv6(address).slice(0, 4).join(":")}::/64`;
}

/** The eight groups of an IPv6 address, without leading zeros (an embedded IPv4 tail becomes two groups). */
function expandIpv6(address: string): string[] {
  const bare = address.split("%")[0].toLowerCase();
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(bare);
  const text = tail
    ? bare.slice(0, tail.index) + [((+tail[1] << 8) | +tail[2]).toString(16), ((+tail[3] << 8) | +tail[4]).toString(16)].join(":")
    : bare;
  const [head, rest] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = rest === undefined ? [] : rest ? rest.split(":") : [];
  const zeros = rest === undefined ? [] : Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((group) => group.replace(/^0+(?=.)/, ""));
}
