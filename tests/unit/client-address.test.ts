// Who a client is (lib/http/client-address.ts): the socket's peer, unless a trusted proxy says more.
import { expect, test } from "vitest";
import { clientAddress, clientKey, trustedProxies } from "@/lib/http/client-address";

const none = trustedProxies([]);
const proxy = trustedProxies(["10.0.0.0/8", "fd00::/8", "127.0.0.1"]);

test("without trusted proxies the peer is the client, whatever X-Forwarded-For says", () => {
  expect(clientAddress("203.0.113.7", "198.51.100.1", none)).toBe("203.0.113.7");
  expect(clientAddress("::ffff:203.0.113.7", undefined, none)).toBe("203.0.113.7");
  expect(clientAddress(undefined, "198.51.100.1", none)).toBe("unknown");
});

test("an untrusted peer's forwarding headers lift nothing, even with proxies configured", () => {
  expect(clientAddress("203.0.113.7", "198.51.100.1", proxy)).toBe("203.0.113.7");
});

test("behind trusted proxies the right-most untrusted X-Forwarded-For entry is the client", () => {
  expect(clientAddress("10.1.2.3", "198.51.100.1", proxy)).toBe("198.51.100.1");
  // A client's own spoofed entries sit to the left of what our proxy appended: ignored.
  expect(clientAddress("10.1.2.3", "1.1.1.1, 2.2.2.2, 198.51.100.1", proxy)).toBe("198.51.100.1");
  // Two trusted hops: the first untrusted one from the right.
  expect(clientAddress("127.0.0.1", "198.51.100.1, 10.9.9.9", proxy)).toBe("198.51.100.1");
  expect(clientAddress("::ffff:10.1.2.3", "::ffff:198.51.100.1", proxy)).toBe("198.51.100.1");
  expect(clientAddress("fd00::1", "2001:db8::5", proxy)).toBe("2001:db8::5");
});

test("garbage in X-Forwarded-For stops the walk at the last address believed", () => {
  expect(clientAddress("10.1.2.3", "198.51.100.1, not-an-ip", proxy)).toBe("10.1.2.3");
  expect(clientAddress("10.1.2.3", "", proxy)).toBe("10.1.2.3");
  // Every hop trusted: the left-most of them.
  expect(clientAddress("10.1.2.3", "10.0.0.5, 10.0.0.6", proxy)).toBe("10.0.0.5");
});

test("an IPv6 client is counted by its /64; IPv4 by its address", () => {
  expect(clientKey("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
  expect(clientKey("2001:db8:1:2::ffff")).toBe("2001:db8:1:2::/64");
  expect(clientKey("2001:0db8:0001:0002:aaaa::1")).toBe("2001:db8:1:2::/64");
  expect(clientKey("::1")).toBe("0:0:0:0::/64");
  expect(clientKey("2001:db8::")).toBe("2001:db8:0:0::/64");
  expect(clientKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  expect(clientKey("203.0.113.7")).toBe("203.0.113.7");
});
