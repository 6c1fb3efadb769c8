import { MockLanguageModelV3 } from "ai/test";
import { describe, expect, it } from "vitest";
import { classifyReplyIntent } from "./classify-reply";
import { classifyReplyWithLlm, draftReplyWithLlm, languageModelFor, llmSettingsFromEnv } from "./llm-triage";

type GenerateResult = Awaited<ReturnType<MockLanguageModelV3["doGenerate"]>>;

function answer(text: string): GenerateResult {
  return {
    content: [{ type: "text", text }],
    finishReason: { unified: "stop", raw: "stop" },
    usage: {
      inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: 5, text: 5, reasoning: undefined },
    },
    warnings: [],
  };
}

const fallback = classifyReplyIntent;

/** Everything the model was sent, as one string. */
function sentText(model: MockLanguageModelV3): string {
  return JSON.stringify(model.doGenerateCalls.map((c) => c.prompt));
}

describe("classifyReplyWithLlm", () => {
  it("uses the model's structured answer and sends only the reply's text", async () => {
    const model = new MockLanguageModelV3({
      doGenerate: async () => answer('{"intent":"question","confidence":0.92}'),
    });
    const verdict = await classifyReplyWithLlm("how much for the blue one?", { model, timeoutMs: 1000, fallback });
    expect(verdict).toEqual({ intent: "question", confidence: 0.92, provider: "llm" });
    expect(model.doGenerateCalls).toHaveLength(1);
    const sent = sentText(model);
    expect(sent).toContain("how much for the blue one?");
    // The call carries the instructions and the reply, nothing about the lead.
    expect(model.doGenerateCalls[0]!.responseFormat).toMatchObject({ type: "json" });
    expect(sent).not.toMatch(/\+1\d{10}|Northside|lead/i);
  });

  it("falls back to the embedded classifier when the model answers outside the intent list", async () => {
    const model = new MockLanguageModelV3({ doGenerate: async () => answer('{"intent":"buy_now","confidence":1}') });
    const verdict = await classifyReplyWithLlm("yep still shopping for a minivan", {
      model,
      timeoutMs: 1000,
      fallback,
    });
    expect(verdict).toMatchObject({ intent: "interested", provider: "embedded" });
  });

  it("falls back on a provider error", async () => {
    const model = new MockLanguageModelV3({
      doGenerate: async () => {
        throw new Error("503 from provider");
      },
    });
    const verdict = await classifyReplyWithLlm("just call my cell", { model, timeoutMs: 1000, fallback });
    expect(verdict).toMatchObject({ intent: "call_me", provider: "embedded", fallbackReason: "Error" });
  });

  it("falls back when the model does not answer in time", async () => {
    const model = new MockLanguageModelV3({
      doGenerate: ({ abortSignal }) =>
        new Promise<GenerateResult>((_, reject) => {
          abortSignal?.addEventListener("abort", () => reject(abortSignal.reason));
        }),
    });
    const started = Date.now();
    const verdict = await classifyReplyWithLlm("check back with me in March", { model, timeoutMs: 100, fallback });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(verdict).toMatchObject({ intent: "not_now", provider: "embedded" });
  });

  it("never asks the model about a reply the sure rules decide (an opt-out stays an opt-out)", async () => {
    const model = new MockLanguageModelV3({
      doGenerate: async () => answer('{"intent":"interested","confidence":0.99}'),
    });
    const verdict = await classifyReplyWithLlm("STOP", { model, timeoutMs: 1000, fallback });
    expect(verdict).toMatchObject({ intent: "opt_out", provider: "embedded" });
    expect(model.doGenerateCalls).toHaveLength(0);
  });
});

describe("draftReplyWithLlm", () => {
  const template = "Hi {{first_name}}, thanks! When could you come by {{dealership}}?";

  it("returns the model's draft when it keeps the merge fields", async () => {
    const draft = "Hi {{first_name}}! The Tahoe is still here; when could you come by {{dealership}}?";
    const model = new MockLanguageModelV3({ doGenerate: async () => answer(draft) });
    expect(await draftReplyWithLlm("is the Tahoe still there?", template, { model, timeoutMs: 1000 })).toEqual({
      text: draft,
      provider: "llm",
    });
    // The template travels with its fields unfilled: no name leaves the process.
    expect(sentText(model)).toContain("{{first_name}}");
  });

  it("keeps the template when the draft drops a merge field or the call fails", async () => {
    const dropped = new MockLanguageModelV3({ doGenerate: async () => answer("Hi Maria, come by!") });
    expect(await draftReplyWithLlm("hi", template, { model: dropped, timeoutMs: 1000 })).toEqual({
      text: template,
      provider: "template",
    });
    const failing = new MockLanguageModelV3({
      doGenerate: async () => {
        throw new Error("boom");
      },
    });
    expect((await draftReplyWithLlm("hi", template, { model: failing, timeoutMs: 1000 })).provider).toBe("template");
  });
});

describe("llmSettingsFromEnv", () => {
  it("is off unless a provider is configured", () => {
    expect(llmSettingsFromEnv({})).toBeNull();
  });

  it("reads a configured provider, and refuses one without a key", () => {
    expect(llmSettingsFromEnv({ TRIAGE_LLM_PROVIDER: "gateway", TRIAGE_LLM_API_KEY: "k" })).toMatchObject({
      provider: "gateway",
      modelId: "openai/gpt-4o-mini",
      timeoutMs: 3000,
    });
    expect(() => llmSettingsFromEnv({ TRIAGE_LLM_PROVIDER: "gateway" })).toThrow(/TRIAGE_LLM_API_KEY/);
    expect(() => llmSettingsFromEnv({ TRIAGE_LLM_PROVIDER: "someone-else", TRIAGE_LLM_API_KEY: "k" })).toThrow();
  });
});

describe("languageModelFor", () => {
  it("names the configured model through the AI Gateway (no call is made)", () => {
    const model = languageModelFor({
      provider: "gateway",
      apiKey: "k",
      modelId: "openai/gpt-4o-mini",
      timeoutMs: 1000,
    });
    expect(model).toMatchObject({ modelId: "openai/gpt-4o-mini" });
  });
});
