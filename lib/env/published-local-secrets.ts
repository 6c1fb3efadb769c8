/**
 * The local stack's secrets are published in the repository (local-stack/config.ts), so anyone
 * can read them. Production must never run with one of them. lib/env may not import
 * local-stack/, so the secrets are repeated here only as SHA-256 fingerprints (a test asserts
 * they match local-stack/config.ts). Key material is fingerprinted by its decoded bytes, so the
 * same key under another key id or another base64 spelling is still recognised.
 */
import { createHash } from "node:crypto";

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/** Fingerprints of published text secrets (anon and service keys, Twilio credentials). */
export const PUBLISHED_TEXT_SECRET_FINGERPRINTS: ReadonlySet<string> = new Set([
  "f32529ab258553f1c1def49858771610a82d616a9de970638c6d30f4e26826da", // anon key
  "d4e64633b75729d430740fb4263ca79e5c5c1a19ca0fa47f346bf5a25ebc743b", // service-role key
  "7eb370d1fb6d066197c47919e7b8bb806c0515f2651261da49ed0c715a46c1a1", // Twilio auth token
  "f69920225ff96a8dda9a8be7b19531af1fc9d0d7365e8d73ba548a3401a52178", // Twilio account SID
]);

/** Fingerprints of published 32-byte keys (PII encryption key, blind-index key), by decoded bytes. */
export const PUBLISHED_KEY_FINGERPRINTS: ReadonlySet<string> = new Set([
  "aa9517c449d77b894eada58c438c4418d0fc81a31b163922041034f8f1b5d88d", // PII encryption key "local1"
  "34a35260de7aa18e61a44a89850e6b9e7402f3851348d95ad7d7b96a6120c151", // blind-index key
]);

/** SHA-256 (hex) of a text secret as it is configured (surrounding whitespace ignored). */
export function textSecretFingerprint(value: string): string {
  return sha256(value.trim());
}

/** SHA-256 (hex) of a key's bytes. */
export function keyFingerprint(key: Buffer): string {
  return sha256(key);
}

/** True when a text secret is one the repository publishes. */
export function isPublishedTextSecret(value: string): boolean {
  return PUBLISHED_TEXT_SECRET_FINGERPRINTS.has(textSecretFingerprint(value));
}

/** True when key material is one the repository publishes. */
export function isPublishedKey(key: Buffer): boolean {
  return PUBLISHED_KEY_FINGERPRINTS.has(keyFingerprint(key));
}
