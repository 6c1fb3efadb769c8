"use client";

import { startTransition, useActionState, useState } from "react";
import { parseTemplate } from "@/lib/campaigns/message-template";
import type { SegmentCount } from "@/lib/sms/segments";
import { SegmentCounter } from "../../../_components/segment-counter";
import { launchCampaignAction } from "../../actions";
import { AudienceFilters, type AudienceDraft, type Option } from "./audience-filters";
import { TemplateEditor } from "./template-editor";
import { useLiveJson } from "./use-live-json";

interface AudienceCount {
  eligible: number;
  excluded: Record<string, number>;
}
interface Preview {
  leadId: string;
  body: string;
  segments: SegmentCount;
  firstMessage: boolean;
}

interface Props {
  /** Generated when the page rendered: a double click or a resubmitted form launches once. */
  idempotencyKey: string;
  sendingNumbers: Option[];
  sources: Option[];
  team: Option[];
  imports: Option[];
  optOutFooter: string;
  dealershipName: string;
  /** How each exclusion reason reads (lib/campaigns/audience.ts), in the order they are tried. */
  exclusionLabels: Record<string, string>;
}

/** Fields whose errors are shown beside them. */
const SHOWN_FIELDS = new Set(["name", "sendingNumberId", "audience", "template", "scheduledAt"]);

const inputClass = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1";

/**
 * The campaign composer: name, sender, audience (with a live count and the exclusions by reason),
 * message (merge fields, errors with positions, previews rendered on the server for real leads of
 * the audience, each with its segments and encoding), and launch now or at a time. Every refusal
 * of the server (validation, permission, the launch rate limit) is shown in the form, and what was
 * typed stays.
 */
