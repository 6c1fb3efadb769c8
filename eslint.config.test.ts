import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/**
 * The import boundaries in eslint.config.mjs, checked on small sources linted as if they lived at
 * the given path (the imported files are real; the importing ones need not exist).
 */
const eslint = new ESLint({ cwd: import.meta.dirname });

async function boundaryErrors(filePath: string, specifier: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import * as m from "${specifier}";\nexport const used = m;\n`, { filePath });
  return result!.messages.filter((m) => m.ruleId === "import/no-restricted-paths").map((m) => m.message);
}

describe("import boundaries", () => {
  it.each([
    ["lib/leads/fixture.ts", "@/app/(app)/leads/actions", "lib/ is domain code"],
    ["lib/leads/fixture.ts", "@/local-stack/config", "lib/ is domain code"],
    ["app/(app)/dashboard/fixture.ts", "@/local-stack/twilio/emulator-client", "Only local-stack/ and tests"],
    ["middleware.ts", "./local-stack/config", "Only local-stack/ and tests"],
    ["supabase/fixture.ts", "@/local-stack/config", "Only local-stack/ and tests"],
    ["app/local/phone/fixture.ts", "@/local-stack/config", "app/local may import only"],
    [
      "app/(app)/inbox/_components/fixture.tsx",
      "../../leads/_components/lead-edit-form",
      "is private to app/(app)/leads",
    ],
    [
      "app/(app)/leads/[leadId]/fixture.tsx",
      "@/app/(app)/leads/do-not-contact/_components/add-numbers-form",
      "private to",
    ],
    ["app/login/fixture.tsx", "@/app/(app)/_components/nav-links", "private to app/(app);"],
    ["app/api/me/fixture.ts", "@/app/local/phone/_components/test-phone", "private to app/local/phone"],
  ])("%s may not import %s", async (file, specifier, expected) => {
    const errors = await boundaryErrors(file, specifier);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(expected);
  });

  it.each([
    ["lib/leads/fixture.test.ts", "@/local-stack/test-fixtures"],
    ["e2e/fixture/fixture.po.ts", "../../local-stack/twilio/emulator-client"],
    ["local-stack/bench/fixture.ts", "@/lib/leads/import/import-leads"],
    ["app/local/phone/fixture.ts", "@/local-stack/twilio/emulator-client"],
    ["app/(app)/leads/[leadId]/fixture.tsx", "../_components/lead-edit-form"],
    ["app/(app)/leads/do-not-contact/fixture.tsx", "../_components/lead-edit-form"],
    ["app/(app)/settings/fixture.tsx", "@/app/(app)/_components/nav-links"],
  ])("%s may import %s", async (file, specifier) => {
    expect(await boundaryErrors(file, specifier)).toEqual([]);
  });
});
