import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

describe("npm run -s triage:classify", () => {
  it("writes one JSON object per input line and nothing else on stdout", () => {
    const input = ["quit sending me these", "could I swing by Wednesday around 3?", "🙏", "", "ya tenemos carro nuevo"];
    const run = spawnSync(process.execPath, ["--import", "tsx", "lib/triage/classify.cli.ts"], {
      cwd: root,
      input: input.join("\n") + "\n",
      encoding: "utf8",
      env: { ...process.env, TRIAGE_TIME_ZONE: "America/Chicago" },
      timeout: 30_000,
    });
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(input.length);
    const out = lines.map((l) => JSON.parse(l) as { intent: string; confidence: number; date: string | null });
    for (const o of out) {
      expect(Object.keys(o).sort()).toEqual(["confidence", "date", "intent"]);
      expect(o.confidence).toBeGreaterThanOrEqual(0);
      expect(o.confidence).toBeLessThanOrEqual(1);
    }
    expect(out.map((o) => o.intent)).toEqual(["opt_out", "appointment", "other", "other", "already_bought"]);
    expect(out[1]!.date).toMatch(/^\d{4}-\d\d-\d\dT15:00:00-0[56]:00$/);
    expect(out[0]!.date).toBeNull();
  });
});
