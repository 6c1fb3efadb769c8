/**
 * GoTrue's field checks for admin-supplied user data, with its error codes and wording.
 */
import { badRequest, WeakPasswordError } from "./errors";

// The format check GoTrue uses (badoux/checkmail ValidateFormat).
const EMAIL_RE =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** Validate an email and return it lowercased, as GoTrue stores it. */
export function validateEmail(email: string): string {
  if (email === "") throw badRequest("validation_failed", "An email address is required");
  if (email.length > 255) throw badRequest("validation_failed", "An email address is too long");
  if (!EMAIL_RE.test(email)) throw badRequest("validation_failed", "Unable to validate email address: invalid format");
  return email.toLowerCase();
}

/** Validate a phone number as E.164 and return it the way GoTrue stores it (digits, no "+"). */
export function validatePhone(phone: string): string {
  const digits = phone.trim().replace(/^\+/, "").replaceAll(" ", "");
  if (!/^[1-9]\d{1,14}$/.test(digits)) {
    throw badRequest("validation_failed", "Invalid phone number format (E.164 required)");
  }
  return digits;
}

/** bcrypt only reads 72 bytes; GoTrue refuses longer passwords rather than truncating them. */
export function checkPasswordLength(password: string): void {
  if (Buffer.byteLength(password, "utf8") > 72) {
    throw badRequest("validation_failed", "bcrypt: password length exceeds 72 bytes");
  }
}

/** GoTrue's default strength rule (minimum length 6), applied where GoTrue applies it. */
export function checkPasswordStrength(password: string): void {
  if (password.length < 6) throw new WeakPasswordError("Password should be at least 6 characters.", ["length"]);
  checkPasswordLength(password);
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parse a ban_duration ("none" or a Go duration such as "876000h" or "1h30m") into the time the
 * ban ends: null lifts a ban.
 */
export function banUntil(duration: string, now = Date.now()): Date | null {
  if (duration === "none") return null;
  const invalid = () =>
    badRequest("validation_failed", `invalid format for ban duration: time: invalid duration "${duration}"`);
  if (!/^(\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))*$/.test(duration)) {
    if (duration === "0") return null;
    throw invalid();
  }
  let ms = 0;
  for (const [, value, , unit] of duration.matchAll(/(\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) {
    ms += Number(value) * UNIT_MS[unit!]!;
  }
  return ms <= 0 ? null : new Date(now + ms);
}
