/**
 * Writing a streamed download with backpressure: the database cursor waits while the reader (the
 * HTTP response) is behind, so memory stays flat however large the file.
 */
import type { PassThrough } from "node:stream";

/**
 * Write a chunk, waiting for the reader when its buffer is full. A stream closed before it drains
 * (the download was cancelled) rejects, which ends the export's transaction.
 */
export async function writeChunk(stream: PassThrough, chunk: string): Promise<void> {
  if (stream.destroyed) throw new Error("export cancelled");
  if (stream.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const onDrain = () => {
      stream.off("close", onClose);
      resolve();
    };
    const onClose = () => {
      stream.off("drain", onDrain);
      reject(new Error("export cancelled"));
    };
    stream.once("drain", onDrain);
    stream.once("close", onClose);
  });
}
