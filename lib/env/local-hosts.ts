/**
 * Host classification for env validation: which hosts can only mean "this machine" (loopback) or
 * "no address in particular" (unspecified, which connects to this machine too). Works on the
 * hostname the WHATWG URL parser produces, which already turns `127.1`, `0x7f.0.0.1`,
 * `2130706433` into `127.0.0.1` and shortens IPv6 (`[::ffff:127.0.0.1]` becomes `[::ffff:7f00:1]`).
 */
import { isIPv4, isIPv6 } from "node:net";

function ipv4Octets(ip: string): number[] {
  return ip.split(".").map(Number);
}

/** Expand an IPv6 address (no brackets) into eight 16-bit groups; null if malformed. */
function ipv6Groups(ip: string): number[] | null {
  let text = ip.toLowerCase().split("%")[0]!;
  // A trailing dotted IPv4 (::ffff:127.0.0.1) becomes two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = ipv4Octets(dotted[1]!);
    text = `${text.slice(0, dotted.index)}${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const missing = 8 - left.length - right.length;
  if (text.includes("::") ? missing < 1 : missing !== 0) return null;
  const groups = [...left, ...Array<string>(text.includes("::") ? missing : 0).fill("0"), ...right].map((g) =>
    parseInt(g, 16),
  );
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

function isLocalIPv4(ip: string): boolean {
  const [a, b] = ipv4Octets(ip);
  // 127/8 loopback, 0/8 "this network" (0.0.0.0 reaches this host), 169.254/16 link-local
  // (where cloud metadata services live).
  return a === 127 || a === 0 || (a === 169 && b === 254);
}

function isLocalIPv6(ip: string): boolean {
  const g = ipv6Groups(ip);
  if (!g) return true; // unparseable: refuse rather than guess
  const zeroPrefix = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroPrefix(7) && (g[7] === 0 || g[7] === 1)) return true; // :: and ::1
  if ((g[0]! & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  // IPv4-mapped (::ffff:a.b.c.d) and the deprecated IPv4-compatible (::a.b.c.d) forms.
  if (zeroPrefix(5) && (g[5] === 0xffff || g[5] === 0)) {
    const v4 = `${g[6]! >> 8}.${g[6]! & 0xff}.${g[7]! >> 8}.${g[7]! & 0xff}`;
    return isLocalIPv4(v4);
  }
  return false;
}

/**
 * True when `hostname` (as URL.hostname gives it) can only reach this machine: localhost in any
 * spelling (`localhost.`, `*.localhost`), 127/8, 0/8, link-local, ::, ::1 and their IPv4-mapped forms.
 */
export function isLocalHost(hostname: string): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.+$/, "");
  if (host === "" || host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIPv4(host)) return isLocalIPv4(host);
  if (isIPv6(host) || host.includes(":")) return isLocalIPv6(host);
  return false;
}

/**
 * True when `hostname` is a loopback address proper (what local mode may serve on): localhost,
 * 127/8, ::1 and ::ffff:127.x. Unlike isLocalHost, 0.0.0.0 and :: do not count: as a server
 * address they mean "every interface".
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.+$/, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIPv4(host)) return host.startsWith("127.");
  if (!host.includes(":")) return false;
  const g = ipv6Groups(host);
  if (!g) return false;
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return true;
  return g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff && g[6]! >> 8 === 127;
}
