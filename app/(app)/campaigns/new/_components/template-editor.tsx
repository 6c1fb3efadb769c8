"use client";

import { useRef } from "react";
import { MERGE_FIELDS, parseTemplate, templateUcs2Characters, type MergeField } from "@/lib/campaigns/message-template";
import { MAX_BODY_CHARS } from "@/lib/sms/message-limits";

const FIELD_LABELS: Record<MergeField, string> = {
  first_name: "First name",
  last_name: "Last name",
  vehicle: "Vehicle",
  dealer_name: "Dealer name",
  rep_name: "Rep name",
};

/** What a field is inserted as: the first name with a friendly fallback, the others bare. */
const INSERTED: Record<MergeField, string> = {
  first_name: "{first_name|there}",
  last_name: "{last_name}",
  vehicle: "{vehicle|your vehicle}",
  dealer_name: "{dealer_name}",
  rep_name: "{rep_name}",
};

interface Props {
  value: string;
  onChange: (value: string) => void;
  /** Errors the server sent for this field (shown when the browser's own check found none). */
  serverErrors?: string[];
}

/**
 * The message box: buttons insert merge fields at the cursor, the template is checked as it is
 * typed (every error with its line and column; "show" selects the offending text), and characters
 * of the template's own text that force UCS-2 are named.
 */
export function TemplateEditor({ value, onChange, serverErrors }: Props) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const parsed = parseTemplate(value);
  const errors = value === "" ? [] : parsed.ok ? [] : parsed.errors;
  const ucs2 = parsed.ok ? templateUcs2Characters(parsed.template) : [];

  const insert = (text: string) => {
    const el = ref.current;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    onChange(value.slice(0, start) + text + value.slice(end));
    // Put the cursor after the inserted field once React has rendered the new value.
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + text.length, start + text.length);
    });
  };

  const select = (index: number, length: number) => {
    const el = ref.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(index, index + Math.max(1, length));
  };

  return (
    <div className="space-y-2">
      <label htmlFor="campaign-template" className="block text-sm font-medium text-slate-700">
        Message
      </label>
      <div className="flex flex-wrap gap-2" role="group" aria-label="Insert a merge field">
        {MERGE_FIELDS.map((f) => (
          <button
            key={f}
            type="button"
            onClick={() => insert(INSERTED[f])}
            className="rounded-full border border-slate-300 bg-white px-3 py-1 text-xs text-slate-700 hover:bg-slate-100"
            data-test={`campaign-insert-${f}`}
          >
            + {FIELD_LABELS[f]}
          </button>
        ))}
      </div>
      <textarea
        id="campaign-template"
        ref={ref}
        name="template"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        rows={5}
        maxLength={MAX_BODY_CHARS + 200}
        aria-invalid={errors.length > 0 || (serverErrors?.length ?? 0) > 0}
        aria-describedby="campaign-template-help"
        className="block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm"
        placeholder="Hi {first_name|there}, it's {rep_name} at {dealer_name}. Still thinking about a {vehicle}?"
        data-test="campaign-template"
      />
      <p id="campaign-template-help" className="text-xs text-slate-500">
        Merge fields are filled per lead; after a bar comes the fallback used when a lead has no value, e.g.{" "}
        <code>{"{first_name|there}"}</code>. A field with no value and no fallback is left out. Write{" "}
        <code>{"{{"}</code> and <code>{"}}"}</code> for literal braces.
      </p>
      {errors.length > 0 ? (
        // The alert wraps the list: role="alert" on the <ul> itself would hide its items' list semantics.
        <div role="alert">
          <ul className="space-y-1 text-sm text-red-700" data-test="campaign-template-errors">
            {errors.map((e, i) => (
              <li key={`${e.code}-${e.index}-${i}`} data-test="campaign-template-error" data-index={e.index}>
                {e.message}{" "}
                <button
                  type="button"
                  className="text-red-800 underline"
                  onClick={() => select(e.index, e.length)}
                  aria-label={`Show the error at line ${e.line}, column ${e.column}`}
                >
                  show
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : serverErrors?.length ? (
        <div role="alert">
          <ul className="space-y-1 text-sm text-red-700" data-test="campaign-template-errors">
            {serverErrors.map((m) => (
              <li key={m} data-test="campaign-template-error">
                {m}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {ucs2.length > 0 ? (
        <p
          className="rounded bg-amber-50 px-2 py-1 text-sm text-amber-800"
          role="status"
          data-test="campaign-ucs2-warning"
        >
          {ucs2.map((c) => `“${c}”`).join(", ")} {ucs2.length === 1 ? "is" : "are"} not in the GSM-7 alphabet: every
          message of this campaign goes out as UCS-2, 70 characters per segment instead of 160 (67 instead of 153 when
          split), which can double its cost. Replace {ucs2.length === 1 ? "it" : "them"} to send fewer segments.
        </p>
      ) : null}
    </div>
  );
}
