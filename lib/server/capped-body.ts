/**
 * Read a request body with a size cap. The import routes skip the middleware (which would
 * buffer bodies before anyone is authenticated) and call this only after userRoute verified the
 * user: it stops at the cap, cancelling the stream, whether or not the client declared a length.
 */
import { AppError } from "./app-error";

/**
 * `req`'s body chunk by chunk, as it arrives (nothing is copied or joined); throws
 * AppError("payload_too_large") as soon as more than `capBytes` arrived, or before reading
 * anything when the declared length is over the cap.
 */
export async function* cappedBodyChunks(req: Request, capBytes: number, message: string): AsyncGenerator<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > capBytes) throw new AppError("payload_too_large", message);
  if (!req.body) return;
  const reader = req.body.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.byteLength;
      if (total > capBytes) throw new AppError("payload_too_large", message);
      yield value;
    }
  } finally {
    // Stops the client's upload when we stop early (over the cap, or the consumer gave up).
    await reader.cancel().catch(() => {});
  }
}

/** Read `req`'s body into memory; throws AppError("payload_too_large") past `capBytes`. */
export async function readBodyCapped(
  req: Request,
  capBytes: number,
  message: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of cappedBodyChunks(req, capBytes, message)) {
    chunks.push(chunk);
    total += chunk.byteLength;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
