/**
 * Worker-thread entry of the import executor: receives the keyring and the encryption context
 * once, then encrypts batches of new leads. Key material never leaves this process.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Keyring } from "@/lib/crypto/keyring";
import { runEncryptTask, type EncryptContext } from "./encrypt-task";

/** Structured clone turns Buffers into Uint8Arrays; the crypto code wants Buffers back. */
function reviveKeyring(k: { activeKeyId: string; keys: Map<string, Uint8Array>; blindIndexKey: Uint8Array }): Keyring {
  return {
    activeKeyId: k.activeKeyId,
    keys: new Map([...k.keys].map(([id, key]) => [id, Buffer.from(key)])),
    blindIndexKey: Buffer.from(k.blindIndexKey),
  };
}

if (parentPort) {
  const port = parentPort;
  const ctx: EncryptContext = { ...workerData, keyring: reviveKeyring(workerData.keyring) };
  port.on("message", (msg: { items: never }) => {
    try {
      port.postMessage({ ok: true, result: runEncryptTask(msg.items, ctx) });
    } catch (err) {
      // The encryption code never puts field values in error messages.
      port.postMessage({ ok: false, message: String((err as Error)?.message ?? err).slice(0, 300) });
    }
  });
  port.postMessage({ ready: true });
}
