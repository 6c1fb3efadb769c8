#!/usr/bin/env node
/**
 * Adds lockfile entries for platform-specific optional dependencies that the registry mirror of
 * this workplace does not serve (darwin, win32, android, freebsd, wasm builds of next/swc,
 * tailwind's oxide, esbuild, ...). npm 11 writes no entry for a package it cannot resolve, and then
 * `npm ci` refuses the lockfile as "out of sync". Each stub names only the version and the platform
 * guessed from the package name; npm skips it on Linux (wrong os/cpu) and would resolve it from the
 * registry on a platform that needs it.
 *
 * Run after every `npm install` that changes package-lock.json:  node .ci/complete-lockfile.mjs
 */
import fs from "node:fs";

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(fs.readFileSync(path, "utf8"));
const packages = lock.packages;

const OS = ["darwin", "win32", "linux", "android", "freebsd", "openbsd", "netbsd", "sunos", "aix", "openharmony"];
const CPU = ["arm64", "x64", "ia32", "arm", "loong64", "mips64el", "ppc64", "riscv64", "s390x", "wasm32"];

function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const os = OS.find((o) => parts.includes(o));
  const cpu = CPU.find((c) => parts.some((p) => p === c || p.startsWith(c)));
  return { ...(os ? { os: [os] } : {}), ...(cpu ? { cpu: [cpu] } : {}) };
}

let added = 0;
for (const [location, pkg] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    // Resolution as npm does it: nested node_modules first, then up to the root.
    const base = location ? `${location}/node_modules/${dep}` : `node_modules/${dep}`;
    if (packages[base] || packages[`node_modules/${dep}`]) continue;
    if (!/^\d+\.\d+\.\d+/.test(version)) continue;
    packages[`node_modules/${dep}`] = { version, dev: pkg.dev || undefined, optional: true, ...platformOf(dep) };
    added++;
  }
}
fs.writeFileSync(path, stringifyLikeNpm(lock));
console.log(`complete-lockfile: added ${added} platform stub entr${added === 1 ? "y" : "ies"}`);

/**
 * Serialises the lockfile exactly as npm does (arborist's Shrinkwrap uses json-stringify-nice with
 * these preferred keys), so that a later `npm install` finds nothing to rewrite: in every object,
 * scalars and arrays before objects; within each group the preferred keys in their order, then the
 * rest by `localeCompare(..., "en")`.
 */
function stringifyLikeNpm(value) {
  const preferred = [
    "name",
    "version",
    "lockfileVersion",
    "resolved",
    "integrity",
    "requires",
    "packages",
    "dependencies",
  ];
  const isObject = (v) => !!v && typeof v === "object" && !Array.isArray(v);
  const rank = (k) => (preferred.includes(k) ? preferred.indexOf(k) : preferred.length);
  const compareKeys = (a, b) => rank(a) - rank(b) || (rank(a) === preferred.length ? a.localeCompare(b, "en") : 0);
  const replacer = (_key, v) =>
    isObject(v)
      ? Object.fromEntries(
          Object.entries(v).sort(
            ([ak, av], [bk, bv]) => Number(isObject(av)) - Number(isObject(bv)) || compareKeys(ak, bk),
          ),
        )
      : v;
  return `${JSON.stringify(value, replacer, 2)}\n`;
}
