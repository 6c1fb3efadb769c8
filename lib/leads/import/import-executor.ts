/**
 * Where an import's encryption runs (the heaviest CPU step: about nine AES-GCM envelopes and
 * three HMACs per lead): on worker threads, so it overlaps with validation in the calling thread
 * and with Postgres writing; or, for small files or where threads cannot start, in the calling
 * thread in small slices that keep the event loop responsive. Both run runEncryptTask and give
 * the same result.
 *
 * Worker entry: a bundled server build (Next.js) compiles `new Worker(new URL("./import-worker.ts",
 * import.meta.url))` into its own chunk. Run from TypeScript source (tsx, vitest) there is nothing
 * compiled, so the worker loads the source through tsx's require hook (a dev dependency).
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { runEncryptTask, type EncryptContext, type NewLeadItem } from "./encrypt-task";

export interface EncryptionExecutor {
  /** Worker threads in use (0 = the calling thread). */
  readonly threads: number;
  /** See runEncryptTask: the batch's JSON array. Queued until a thread is free. */
  encrypt(items: NewLeadItem[]): Promise<string>;
  close(): Promise<void>;
}

const MAX_WORKERS = 4;
// A task holds one batch; a worker never needs more. Tight limits make V8 collect early, so the
// process's peak memory stays near its live data instead of growing with garbage.
const WORKER_LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 };
const START_TIMEOUT_MS = 15_000;
const SLICE_ROWS = 250;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Worker threads worth starting for `rows` rows: none for small files (starting one costs more
 * than it saves), else one per core but one (the calling thread validates and drives Postgres).
 */
export function defaultWorkerCount(rows: number): number {
  if (rows < 5_000) return 0;
  return Math.max(1, Math.min(MAX_WORKERS, availableParallelism() - 1));
}

/** Encrypts in the calling thread, a slice at a time so other work (and I/O) can interleave. */
async function encryptInThread(items: NewLeadItem[], ctx: EncryptContext): Promise<string> {
  const pieces: string[] = [];
  for (let start = 0; start < items.length; start += SLICE_ROWS) {
    pieces.push(runEncryptTask(items.slice(start, start + SLICE_ROWS), ctx).slice(1, -1));
    await yieldToEventLoop();
  }
  return `[${pieces.filter((p) => p !== "").join(",")}]`;
}

function inThreadExecutor(ctx: EncryptContext): EncryptionExecutor {
  return {
    threads: 0,
    encrypt: (items) => encryptInThread(items, ctx),
    async close() {},
  };
}

const RUNNING_FROM_SOURCE = import.meta.url.endsWith(".ts");

function spawnWorker(workerData: EncryptContext): Worker {
  if (RUNNING_FROM_SOURCE) {
    // A string path, not new URL(), so bundlers do not mistake this branch for an asset.
    const entry = decodeURIComponent(new globalThis.URL(import.meta.url).pathname).replace(
      /[^/]*$/,
      "import-worker.ts",
    );
    return new Worker(`require("tsx/cjs"); require(${JSON.stringify(entry)});`, {
      eval: true,
      workerData,
      resourceLimits: WORKER_LIMITS,
    });
  }
  return new Worker(new URL("./import-worker.ts", import.meta.url), { workerData, resourceLimits: WORKER_LIMITS });
}

interface Job {
  items: NewLeadItem[];
  resolve: (json: string) => void;
  reject: (err: Error) => void;
}

async function workerExecutor(ctx: EncryptContext, count: number): Promise<EncryptionExecutor> {
  const slots: { worker: Worker; job: Job | null }[] = [];
  const queue: Job[] = [];
  let broken: Error | null = null;
  const fail = (err: Error) => {
    broken ??= err;
    for (const job of [...queue.splice(0), ...slots.map((s) => s.job)]) job?.reject(err);
  };
  /** Hands queued jobs to idle workers, one job per worker at a time. */
  const dispatch = () => {
    for (const slot of slots) {
      if (slot.job || queue.length === 0) continue;
      slot.job = queue.shift()!;
      slot.worker.postMessage({ items: slot.job.items });
    }
  };
  try {
    await Promise.all(
      Array.from({ length: count }, async () => {
        const worker = spawnWorker(ctx);
        const slot: { worker: Worker; job: Job | null } = { worker, job: null };
        slots.push(slot);
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error("import worker did not start in time")), START_TIMEOUT_MS);
          worker.once("error", (err) => (clearTimeout(timer), reject(err)));
          worker.once("message", () => (clearTimeout(timer), resolve()));
        });
        worker.on("message", (msg: { ok: boolean; result?: string; message?: string }) => {
          const job = slot.job;
          slot.job = null;
          if (msg.ok) job?.resolve(msg.result!);
          else job?.reject(new Error(`import worker task failed: ${msg.message}`));
          dispatch();
        });
        worker.on("error", (err) => fail(err));
        worker.on("exit", (code) => code !== 0 && fail(new Error(`import worker exited with code ${code}`)));
      }),
    );
  } catch (err) {
    await Promise.all(slots.map((s) => s.worker.terminate()));
    throw err;
  }

  return {
    threads: count,
    encrypt(items) {
      if (broken) return Promise.reject(broken);
      const done = new Promise<string>((resolve, reject) => queue.push({ items, resolve, reject }));
      dispatch();
      return done;
    },
    async close() {
      fail(new Error("import executor closed"));
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}

/**
 * An executor with `workers` threads (0 = the calling thread). If threads cannot start (no
 * worker support on the host, no tsx when running from source) it falls back to the calling
 * thread: slower, never different.
 */
export async function startEncryptionExecutor(ctx: EncryptContext, workers: number): Promise<EncryptionExecutor> {
  if (workers <= 0) return inThreadExecutor(ctx);
  try {
    return await workerExecutor(ctx, workers);
  } catch (err) {
    console.warn(
      `[leads.import] worker threads unavailable, encrypting in-thread: ${String((err as Error)?.message ?? err).slice(0, 200)}`,
    );
    return inThreadExecutor(ctx);
  }
}
