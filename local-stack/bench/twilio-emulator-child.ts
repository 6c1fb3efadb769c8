/**
 * The Twilio emulator in a process of its own, for benchmarks: the service under test (the send
 * worker) should not share its CPU with the stand-in for Twilio, which in production is remote.
 * Prints `{"url": ...}` once listening; status callbacks are answered by a no-op (only the send
 * path is measured); SIGTERM stops it.
 */
import { LOCAL_SECRETS } from "@/local-stack/config";
import { startTwilioEmulator } from "@/local-stack/twilio/server";

async function main() {
  const emu = await startTwilioEmulator({
    port: 0,
    accountSid: LOCAL_SECRETS.twilioAccountSid,
    authToken: LOCAL_SECRETS.twilioAuthToken,
    log: () => {},
    dispatch: async () => new Response(null, { status: 204 }),
  });
  process.stdout.write(`${JSON.stringify({ url: emu.url })}\n`);
  process.on("SIGTERM", () => void emu.stop().then(() => process.exit(0)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
