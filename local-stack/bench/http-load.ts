/**
 * A closed-loop HTTP load generator for the benchmarks: `concurrency` workers on keep-alive
 * connections, each sending its next request as soon as the previous answer arrived, until the
 * requests or the time run out. Bounded by design; loopback only.
 */
import http from "node:http";

/** One prepared request (bodies and headers are built before the clock starts). */
export interface PreparedRequest {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** What a run measured. */
export interface LoadResult {
  sent: number;
  seconds: number;
  perSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  statuses: Record<number, number>;
  /** Index of each request answered 200 (to check against the database afterwards). */
  ok: Set<number>;
  errors: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function send(agent: http.Agent, host: string, port: number, r: PreparedRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, agent, method: r.method, path: r.path, headers: r.headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(r.body);
  });
}

/** Send `requests` (in order, `concurrency` at a time) to host:port; stop early after `maxSeconds`. */
export async function runLoad(opts: {
  host: string;
  port: number;
  requests: PreparedRequest[];
  concurrency: number;
  maxSeconds: number;
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const latencies = new Float64Array(opts.requests.length);
  const statuses: Record<number, number> = {};
  const ok = new Set<number>();
  let next = 0;
  let done = 0;
  let errors = 0;
  const start = performance.now();
  const deadline = start + opts.maxSeconds * 1000;
  const worker = async () => {
    while (next < opts.requests.length && performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      try {
        const status = await send(agent, opts.host, opts.port, opts.requests[i]!);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status === 200) ok.add(i);
      } catch {
        errors++;
      }
      latencies[done++] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  const sorted = latencies.slice(0, done).sort();
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    sent: done,
    seconds: round(seconds),
    perSecond: Math.round(done / seconds),
    latencyMs: {
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted[sorted.length - 1] ?? 0),
    },
    statuses,
    ok,
    errors,
  };
}
