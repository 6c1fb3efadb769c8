/**
 * Worker-thread entry of the import executor: receives the file, the keyring and the import's
 * context once, then answers requests in order: "next" (the next batch of the file, validated)
 * and "finish" (a decided batch, merged and encrypted). See import-workshop.ts. Key material
 * never leaves this process.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Keyring } from "@/lib/crypto/keyring";
import type { ExecutorContext } from "./import-executor";
import { importWorkshop, type BatchDecisions } from "./import-workshop";

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
  const data = workerData as ExecutorContext;
  const keyring = reviveKeyring(data.encrypt.keyring as never);
  const workshop = importWorkshop(data.source, {
    ...data,
    read: { ...data.read, keyring },
    encrypt: { ...data.encrypt, keyring },
  });
  port.on("message", (msg: { type: "next" } | { type: "finish"; decisions: BatchDecisions }) => {
    try {
      if (msg.type === "next") {
        port.postMessage({ ok: true, result: workshop.next() });
      } else {
        const result = workshop.finish(msg.decisions);
        // The COPY rows move to the calling thread without a copy (runEncryptTask gives them a buffer of their own).
        port.postMessage({ ok: true, result }, [result.insertRows.buffer as ArrayBuffer]);
      }
    } catch (err) {
      // The import code never puts field values in error messages.
      port.postMessage({ ok: false, message: String((err as Error)?.message ?? err).slice(0, 300) });
    }
  });
  port.postMessage({ ready: true });
}
