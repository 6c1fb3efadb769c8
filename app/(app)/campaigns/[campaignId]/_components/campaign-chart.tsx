"use client";

import { useSyncExternalStore } from "react";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/** One time bucket of the campaign (ISO time, so it crosses the server/client boundary as is). */
export interface TimelinePoint {
  at: string;
  sent: number;
  delivered: number;
  replies: number;
}

const noSubscription = () => () => {};

const label = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

/**
 * Sends, deliveries and replies over time (recharts: SVG drawn by React, no eval and no injected
 * style sheet, so it runs under the app's strict CSP). The same numbers are in a table for screen
 * readers.
 */
export function CampaignChart({ points }: { points: TimelinePoint[] }) {
  // Times are shown in the reader's time zone, which the server does not know: draw in the browser.
  const inBrowser = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  if (points.length === 0) {
    return (
      <p className="py-8 text-center text-sm text-slate-500" data-test="campaign-chart-empty">
        Nothing sent yet.
      </p>
    );
  }
  if (!inBrowser) return <div className="h-64 w-full" data-test="campaign-chart-loading" />;
  const data = points.map((p) => ({ ...p, label: label(p.at) }));
  return (
    <figure data-test="campaign-chart">
      <div className="h-64 w-full" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
            <CartesianGrid stroke="#e2e8f0" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 12, fill: "#475569" }} minTickGap={24} />
            <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: "#475569" }} />
            <Tooltip />
            <Legend
              wrapperStyle={{ fontSize: 12 }}
              formatter={(value: string) => <span className="text-slate-700">{value}</span>}
            />
            <Bar dataKey="sent" name="Sent" fill="#c2410c" isAnimationActive={false} />
            <Bar dataKey="delivered" name="Delivered" fill="#fdba74" isAnimationActive={false} />
            <Line
              dataKey="replies"
              name="Replies"
              type="monotone"
              stroke="#15803d"
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="sr-only">Sends, deliveries and replies over time</figcaption>
      <table className="sr-only">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Sent</th>
            <th scope="col">Delivered</th>
            <th scope="col">Replies</th>
          </tr>
        </thead>
        <tbody>
          {data.map((p) => (
            <tr key={p.at}>
              <td>{p.label}</td>
              <td>{p.sent}</td>
              <td>{p.delivered}</td>
              <td>{p.replies}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
