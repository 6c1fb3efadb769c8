"use client";

import type { PreviewResponse } from "./import-types";

interface Props {
  preview: PreviewResponse;
  mapping: Record<string, string>;
  fieldOptions: { value: string; label: string }[];
  onChange: (header: string, field: string) => void;
}

/** One row per CSV column: its header, sample values, and the lead field it fills. */
export function MappingReview({ preview, mapping, fieldOptions, onChange }: Props) {
  return (
    <table className="w-full text-left text-sm" data-test="import-mapping">
      <thead className="text-slate-500">
        <tr>
          <th className="py-1 pr-4">Column in your file</th>
          <th className="py-1 pr-4">Sample</th>
          <th className="py-1">Lead field</th>
        </tr>
      </thead>
      <tbody>
        {preview.headers.map((header, i) => (
          <tr key={header} className="border-t border-slate-100" data-test="import-mapping-row">
            <td className="py-1 pr-4 font-medium">{header}</td>
            <td className="max-w-xs truncate py-1 pr-4 text-slate-500">
              {preview.rows
                .slice(0, 3)
                .map((r) => r.cells[i])
                .filter(Boolean)
                .join(" · ")}
            </td>
            <td className="py-1">
              <select
                value={mapping[header] ?? ""}
                onChange={(e) => onChange(header, e.target.value)}
                aria-label={`Field for ${header}`}
                data-test={`import-field-${i}`}
                className="rounded-md border border-slate-300 px-2 py-1"
              >
                <option value="">Don&apos;t import</option>
                {fieldOptions.map((f) => (
                  <option key={f.value} value={f.value}>
                    {f.label}
                  </option>
                ))}
              </select>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
