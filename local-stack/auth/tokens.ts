/**
 * The emulator's asymmetric signing key and its access tokens.
 *
 * Like a Supabase project with asymmetric JWT keys, access tokens are ES256 JWTs carrying a `kid`
 * and the public key is published as a JWKS, so `getClaims()` and any jose verifier work
 * unchanged. The key is persisted in the profile's state folder so sessions survive a restart.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import {
  decodeProtectedHeader,
  errors as joseErrors,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWK,
  type JWTPayload,
} from "jose";
import { z } from "zod";
import { forbidden } from "./errors";

const ALG = "ES256";
const KEY_FILE = "auth-signing-key.json";

/** A loaded signing key pair and the public half as published in the JWKS. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

/** The claims GoTrue puts in an access token (tokens.AccessTokenClaims). */
export interface AccessTokenClaims extends JWTPayload {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  iat: number;
  email: string;
  phone: string;
  app_metadata: Record<string, unknown>;
  user_metadata: Record<string, unknown>;
  role: string;
  aal: string;
  amr: Array<{ method: string; timestamp: number }>;
  session_id: string;
  is_anonymous: boolean;
}

const keyFileSchema = z.object({
  kid: z.string().min(1),
  alg: z.literal(ALG),
  privateJwk: z.object({ kty: z.literal("EC"), crv: z.literal("P-256"), x: z.string(), y: z.string(), d: z.string() }),
});

/**
 * Load `${stateDir}/auth-signing-key.json`, creating it (mode 0600) on first use. Creation uses
 * an exclusive open so two processes starting at once cannot end up with different keys.
 */
export async function loadOrCreateSigningKey(stateDir: string): Promise<SigningKey> {
  const file = path.join(stateDir, KEY_FILE);
  await fs.mkdir(stateDir, { recursive: true });
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    const { privateKey } = await generateKeyPair(ALG, { extractable: true });
    const { kty, crv, x, y, d } = await exportJWK(privateKey);
    text = JSON.stringify({ kid: randomUUID(), alg: ALG, privateJwk: { kty, crv, x, y, d } }, null, 2);
    try {
      await fs.writeFile(file, text, { mode: 0o600, flag: "wx" });
    } catch (writeErr) {
      if ((writeErr as NodeJS.ErrnoException).code !== "EEXIST") throw writeErr;
      text = await fs.readFile(file, "utf8");
    }
  }
  await fs.chmod(file, 0o600);
  const parsed = keyFileSchema.safeParse(safeJson(text));
  if (!parsed.success) {
    throw new Error(
      `${file} is not a valid auth signing key; delete it to generate a new one (existing sessions end).`,
    );
  }
  const { kid, privateJwk } = parsed.data;
  const { kty, crv, x, y } = privateJwk;
  const publicPart = { kty, crv, x, y };
  const publicJwk: JWK = { ...publicPart, kid, alg: ALG, use: "sig", key_ops: ["verify"], ext: true };
  return {
    kid,
    privateKey: (await importJWK({ ...privateJwk, alg: ALG }, ALG)) as CryptoKey,
    publicKey: (await importJWK({ ...publicPart, alg: ALG }, ALG)) as CryptoKey,
    publicJwk,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The JWKS document served at /.well-known/jwks.json. */
export function jwksDocument(key: SigningKey): { keys: JWK[] } {
  return { keys: [key.publicJwk] };
}

/** Sign an access token with the emulator key (header alg ES256, typ JWT, kid). */
export function signAccessToken(key: SigningKey, claims: AccessTokenClaims): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: ALG, kid: key.kid, typ: "JWT" }).sign(key.privateKey);
}

/**
 * Verify an access token's signature and expiry (at `now`, the emulator's clock). Failures answer
 * 403 `bad_jwt` with GoTrue's wording, which supabase-js surfaces as an AuthApiError.
 */
export async function verifyAccessToken(key: SigningKey, token: string, now = new Date()): Promise<JWTPayload> {
  const fail = (why: string) => forbidden("bad_jwt", `invalid JWT: unable to parse or verify signature, ${why}`);
  let kid: unknown;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw fail("token is malformed: could not decode header");
  }
  if (kid !== key.kid) throw fail(`token is unverifiable: error while executing keyfunc: invalid kid: ${String(kid)}`);
  try {
    const { payload } = await jwtVerify(token, key.publicKey, { algorithms: [ALG], currentDate: now });
    return payload;
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw fail("token has invalid claims: token is expired");
    throw fail("token signature is invalid");
  }
}
