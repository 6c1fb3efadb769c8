import type { PreviewResponse } from "./import-types";

/** The first rows of the file as read, each marked OK or with its problems. */
export function PreviewRows({ preview }: { preview: PreviewResponse }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-xs" data-test="import-preview">
        <thead className="bg-slate-100 text-slate-600">
          <tr>
            <th className="px-2 py-1">Row</th>
            {preview.headers.map((h) => (
              <th key={h} className="px-2 py-1 whitespace-nowrap">
                {h}
              </th>
            ))}
            <th className="px-2 py-1">Check</th>
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((row) => (
            <tr
              key={row.rowNumber}
              className={`border-t border-slate-100 ${row.ok ? "" : "bg-red-50"}`}
              data-test="import-preview-row"
            >
              <td className="px-2 py-1 text-slate-500">{row.rowNumber}</td>
              {row.cells.map((cell, i) => (
                <td key={i} className="max-w-[12rem] truncate px-2 py-1">
                  {cell}
                </td>
              ))}
              <td className="px-2 py-1">
                {row.problems.length ? (
                  <span className={row.ok ? "text-amber-700" : "text-red-700"}>{row.problems.join("; ")}</span>
                ) : (
                  <span className="text-green-700">OK</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
