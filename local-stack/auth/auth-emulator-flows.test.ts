/**
 * The Auth emulator's e-mail link flows (invite, recovery) and TOTP MFA, through the unmodified
 * supabase-js calls the app makes, with codes computed by otplib.
 */
import { randomUUID } from "node:crypto";
import { createClient, type WebSocketLikeConstructor } from "@supabase/supabase-js";
import { decodeJwt } from "jose";
import { generateSync } from "otplib";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { emulatorMailbox, latestEmailTo } from "./mailbox-client";

const URL_ = process.env.SUPABASE_URL!;
const ANON_KEY = process.env.SUPABASE_ANON_KEY!;
const SERVICE_KEY = process.env.SUPABASE_SERVICE_ROLE_KEY!;
const PASSWORD = "correct horse battery staple";

class NoWebSocket {
  constructor() {
    throw new Error("Realtime is not used here");
  }
}
const options = {
  auth: { persistSession: false, autoRefreshToken: false },
  realtime: { transport: NoWebSocket as unknown as WebSocketLikeConstructor },
};
const anon = () => createClient(URL_, ANON_KEY, options);
const admin = createClient(URL_, SERVICE_KEY, options);
const sql = postgres(process.env.DATABASE_URL!, { max: 2, onnotice: () => {} });
afterAll(() => sql.end());

const uniqueEmail = () => `flow-${randomUUID().slice(0, 8)}@example.test`;
const tokenHashOf = (link: string) => new URL(link).searchParams.get("token_hash")!;

async function confirmedUser() {
  const email = uniqueEmail();
  const { data, error } = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
  expect(error).toBeNull();
  return { id: data.user!.id, email };
}

