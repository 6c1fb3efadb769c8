/**
 * Where an uploaded CSV's bytes are, read as a sequence of chunks so nothing downstream needs the
 * whole file as one buffer or one string: in memory (one buffer, or the chunks the upload arrived
 * in, never joined) or in a file (read a chunk at a time).
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

export type CsvSource = Uint8Array | { chunks: readonly Uint8Array[] } | { path: string };

/** Bytes per chunk read: big enough to amortize parser calls, small enough to keep memory flat. */
export const CSV_CHUNK_BYTES = 256 * 1024;

/** The source's size in bytes. */
export function csvSourceSize(source: CsvSource): number {
  if (source instanceof Uint8Array) return source.byteLength;
  if ("chunks" in source) return source.chunks.reduce((n, c) => n + c.byteLength, 0);
  const fd = openSync(source.path, "r");
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

/** The source's bytes, chunk by chunk (views, not copies, for memory sources). */
export function* csvSourceChunks(source: CsvSource, chunkBytes: number = CSV_CHUNK_BYTES): Generator<Uint8Array> {
  if (source instanceof Uint8Array) {
    for (let at = 0; at < source.byteLength; at += chunkBytes) yield source.subarray(at, at + chunkBytes);
    return;
  }
  if ("chunks" in source) {
    for (const chunk of source.chunks) {
      for (let at = 0; at < chunk.byteLength; at += chunkBytes) yield chunk.subarray(at, at + chunkBytes);
    }
    return;
  }
  const fd = openSync(source.path, "r");
  try {
    for (;;) {
      // A fresh buffer per chunk: the consumer may still hold the previous one.
      const buf = new Uint8Array(chunkBytes);
      const n = readSync(fd, buf, 0, chunkBytes, null);
      if (n === 0) return;
      yield n === chunkBytes ? buf : buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}
