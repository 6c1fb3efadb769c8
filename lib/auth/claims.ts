/**
 * Verification of Supabase access tokens. Claims are trusted only after the JWT's signature has
 * been checked against the Auth server's published keys (JWKS, fetched once and cached by jose)
 * and its issuer, audience and expiry are right.
 */
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import { z } from "zod";

const claimsSchema = z.object({
  sub: z.uuid(),
  role: z.literal("authenticated"),
  aud: z.union([z.literal("authenticated"), z.array(z.string()).refine((a) => a.includes("authenticated"))]),
  email: z.string().optional(),
  session_id: z.string().optional(),
  aal: z.enum(["aal1", "aal2"]).optional(),
  /** How the session was authenticated (password, invite, recovery, totp), newest first. */
  amr: z.array(z.object({ method: z.string(), timestamp: z.number() })).optional(),
  /** Set only by the service role (never by the user); platform_role marks a platform operator. */
  app_metadata: z.looseObject({ platform_role: z.string().optional() }).optional(),
  exp: z.number(),
  iat: z.number(),
  iss: z.string(),
});

export type VerifiedClaims = z.infer<typeof claimsSchema>;

const jwksBySupabaseUrl = new Map<string, JWTVerifyGetKey>();

function jwksFor(supabaseUrl: string): JWTVerifyGetKey {
  let jwks = jwksBySupabaseUrl.get(supabaseUrl);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(`${supabaseUrl}/auth/v1/.well-known/jwks.json`), {
      cacheMaxAge: 10 * 60_000,
      cooldownDuration: 30_000,
    });
    jwksBySupabaseUrl.set(supabaseUrl, jwks);
  }
  return jwks;
}

/** Verify an access token issued by the Supabase Auth server at supabaseUrl; null if invalid. */
export async function verifyAccessToken(token: string, supabaseUrl: string): Promise<VerifiedClaims | null> {
  try {
    const { payload } = await jwtVerify(token, jwksFor(supabaseUrl), {
      issuer: `${supabaseUrl}/auth/v1`,
      audience: "authenticated",
      algorithms: ["ES256", "RS256", "EdDSA"],
    });
    const parsed = claimsSchema.safeParse(payload);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