describe("the app's notices", () => {
  it("are delivered to the mailbox with the service-role key only", async () => {
    const notice = { to: uniqueEmail(), subject: "A notice", body: "Line one\nLine two", link: "http://localhost/x" };
    const post = (key?: string) =>
      fetch(new URL("/__emulator/mailbox", URL_), {
        method: "POST",
        headers: { "Content-Type": "application/json", ...(key ? { Authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify(notice),
      });
    expect((await post()).status).toBeGreaterThanOrEqual(400);
    expect((await post(ANON_KEY)).status).toBe(403);
    expect((await post(SERVICE_KEY)).status).toBe(204);
    const delivered = (await emulatorMailbox(URL_)).filter((m) => m.to === notice.to);
    expect(delivered).toMatchObject([{ kind: "notice", subject: "A notice", body: notice.body, link: notice.link }]);
  });
});

describe("invitation e-mails", () => {
  it("invite → the mailbox holds a link to /auth/confirm → verifyOtp signs in → set a password → sign in", async () => {
    const email = uniqueEmail();
    const { error } = await admin.auth.admin.inviteUserByEmail(email);
    expect(error).toBeNull();
    const mail = await latestEmailTo(URL_, email, "invite");
    expect(mail).not.toBeNull();
    const link = new URL(mail!.link);
    expect(link.pathname).toBe("/auth/confirm");
    expect(link.searchParams.get("type")).toBe("invite");

    const client = anon();
    const { data, error: verifyError } = await client.auth.verifyOtp({
      token_hash: tokenHashOf(mail!.link),
      type: "invite",
    });
    expect(verifyError).toBeNull();
    expect(data.user?.email).toBe(email);
    expect(data.user?.email_confirmed_at).toBeTruthy();
    expect(decodeJwt(data.session!.access_token).amr).toEqual([expect.objectContaining({ method: "invite" })]);

    expect((await client.auth.updateUser({ password: PASSWORD })).error).toBeNull();
    const signedIn = await anon().auth.signInWithPassword({ email, password: PASSWORD });
    expect(signedIn.error).toBeNull();
  });

  it("a link works once", async () => {
    const email = uniqueEmail();
    await admin.auth.admin.inviteUserByEmail(email);
    const hash = tokenHashOf((await latestEmailTo(URL_, email, "invite"))!.link);
    expect((await anon().auth.verifyOtp({ token_hash: hash, type: "invite" })).error).toBeNull();
    const again = await anon().auth.verifyOtp({ token_hash: hash, type: "invite" });
    expect(again.error).toMatchObject({ status: 403, code: "otp_expired" });
  });

  it("an expired link is refused (and used up)", async () => {
    const email = uniqueEmail();
    await admin.auth.admin.inviteUserByEmail(email);
    const hash = tokenHashOf((await latestEmailTo(URL_, email, "invite"))!.link);
    await sql`update auth.users set invited_at = now() - interval '25 hours' where email = ${email}`;
    expect((await anon().auth.verifyOtp({ token_hash: hash, type: "invite" })).error).toMatchObject({
      code: "otp_expired",
    });
    await sql`update auth.users set invited_at = now() where email = ${email}`;
    expect((await anon().auth.verifyOtp({ token_hash: hash, type: "invite" })).error).toMatchObject({
      code: "otp_expired",
    });
  });
});

describe("password recovery", () => {
  it("recover → mailbox → verifyOtp(recovery) → new password; other sessions end; unknown e-mails get the same answer", async () => {
    const { email } = await confirmedUser();
    const other = await anon().auth.signInWithPassword({ email, password: PASSWORD });
    expect((await anon().auth.resetPasswordForEmail(email)).error).toBeNull();
    expect((await anon().auth.resetPasswordForEmail(uniqueEmail())).error).toBeNull();
    const mail = await latestEmailTo(URL_, email, "recovery");
    expect(mail!.link).toContain("type=recovery");

    const client = anon();
    expect((await client.auth.verifyOtp({ token_hash: tokenHashOf(mail!.link), type: "recovery" })).error).toBeNull();
    expect((await client.auth.updateUser({ password: "a whole new password" })).error).toBeNull();
    // The session signed in before the reset has ended.
    expect((await anon().auth.getUser(other.data.session!.access_token)).error).not.toBeNull();
    expect((await anon().auth.signInWithPassword({ email, password: PASSWORD })).error).not.toBeNull();
    expect((await anon().auth.signInWithPassword({ email, password: "a whole new password" })).error).toBeNull();
    // A second request within a minute is refused, as GoTrue refuses it.
    expect((await anon().auth.resetPasswordForEmail(email)).error).toMatchObject({ status: 429 });
  });
});

describe("TOTP MFA", () => {
  it("enroll (SVG QR code) → challenge → verify gives aal2 with amr totp; sign-in asks for aal2; unenroll", async () => {
    const { email } = await confirmedUser();
    const client = anon();
    await client.auth.signInWithPassword({ email, password: PASSWORD });
    const enrolled = await client.auth.mfa.enroll({ factorType: "totp", friendlyName: "phone" });
    expect(enrolled.error).toBeNull();
    const totp = enrolled.data!;
    expect(totp.totp.qr_code).toMatch(/^data:image\/svg\+xml;utf-8,<svg/);
    expect(totp.totp.uri).toMatch(/^otpauth:\/\/totp\//);

    // A wrong code is refused and changes nothing.
    const wrong = await client.auth.mfa.challengeAndVerify({ factorId: totp.id, code: "000000" });
    expect(wrong.error).toMatchObject({ code: "mfa_verification_failed" });

    const verified = await client.auth.mfa.challengeAndVerify({
      factorId: totp.id,
      code: generateSync({ secret: totp.totp.secret }),
    });
    expect(verified.error).toBeNull();
    const claims = decodeJwt(verified.data!.access_token);
    expect(claims.aal).toBe("aal2");
    expect((claims.amr as { method: string }[]).map((a) => a.method)).toEqual(
      expect.arrayContaining(["totp", "password"]),
    );

    // A fresh password sign-in is aal1 and must reach aal2 with a code.
    const second = anon();
    await second.auth.signInWithPassword({ email, password: PASSWORD });
    const level = await second.auth.mfa.getAuthenticatorAssuranceLevel();
    expect(level.data).toMatchObject({ currentLevel: "aal1", nextLevel: "aal2" });
    const factors = await second.auth.mfa.listFactors();
    expect(factors.data!.totp.map((f) => f.id)).toEqual([totp.id]);
    // Unenrolling a verified factor needs aal2.
    expect((await second.auth.mfa.unenroll({ factorId: totp.id })).error).toMatchObject({ code: "insufficient_aal" });
    expect((await second.auth.updateUser({ password: "another password 1" })).error).toMatchObject({
      code: "insufficient_aal",
    });

    const challenge = await second.auth.mfa.challenge({ factorId: totp.id });
    const ok = await second.auth.mfa.verify({
      factorId: totp.id,
      challengeId: challenge.data!.id,
      code: generateSync({ secret: totp.totp.secret }),
    });
    expect(ok.error).toBeNull();
    // A challenge is answered once.
    const reuse = await second.auth.mfa.verify({
      factorId: totp.id,
      challengeId: challenge.data!.id,
      code: generateSync({ secret: totp.totp.secret }),
    });
    expect(reuse.error).toMatchObject({ code: "mfa_challenge_expired" });
    expect((await second.auth.mfa.unenroll({ factorId: totp.id })).error).toBeNull();
    expect((await second.auth.mfa.listFactors()).data!.all).toEqual([]);
  });

  it("another user's factor is not found", async () => {
    const a = await confirmedUser();
    const b = await confirmedUser();
    const ca = anon();
    await ca.auth.signInWithPassword({ email: a.email, password: PASSWORD });
    const factor = (await ca.auth.mfa.enroll({ factorType: "totp" })).data!;
    const cb = anon();
    await cb.auth.signInWithPassword({ email: b.email, password: PASSWORD });
    expect((await cb.auth.mfa.challenge({ factorId: factor.id })).error).toMatchObject({ status: 404 });
    expect((await cb.auth.mfa.unenroll({ factorId: factor.id })).error).toMatchObject({ status: 404 });
  });
});
