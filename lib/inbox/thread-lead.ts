/**
 * The lead at the head of an inbox thread: who it is, whether it may be texted (consent and the
 * do-not-contact list), who has it, and its conversation's read state. Read in the user's
 * RLS-scoped transaction, so another tenant's lead (or another rep's) is simply not found.
 */
import type { UserScope } from "@/lib/db/scope";
import { reportLeadDecryptFailures, UNREADABLE_LABEL } from "@/lib/leads/decrypt-failures";
import { decryptLeadPiiPerField } from "@/lib/leads/lead-fields";
import type { ConsentStatus, LeadStatus } from "@/lib/leads/lead-status";

/** Everything the thread view shows about its lead. */
export interface ThreadLead {
  id: string;
  name: string | null;
  phone: string | null;
  status: LeadStatus;
  consentStatus: ConsentStatus;
  consentSource: string | null;
  consentUpdatedAt: Date | null;
  onDoNotContact: boolean;
  assignedTo: string | null;
  /** The lead's version (the status form carries it back). */
  version: number;
  conversation: { id: string; unreadCount: number; needsAttention: boolean; sendingNumber: string | null } | null;
}

/** Why a reply cannot be sent (null when it can); the server refuses the same cases on its own. */
export function replyRefusal(
  lead: Pick<ThreadLead, "consentStatus" | "onDoNotContact" | "phone">,
  hasSendingNumber: boolean,
): string | null {
  if (lead.consentStatus === "opted_out")
    return "This lead has opted out of text messages. You cannot text them unless they text START.";
  if (lead.onDoNotContact) return "This number is on the dealership's do-not-contact list.";
  if (!lead.phone) return "This lead has no phone number.";
  if (!hasSendingNumber) return "Add a sending number in Settings before sending messages.";
  return null;
}

interface ThreadLeadRow {
  id: string;
  dealership_id: string;
  pii_enc: string | null;
  first_name_enc: string | null;
  last_name_enc: string | null;
  phone_enc: string | null;
  status: LeadStatus;
  consent_status: ConsentStatus;
  consent_source: string | null;
  consent_updated_at: Date | null;
  assigned_to: string | null;
  version: number;
  dnc: boolean;
  conversation_id: string | null;
  unread_count: number | null;
  needs_attention: boolean | null;
  sending_number: string | null;
}

/** The lead of a thread, or null when it does not exist or the user may not see it. */
export async function getThreadLead(scope: UserScope, leadId: string): Promise<ThreadLead | null> {
  const [r] = await scope.sql<ThreadLeadRow[]>`
    select l.id, l.dealership_id, l.pii_enc, l.first_name_enc, l.last_name_enc, l.phone_enc, l.status, l.consent_status,
           l.consent_source, l.consent_updated_at, l.assigned_to, l.version,
           exists (select 1 from public.do_not_contact d where d.dealership_id = l.dealership_id and d.phone_bidx = l.phone_bidx) as dnc,
           c.id as conversation_id, c.unread_count, c.needs_attention, s.phone_number as sending_number
    from public.leads l
    left join public.conversations c on c.lead_id = l.id
    left join public.sending_numbers s on s.id = c.sending_number_id
    where l.dealership_id = ${scope.dealershipId} and l.id = ${leadId}`;
  if (!r) return null;
  const { pii, unreadable, failures } = decryptLeadPiiPerField({
    id: r.id,
    dealership_id: r.dealership_id,
    pii_enc: r.pii_enc,
    first_name_enc: r.first_name_enc,
    last_name_enc: r.last_name_enc,
    phone_enc: r.phone_enc,
  });
  if (failures.length > 0) await reportLeadDecryptFailures(scope, failures);
  const nameUnreadable = unreadable.includes("firstName") || unreadable.includes("lastName");
  return {
    id: r.id,
    name: [pii.firstName, pii.lastName].filter(Boolean).join(" ") || (nameUnreadable ? UNREADABLE_LABEL : null),
    // An unreadable phone is no phone: a reply is refused ("no phone number") rather than guessed.
    phone: pii.phone ?? null,
    status: r.status,
    consentStatus: r.consent_status,
    consentSource: r.consent_source,
    consentUpdatedAt: r.consent_updated_at,
    onDoNotContact: r.dnc,
    assignedTo: r.assigned_to,
    version: r.version,
    conversation: r.conversation_id
      ? {
          id: r.conversation_id,
          unreadCount: r.unread_count ?? 0,
          needsAttention: r.needs_attention ?? false,
          sendingNumber: r.sending_number,
        }
      : null,
  };
}
