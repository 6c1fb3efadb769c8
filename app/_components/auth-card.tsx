import type { ReactNode } from "react";

/** The centred card of the signed-out pages (sign-in, second factor, password reset, invitations). */
export function AuthCard({ subtitle, children }: { subtitle: string; children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl bg-white p-8 shadow">
        <h1 className="mb-1 text-2xl font-bold">
          <span className="text-brand-600">Refire</span>Leads
        </h1>
        <p className="mb-6 text-sm text-slate-600">{subtitle}</p>
        {children}
      </div>
    </main>
  );
}
