import path from "node:path";
import { defineConfig } from "vitest/config";
import { localAppEnv, stackConfig } from "./local-stack/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: [
      "*.test.ts",
      "scripts/**/*.test.ts",
      "lib/**/*.test.ts",
      "local-stack/**/*.test.ts",
      "supabase/**/*.test.ts",
      "app/**/*.test.ts",
    ],
    globalSetup: ["local-stack/vitest-global-setup.ts"],
    env: { ...localAppEnv(stackConfig("test")), NODE_ENV: "test" },
    testTimeout: 20_000,
    hookTimeout: 60_000,
    server: { deps: { inline: ["server-only"] } },
    alias: { "server-only": path.resolve(import.meta.dirname, "local-stack/empty-module.ts") },
  },
});
