/**
 * Where an import's CPU work runs (import-workshop.ts: reading and validating the file, merging
 * duplicates, encrypting new leads): on a worker thread, so it overlaps with the calling thread,
 * which decides and drives Postgres; or, for small files or where a thread cannot start, in the
 * calling thread. Both give the same result.
 *
 * Memory: on the worker, the rows' text, cells and garbage live in a heap with a hard size limit,
 * where V8 collects early; the calling thread's heap (whose limit is the whole process's, and
 * which V8 lets grow to several times its live data before collecting) only sees phone blind
 * indexes and the finished insert JSON.
 *
 * Worker entry: a bundled server build (Next.js) compiles `new Worker(new URL("./import-worker.ts",
 * import.meta.url))` into its own chunk. Run from TypeScript source (tsx, vitest) there is nothing
 * compiled, so the worker loads the source through tsx's require hook (a dev dependency).
 */
import { Worker } from "node:worker_threads";
import { logger } from "@/lib/observability/logger";
import type { CsvSource } from "./csv-source";
import {
  importWorkshop,
  type BatchDecisions,
  type BatchForDecision,
  type FinishedBatch,
  type WorkshopContext,
} from "./import-workshop";

export interface ImportExecutor {
  /** Worker threads in use (0 = the calling thread). */
  readonly threads: number;
  /** The next batch of the file, validated; null past its end. Requests are answered in order. */
  nextBatch(): Promise<BatchForDecision | null>;
  /** Applies the writer's decisions to a batch and encrypts its new leads. */
  finish(decisions: BatchDecisions): Promise<FinishedBatch>;
  close(): Promise<void>;
}

/** Everything the thread needs, sent once. */
export interface ExecutorContext extends WorkshopContext {
  source: CsvSource;
}

// Tight limits make V8 collect early, so the process's peak memory stays near its live data
// instead of growing with garbage. The worker holds a few batches (about 5 MB each) and one
// 256 KB piece of text. Measured on the 100,000-row bench file: an old generation of 32 MB
// collects so often the worker needs half again its CPU; a young generation of 16 MB rather than
// 8 saves a tenth of the worker's CPU (fewer scavenges) for about 10 MB of RSS, 32 MB saves no more.
const WORKER_LIMITS = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 16 };
const START_TIMEOUT_MS = 15_000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Worker threads worth starting for `rows` rows: none for small files (starting one costs more
 * than it saves), else one (Postgres and the calling thread have the other cores' work).
 */
export function defaultWorkerCount(rows: number): number {
  return rows < 5_000 ? 0 : 1;
}

/**
 * A copy of a string that shares no memory with the text it was cut from: cells are slices of a
 * 256 KB piece of the file, and one kept cell (a rejected row) would keep its whole piece alive.
 * (From the worker, structured clone copies them anyway.)
 */
const own = (s: string): string => (s.length < 13 ? s : Buffer.from(s, "utf8").toString("utf8"));

function inThreadExecutor(ctx: ExecutorContext): ImportExecutor {
  const workshop = importWorkshop(ctx.source, ctx);
  let queue: Promise<unknown> = Promise.resolve();
  // One step at a time, in order, each after a turn of the event loop.
  const step = <T>(fn: () => T): Promise<T> => {
    const next = queue.then(async () => {
      await yieldToEventLoop();
      return fn();
    });
    queue = next.catch(() => {});
    return next;
  };
  return {
    threads: 0,
    nextBatch: () =>
      step(() => {
        const batch = workshop.next();
        if (batch) for (const r of batch.rejected) r.cells = r.cells.map(own);
        return batch;
      }),
    finish: (decisions) => step(() => workshop.finish(decisions)),
    async close() {},
  };
}

const RUNNING_FROM_SOURCE = import.meta.url.endsWith(".ts");

function spawnWorker(workerData: ExecutorContext): Worker {
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

/** A request to the worker and how to answer its caller. */
interface Job {
  message: { type: "next" } | { type: "finish"; decisions: BatchDecisions };
  resolve: (value: never) => void;
  reject: (err: Error) => void;
}

async function workerExecutor(ctx: ExecutorContext): Promise<ImportExecutor> {
  const worker = spawnWorker(ctx);
  const queue: Job[] = [];
  let current: Job | null = null;
  let broken: Error | null = null;
  const fail = (err: Error) => {
    broken ??= err;
    for (const job of [...queue.splice(0), current]) job?.reject(err);
    current = null;
  };
  /** One request at a time, first come, first served. */
  const dispatch = () => {
    if (current || queue.length === 0) return;
    current = queue.shift()!;
    worker.postMessage(current.message);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("import worker did not start in time")), START_TIMEOUT_MS);
      worker.once("error", (err) => (clearTimeout(timer), reject(err)));
      worker.once("message", () => (clearTimeout(timer), resolve()));
    });
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  worker.on("message", (msg: { ok: boolean; result?: never; message?: string }) => {
    const job = current;
    current = null;
    if (msg.ok) job?.resolve(msg.result as never);
    else job?.reject(new Error(`import worker task failed: ${msg.message}`));
    dispatch();
  });
  worker.on("error", (err) => fail(err));
  worker.on("exit", (code) => code !== 0 && fail(new Error(`import worker exited with code ${code}`)));

  const submit = <T>(message: Job["message"]): Promise<T> => {
    if (broken) return Promise.reject(broken);
    const done = new Promise<T>((resolve, reject) =>
      queue.push({ message, resolve: resolve as (value: never) => void, reject }),
    );
    dispatch();
    return done;
  };
  return {
    threads: 1,
    nextBatch: () => submit<BatchForDecision | null>({ type: "next" }),
    finish: (decisions) => submit<FinishedBatch>({ type: "finish", decisions }),
    async close() {
      fail(new Error("import executor closed"));
      await worker.terminate();
    },
  };
}

/**
 * An executor on a worker thread (`workers` > 0) or in the calling thread (0). If the thread
 * cannot start (no worker support on the host, no tsx when running from source) it falls back
 * to the calling thread: slower, never different.
 */
export async function startImportExecutor(ctx: ExecutorContext, workers: number): Promise<ImportExecutor> {
  if (workers <= 0) return inThreadExecutor(ctx);
  try {
    return await workerExecutor(ctx);
  } catch (err) {
    logger().warn(
      { event: "import_worker_unavailable", detail: String((err as Error)?.message ?? err).slice(0, 200) },
      "import worker thread unavailable, working in-thread",
    );
    return inThreadExecutor(ctx);
  }
}
