// The TCP sockets a process listens on, read from /proc (Linux): its file descriptors name socket
// inodes, and /proc/net/tcp{,6} says which of those are listening, on which address and port. No
// `ss` or `lsof` needed, and nothing guessed from connecting.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export type Listening = { address: string; port: number };

/** An address as /proc/net/tcp writes it: IPv4 as one little-endian word ("127.0.0.1"), IPv6 as four (eight groups, uncompressed). */
function addressOf(hex: string): string {
  const words = hex.match(/.{8}/g)!.map((word) => word.match(/../g)!.reverse().join(""));
  if (words.length === 1) return words[0].match(/../g)!.map((byte) => parseInt(byte, 16)).join(".");
  return words.join("").match(/.{4}/g)!.map((group) => parseInt(group, 16).toString(16)).join(":");
}

/** Every TCP socket process `pid` (threads included) listens on. */
export function listeningSockets(pid: number): Listening[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // closed between the listing and the read
    }
  }
  const found: Listening[] = [];
  for (const table of ["tcp", "tcp6"]) {
    const lines = readFileSync(`/proc/${pid}/net/${table}`, "utf8").trim().split("\n").slice(1);
    for (const line of lines) {
      const [, local, , state, , , , , , inode] = line.trim().split(/\s+/);
      if (state !== "0A" || !inodes.has(inode)) continue; // 0A: LISTEN
      const [address, port] = local.split(":");
      found.push({ address: addressOf(address), port: parseInt(port, 16) });
    }
  }
  return found.sort((a, b) => a.port - b.port);
}
