import type { Metadata } from "next";
import Link from "next/link";
import { randomUUID } from "node:crypto";
import { EXCLUSION_REASON_LABELS } from "@/lib/campaigns/audience";
import { getCampaignSettings } from "@/lib/campaigns/campaign-settings";
import { listTeamMembers } from "@/lib/dealerships/team";
import { listLeadImports } from "@/lib/leads/import/import-records";
import { listLeadSources } from "@/lib/leads/lead-sources";
import { formatPhoneForDisplay } from "@/lib/leads/phone";
import { formatUtcTimestamp } from "@/lib/format/timestamp";
import { requireUserPage } from "@/lib/server/require-user-page";
import { listSendingNumbers } from "@/lib/sms/sending-numbers";
import { CampaignComposer } from "./_components/campaign-composer";

export const metadata: Metadata = { title: "New campaign" };

export default async function NewCampaignPage() {
  const ctx = await requireUserPage({ permission: "campaigns.manage" });
  const { region } = ctx.active;
  const { numbers, sources, team, imports, settings } = await ctx.run(async (scope) => ({
    numbers: await listSendingNumbers(scope),
    sources: await listLeadSources(scope),
    team: await listTeamMembers(scope),
    imports: ctx.can("leads.import") ? await listLeadImports(scope, 50) : [],
    settings: await getCampaignSettings(scope),
  }));
  return (
    <section className="space-y-4">
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">New campaign</h1>
        <Link href="/campaigns" className="text-sm text-brand-700 hover:underline">
          ← All campaigns
        </Link>
      </div>
      {numbers.length === 0 ? (
        <p className="max-w-xl rounded-md bg-amber-50 p-4 text-amber-900" data-test="campaign-no-number">
          This dealership has no sending number yet. An owner or admin adds one in{" "}
          <Link href="/settings" className="underline">
            Settings
          </Link>{" "}
          before a campaign can go out.
        </p>
      ) : (
        <CampaignComposer
          // A new key per render: submitting this form twice launches once.
          idempotencyKey={randomUUID()}
          dealershipName={ctx.active.dealershipName}
          optOutFooter={settings.optOutFooter}
          exclusionLabels={EXCLUSION_REASON_LABELS}
          sendingNumbers={numbers.map((n) => ({
            id: n.id,
            label: `${n.phoneNumber ? formatPhoneForDisplay(n.phoneNumber, region) : `Messaging Service ${n.messagingServiceSid}`}${n.label ? ` · ${n.label}` : ""}`,
          }))}
          sources={sources}
          team={team.map((m) => ({ id: m.userId, label: m.displayName }))}
          imports={imports
            .filter((i) => i.status === "completed")
            .map((i) => ({
              id: i.id,
              label: `${formatUtcTimestamp(i.startedAt)} UTC · ${i.fileName ?? "file"} · ${i.counts.imported + i.counts.updated} leads`,
            }))}
        />
      )}
    </section>
  );
}
