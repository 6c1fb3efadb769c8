import fs from "node:fs";
import path from "node:path";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const root = import.meta.dirname;
const TESTS = ["**/*.test.ts", "**/*.test.tsx", "e2e/**"];

/** A path for import/no-restricted-paths: absolute, and a literal even when a folder is `[leadId]`. */
function zonePath(relative) {
  const absolute = path.join(root, relative);
  // The rule treats a path with glob characters as a glob; escape them and match the subtree.
  return /[[\]{}*?!]/.test(absolute) ? `${absolute.replace(/[[\]{}*?!()]/g, "\\$&")}{,/**}` : absolute;
}

/** Everything under app/ that is not `owner` or inside it: the siblings along the path down to it. */
function appOutside(owner) {
  const out = [];
  const parts = owner.split("/");
  for (let i = 1; i < parts.length; i++) {
    const dir = parts.slice(0, i).join("/");
    for (const entry of fs.readdirSync(path.join(root, dir))) {
      if (entry !== parts[i]) out.push(zonePath(`${dir}/${entry}`));
    }
  }
  return out;
}

/** Every route-private folder (`_components`) in app/, with the route folder that owns it. */
function routePrivateFolders(dir = "app") {
  const found = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const child = `${dir}/${entry.name}`;
    if (entry.name === "_components") found.push({ folder: child, owner: dir });
    else found.push(...routePrivateFolders(child));
  }
  return found;
}

// Import boundaries (issue 9): lib/ is domain code and never reaches into app/ or the local stack;
// only local-stack/ itself and tests use the emulators; a route's `_components` serve that route and
// the routes below it, so anything shared moves up to a common parent (e.g. app/(app)/_components).
const boundaries = [
  {
    name: "boundaries/production-code",
    files: ["**/*.{ts,tsx,mjs}"],
    ignores: TESTS,
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: zonePath("lib"),
              from: [zonePath("app"), zonePath("local-stack")],
              message: "lib/ is domain code: it never imports app/ or local-stack/.",
            },
            {
              target: [
                ...appOutside("app/local"),
                zonePath("supabase"),
                zonePath("middleware.ts"),
                zonePath("instrumentation.ts"),
              ],
              from: zonePath("local-stack"),
              message: "Only local-stack/ and tests import the local stack and its emulators.",
            },
            {
              // The local test phone (served in local mode only) is the emulator's UI; it may use the
              // emulator's client and nothing else of the local stack.
              target: zonePath("app/local"),
              from: zonePath("local-stack"),
              except: ["./twilio/emulator-client.ts", "./auth/mailbox-client.ts"],
              message:
                "app/local may import only the emulators' clients (twilio/emulator-client.ts, auth/mailbox-client.ts).",
            },
            ...routePrivateFolders().map(({ folder, owner }) => ({
              target: appOutside(owner),
              from: zonePath(folder),
              message: `${folder} is private to ${owner}; move what another route needs to a shared parent's _components.`,
            })),
          ],
        },
      ],
    },
  },
];

const config = [
  ...nextVitals,
  ...nextTs,
  ...boundaries,
  {
    ignores: [
      ".next/**",
      ".local-stack/**",
      ".scratch/**",
      "node_modules/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
];

export default config;
