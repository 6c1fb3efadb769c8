import "server-only";
/**
 * TOTP second factor through Supabase Auth MFA (the request's own cookie session): enrol with a
 * QR code rendered here (the `qrcode` package, never a third-party service), verify codes, remove
 * the factor. Every code attempt is counted per user (5 a minute, 20 an hour) before it reaches
 * Auth, so codes cannot be brute-forced; a correct code gives its slots back.
 */
import type { SupabaseClient } from "@supabase/supabase-js";
import QRCode from "qrcode";
import { refundRateLimitSlot, takeRateLimitSlot } from "@/lib/rate-limit/rate-limit";
import { AppError } from "@/lib/server/app-error";

const TOO_MANY = "Too many codes tried. Wait a few minutes and try again.";
const WRONG_CODE = "That code is not right. Check the time on your phone and try the newest code.";

/** The user's verified TOTP factor id, or null. */
export async function verifiedTotpFactorId(supabase: SupabaseClient): Promise<string | null> {
  const { data, error } = await supabase.auth.mfa.listFactors();
  if (error) throw new AppError("internal", "Two-factor authentication is unavailable right now.");
  return data.totp[0]?.id ?? null;
}

/**
 * Check a code against a factor (challenge + verify): on success the session becomes aal2 and
 * its cookies are rewritten. Limited per user before anything reaches Auth.
 */
export async function verifyTotpCode(
  supabase: SupabaseClient,
  userId: string,
  factorId: string,
  code: string,
): Promise<void> {
  const slots = [
    ["mfa", userId],
    ["mfaHourly", userId],
  ] as const;
  const waits = await Promise.all(slots.map(([name, subject]) => takeRateLimitSlot(name, subject)));
  const wait = Math.max(...waits);
  if (wait > 0) throw new AppError("rate_limited", TOO_MANY, undefined, wait);
  const { error } = await supabase.auth.mfa.challengeAndVerify({ factorId, code });
  if (error) {
    if ((error.status ?? 0) >= 500)
      throw new AppError("internal", "Two-factor authentication is unavailable right now.");
    throw new AppError("invalid_input", WRONG_CODE, { code: [WRONG_CODE] });
  }
  await Promise.all(slots.map(([name, subject]) => refundRateLimitSlot(name, subject)));
}

/** A new, unverified TOTP factor: its id, the secret to type by hand, and the QR code as a data URL. */
export async function startTotpEnrolment(
  supabase: SupabaseClient,
): Promise<{ factorId: string; secret: string; qrCode: string }> {
  // An earlier, abandoned enrolment would keep its name; drop unverified factors first.
  const { data: listed } = await supabase.auth.mfa.listFactors();
  for (const f of listed?.all ?? []) {
    if (f.status === "unverified") await supabase.auth.mfa.unenroll({ factorId: f.id });
  }
  const { data, error } = await supabase.auth.mfa.enroll({
    factorType: "totp",
    friendlyName: "Authenticator app",
    issuer: "RefireLeads",
  });
  if (error || !data) throw new AppError("internal", "Two-factor setup is unavailable right now. Please try again.");
  // Rendered here from the otpauth URI (not Auth's own image), as an SVG data URL the CSP allows.
  const svg = await QRCode.toString(data.totp.uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return {
    factorId: data.id,
    secret: data.totp.secret,
    qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`,
  };
}

/** Remove a factor (Auth requires an aal2 session for a verified one). */
export async function removeTotpFactor(supabase: SupabaseClient, factorId: string): Promise<void> {
  const { error } = await supabase.auth.mfa.unenroll({ factorId });
  if (error)
    throw new AppError("conflict", "Two-factor authentication could not be turned off. Sign in again and retry.");
}