export function CampaignComposer(props: Props) {
  const [state, action, pending] = useActionState<Awaited<ReturnType<typeof launchCampaignAction>> | null, FormData>(
    launchCampaignAction,
    null,
  );
  const [name, setName] = useState("");
  const [template, setTemplate] = useState("");
  const [audience, setAudience] = useState<AudienceDraft>({ status: [] });
  const [when, setWhen] = useState<"now" | "later">("now");
  const [localTime, setLocalTime] = useState("");

  const templateOk = parseTemplate(template).ok;
  const count = useLiveJson<AudienceCount>("/api/campaigns/audience", { audience }, true);
  const previews = useLiveJson<{ previews: Preview[] }>(
    "/api/campaigns/preview",
    { audience, template },
    templateOk,
    600,
  );
  const fieldErrors = state && !state.ok ? (state.error.fieldErrors ?? {}) : {};
  const fieldError = (key: string) => fieldErrors[key]?.[0];
  // Refusals about no field shown here (the idempotency key, the campaign) go with the form's message.
  const otherErrors = Object.entries(fieldErrors)
    .filter(([key]) => !SHOWN_FIELDS.has(key))
    .flatMap(([, messages]) => messages);
  const scheduledAt = when === "later" && localTime ? new Date(localTime) : null;
  const eligible = count.data?.eligible ?? null;
  const excluded = Object.entries(count.data?.excluded ?? {}).filter(([, n]) => n > 0);

  return (
    <form
      method="post"
      // A transition, not the form's action prop: a refused launch keeps everything typed.
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => action(data));
      }}
      className="grid grid-cols-1 gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]"
      data-test="campaign-composer"
    >
      <input type="hidden" name="idempotencyKey" value={props.idempotencyKey} />
      <input type="hidden" name="audience" value={JSON.stringify(audience)} />
      <input
        type="hidden"
        name="scheduledAt"
        value={scheduledAt && !Number.isNaN(scheduledAt.getTime()) ? scheduledAt.toISOString() : ""}
      />

      <div className="space-y-6">
        <div className="space-y-4 rounded-lg bg-white p-6 shadow-sm">
          <h2 className="font-semibold">Campaign</h2>
          <label className="block text-sm">
            <span className="text-slate-600">Name (staff only; leads never see it)</span>
            <input
              name="name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={120}
              required
              className={inputClass}
              data-test="campaign-name"
            />
            {fieldError("name") ? <span className="text-xs text-red-700">{fieldError("name")}</span> : null}
          </label>
          <label className="block text-sm">
            <span className="text-slate-600">Send from</span>
            <select
              name="sendingNumberId"
              defaultValue={props.sendingNumbers[0]?.id ?? ""}
              className={inputClass}
              data-test="campaign-sending-number"
            >
              {props.sendingNumbers.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.label}
                </option>
              ))}
            </select>
            {fieldError("sendingNumberId") ? (
              <span className="text-xs text-red-700">{fieldError("sendingNumberId")}</span>
            ) : null}
          </label>
        </div>

        <div className="space-y-4 rounded-lg bg-white p-6 shadow-sm">
          <h2 className="font-semibold">Audience</h2>
          <AudienceFilters
            value={audience}
            onChange={setAudience}
            sources={props.sources}
            team={props.team}
            imports={props.imports}
          />
          {fieldError("audience") ? <p className="text-sm text-red-700">{fieldError("audience")}</p> : null}
        </div>

        <div className="space-y-4 rounded-lg bg-white p-6 shadow-sm">
          <TemplateEditor value={template} onChange={setTemplate} serverErrors={fieldErrors.template} />
          <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700" data-test="campaign-footer-note">
            The first text a lead ever receives from {props.dealershipName} ends with the opt-out line “
            <span data-test="campaign-footer-text">{props.optOutFooter}</span>”, added automatically; later texts go
            without it.
          </p>
        </div>

        <div className="space-y-4 rounded-lg bg-white p-6 shadow-sm">
          <h2 className="font-semibold">When</h2>
          <fieldset className="space-y-2 text-sm">
            <legend className="sr-only">When to send</legend>
            <label className="flex items-center gap-2">
              <input
                type="radio"
                name="when"
                value="now"
                checked={when === "now"}
                onChange={() => setWhen("now")}
                data-test="campaign-when-now"
              />
              Now (each lead still gets it only within the legal hours of their area code)
            </label>
            <label className="flex flex-wrap items-center gap-2">
              <input
                type="radio"
                name="when"
                value="later"
                checked={when === "later"}
                onChange={() => setWhen("later")}
                data-test="campaign-when-later"
              />
              At
              <input
                type="datetime-local"
                aria-label="Scheduled time (your time zone)"
                value={localTime}
                onChange={(e) => {
                  setLocalTime(e.target.value);
                  setWhen("later");
                }}
                className="rounded-md border border-slate-300 px-2 py-1"
                data-test="campaign-scheduled-at"
              />
              <span className="text-slate-500">your time</span>
            </label>
            {fieldError("scheduledAt") ? <p className="text-red-700">{fieldError("scheduledAt")}</p> : null}
          </fieldset>
          <div className="flex flex-wrap items-center gap-4">
            <button
              type="submit"
              disabled={pending || !templateOk || eligible === 0}
              className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white disabled:opacity-50"
              data-test="campaign-launch"
            >
              {pending
                ? "Launching…"
                : when === "later"
                  ? "Schedule campaign"
                  : `Launch now${eligible !== null ? ` to ${eligible} lead${eligible === 1 ? "" : "s"}` : ""}`}
            </button>
            {state && !state.ok ? (
              <p className="text-sm text-red-700" role="alert" data-test="campaign-error">
                {state.error.message}
                {otherErrors.map((m) => ` ${m}`).join("")}
              </p>
            ) : null}
          </div>
        </div>
      </div>

      <aside className="space-y-6">
        <div className="space-y-3 rounded-lg bg-white p-6 shadow-sm" data-test="campaign-count" aria-live="polite">
          <h2 className="font-semibold">Who gets it</h2>
          {count.data ? (
            <>
              <p className="text-3xl font-bold" data-test="campaign-eligible" data-count={count.data.eligible}>
                {count.data.eligible}
              </p>
              <p className="text-sm text-slate-600">
                lead{count.data.eligible === 1 ? "" : "s"} will be texted
                {count.loading ? <span className="text-slate-400"> · updating…</span> : null}
              </p>
              {excluded.length > 0 ? (
                <table className="w-full text-sm" data-test="campaign-excluded">
                  <caption className="text-left text-slate-600">Left out of the audience</caption>
                  <tbody>
                    {excluded.map(([reason, n]) => (
                      <tr key={reason} data-test="campaign-excluded-row" data-reason={reason}>
                        <td className="py-0.5 text-slate-700">{props.exclusionLabels[reason] ?? reason}</td>
                        <td className="py-0.5 text-right font-mono">{n}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <p className="text-sm text-slate-500">Nobody in the audience is left out.</p>
              )}
            </>
          ) : (
            <p className="text-sm text-slate-500">{count.error ?? "Counting…"}</p>
          )}
          {count.data && count.error ? (
            <p className="text-sm text-red-700" role="alert">
              {count.error}
            </p>
          ) : null}
        </div>

        <div className="space-y-3 rounded-lg bg-white p-6 shadow-sm" data-test="campaign-previews" aria-live="polite">
          <h2 className="font-semibold">Preview</h2>
          {!templateOk ? (
            <p className="text-sm text-slate-500">Write a message without errors to see it for real leads.</p>
          ) : previews.data ? (
            previews.data.previews.length === 0 ? (
              <p className="text-sm text-slate-500" data-test="campaign-preview-empty">
                No lead of this audience can be texted, so there is nothing to preview.
              </p>
            ) : (
              <ol className="space-y-3">
                {previews.data.previews.map((p, i) => (
                  <li key={p.leadId} className="space-y-1" data-test="campaign-preview">
                    <p
                      className="rounded-lg bg-brand-600 px-3 py-2 text-sm break-words whitespace-pre-wrap text-white"
                      data-test="campaign-preview-body"
                    >
                      {p.body}
                    </p>
                    <SegmentCounter count={p.segments} testId={`campaign-preview-${i}`} />
                    {p.firstMessage ? (
                      <p className="text-xs text-slate-500">First text to this lead: ends with the opt-out line.</p>
                    ) : null}
                  </li>
                ))}
              </ol>
            )
          ) : (
            <p className="text-sm text-slate-500">{previews.error ?? "Rendering…"}</p>
          )}
          {previews.data && previews.error ? (
            <p className="text-sm text-red-700" role="alert">
              {previews.error}
            </p>
          ) : null}
        </div>
      </aside>
    </form>
  );
}
