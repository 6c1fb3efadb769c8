import { describe, expect, it } from "vitest";
import { readBodyCapped } from "./capped-body";

const MB = 1024 * 1024;

/** A chunked body (no Content-Length) of `chunks` × 1 MB, counting how many chunks were pulled. */
function streamingRequest(chunks: number) {
  const pulled = { n: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.n >= chunks) return controller.close();
      pulled.n++;
      controller.enqueue(new Uint8Array(MB));
    },
  });
  const req = new Request("http://localhost/api/imports", { method: "POST", body, duplex: "half" } as RequestInit);
  return { req, pulled };
}

describe("readBodyCapped", () => {
  it("stops reading at the cap when no length is declared (a 60 MB stream is cut after ~6 MB)", async () => {
    const { req, pulled } = streamingRequest(60);
    await expect(readBodyCapped(req, 5 * MB, "too big")).rejects.toMatchObject({
      code: "payload_too_large",
      message: "too big",
    });
    expect(pulled.n).toBeLessThanOrEqual(8);
  });

  it("refuses a declared length over the cap without reading anything", async () => {
    const { req, pulled } = streamingRequest(60);
    const declared = new Request(req, { headers: { "content-length": String(60 * MB) } });
    await expect(readBodyCapped(declared, 5 * MB, "too big")).rejects.toMatchObject({ code: "payload_too_large" });
    expect(pulled.n).toBeLessThanOrEqual(2); // the stream may prefetch one chunk
  });

  it("returns a body under the cap whole", async () => {
    const { req } = streamingRequest(3);
    expect((await readBodyCapped(req, 5 * MB, "too big")).byteLength).toBe(3 * MB);
  });
});
