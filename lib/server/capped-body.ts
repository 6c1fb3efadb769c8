/**
 * Read a request body with a size cap. The import routes skip the middleware (which would
 * buffer bodies before anyone is authenticated) and call this only after userRoute verified the
 * user: it stops at the cap, cancelling the stream, whether or not the client declared a length.
 */
import { AppError } from "./app-error";

/** Read `req`'s body into memory; throws AppError("payload_too_large") past `capBytes`. */
export async function readBodyCapped(
  req: Request,
  capBytes: number,
  message: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > capBytes) throw new AppError("payload_too_large", message);
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > capBytes) {
      await reader.cancel().catch(() => {});
      throw new AppError("payload_too_large", message);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** The same request with its body read (capped) into memory, for parsers that read it whole. */
export async function withCappedBody(req: Request, capBytes: number, message: string): Promise<Request> {
  const body = await readBodyCapped(req, capBytes, message);
  return new Request(req.url, { method: req.method, headers: req.headers, body });
}
