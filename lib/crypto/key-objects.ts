/**
 * Per-Buffer cache of KeyObjects: importing raw bytes into OpenSSL on every field costs time the
 * CSV import cannot spare, and a WeakMap lets keys of discarded keyrings be collected.
 */
import { createSecretKey, type KeyObject } from "node:crypto";

const cache = new WeakMap<Buffer, KeyObject>();

/** The KeyObject for a raw secret key, created once per Buffer. */
export function secretKeyObject(key: Buffer): KeyObject {
  let obj = cache.get(key);
  if (!obj) {
    obj = createSecretKey(key);
    cache.set(key, obj);
  }
  return obj;
}
