/**
 * How busy the machine was during a benchmark phase, and how much of it was this benchmark (its
 * own process and every descendant: Postgres, `next start`) versus anything else running on the
 * machine. Figures from a shared 2-core box mean little without it. Linux /proc only.
 */
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";

interface Snapshot {
  at: number;
  busyTicks: number;
  oursTicks: number;
}

/** Per-process CPU ticks (user + system) and parent, from /proc/<pid>/stat. */
function processTicks(): Map<number, { ppid: number; ticks: number }> {
  const out = new Map<number, { ppid: number; ticks: number }>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // Fields after "(comm)": state ppid … utime(14) stime(15), counted from the pid as field 1.
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(Number(name), { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) });
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** A snapshot of machine-wide busy ticks and those of rootPid's process tree. */
export function cpuSnapshot(rootPid = process.pid): Snapshot {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user + nice + system: what per-process utime/stime add up to (interrupt time is nobody's).
  const busyTicks = fields[0]! + fields[1]! + fields[2]!;
  const procs = processTicks();
  const ours = new Set([rootPid]);
  // Parents can appear after their children in /proc order, so repeat until nothing is added.
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, p] of procs) {
      if (!ours.has(pid) && ours.has(p.ppid)) {
        ours.add(pid);
        grew = true;
      }
    }
  }
  let oursTicks = 0;
  for (const pid of ours) oursTicks += procs.get(pid)?.ticks ?? 0;
  return { at: performance.now(), busyTicks, oursTicks };
}

/** Cores used by this benchmark and by everything else between two snapshots. */
export function cpuBetween(a: Snapshot, b: Snapshot): { ours: number; others: number; cores: number } {
  const seconds = (b.at - a.at) / 1000;
  const hz = 100; // USER_HZ on Linux
  const ours = (b.oursTicks - a.oursTicks) / hz / seconds;
  const busy = (b.busyTicks - a.busyTicks) / hz / seconds;
  const round = (n: number) => Math.round(n * 100) / 100;
  return { ours: round(ours), others: round(Math.max(0, busy - ours)), cores: os.cpus().length };
}
