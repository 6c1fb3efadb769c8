"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/dashboard", label: "Dashboard" },
  { href: "/leads", label: "Leads" },
  { href: "/import", label: "Import", needs: "import" },
  { href: "/campaigns", label: "Campaigns" },
  { href: "/inbox", label: "Inbox" },
  { href: "/settings", label: "Settings" },
  { href: "/settings/security", label: "Security" },
  { href: "/audit", label: "Audit", needs: "audit" },
] as const;

/** The main navigation; pages the user's role cannot use are not offered. */
export function NavLinks({ canImport, canReadAudit }: { canImport: boolean; canReadAudit: boolean }) {
  const pathname = usePathname();
  const allowed = { import: canImport, audit: canReadAudit } as const;
  return (
    <nav className="flex flex-col gap-1" data-test="main-nav">
      {LINKS.filter((l) => !("needs" in l) || allowed[l.needs]).map(({ href, label }) => {
        // The most specific link wins (Settings is not also marked on /settings/security).
        const active =
          (pathname === href || pathname.startsWith(`${href}/`)) &&
          !LINKS.some((l) => l.href.length > href.length && l.href.startsWith(href) && pathname.startsWith(l.href));
        return (
          <Link
            key={href}
            href={href}
            data-test={`nav-${label.toLowerCase()}`}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-3 py-2 text-sm font-medium ${active ? "bg-brand-100 text-brand-700" : "text-slate-600 hover:bg-slate-100"}`}
          >
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
