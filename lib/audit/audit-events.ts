/**
 * The audit log: append through record_audit_event() (the database stamps the actor from the
 * verified JWT); read by owners and admins. Metadata must never contain personal data.
 */
import type { UserTx } from "@/lib/db/with-user";

export interface AuditEventInput {
  dealershipId: string;
  action: string;
  targetType?: string;
  targetId?: string;
  metadata?: Record<string, string | number | boolean | null>;
}

export interface AuditEvent {
  id: string;
  action: string;
  actorEmail: string | null;
  targetType: string | null;
  targetId: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

/** Append one audit event as the current user. */
export async function recordAuditEvent(tx: UserTx, e: AuditEventInput): Promise<void> {
  await tx`select public.record_audit_event(${e.dealershipId}, ${e.action}, ${e.targetType ?? null}, ${e.targetId ?? null}, ${tx.json(e.metadata ?? {})})`;
}

/** The newest audit events of a dealership (RLS: owners and admins only). */
export async function listAuditEvents(tx: UserTx, dealershipId: string, limit = 100): Promise<AuditEvent[]> {
  const [events, members] = await Promise.all([
    tx`select id, actor_user_id, action, target_type, target_id, metadata, created_at
       from public.audit_events where dealership_id = ${dealershipId}
       order by created_at desc, id desc limit ${limit}`,
    tx`select user_id, email from public.dealership_members(${dealershipId})`,
  ]);
  const emailById = new Map(members.map((m) => [m.user_id as string, m.email as string]));
  return events.map((e) => ({
    id: String(e.id),
    action: e.action,
    actorEmail: e.actor_user_id ? (emailById.get(e.actor_user_id) ?? "former member") : null,
    targetType: e.target_type,
    targetId: e.target_id,
    metadata: e.metadata,
    createdAt: e.created_at,
  }));
}
