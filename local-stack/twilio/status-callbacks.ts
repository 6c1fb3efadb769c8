/**
 * The life of an outbound message after the create call: accepted → queued → sent → delivered,
 * or undelivered / failed with an error code when an outcome is forced for the recipient. Each
 * step is a signed status callback to the message's StatusCallback URL, one after the other.
 */
import type { EmulatedMessage, EmulatedStatus, MessageStore } from "./message-store";
import { postSignedForm, type Dispatch } from "./signed-webhook";

interface Step {
  status: EmulatedStatus;
  errorCode: number | null;
}

/** The statuses a new message still goes through, given the recipient's forced outcome. */
function plannedSteps(m: EmulatedMessage, store: MessageStore): Step[] {
  const outcome = store.outcomes.get(m.to) ?? { status: "delivered", errorCode: null };
  const steps: Step[] = m.status === "accepted" ? [{ status: "queued", errorCode: null }] : [];
  if (outcome.status === "failed") return [...steps, { status: "failed", errorCode: outcome.errorCode ?? 30001 }];
  steps.push({ status: "sent", errorCode: null });
  steps.push(
    outcome.status === "delivered"
      ? { status: "delivered", errorCode: null }
      : { status: "undelivered", errorCode: outcome.errorCode ?? 30007 },
  );
  return steps;
}

/** The form fields of a status callback, as Twilio names them. */
function callbackParams(m: EmulatedMessage): Record<string, string> {
  const params: Record<string, string> = {
    AccountSid: m.accountSid,
    ApiVersion: "2010-04-01",
    MessageSid: m.sid,
    SmsSid: m.sid,
    MessageStatus: m.status,
    SmsStatus: m.status,
    To: m.to,
    From: m.from ?? "",
  };
  if (m.messagingServiceSid) params.MessagingServiceSid = m.messagingServiceSid;
  if (m.errorCode !== null) params.ErrorCode = String(m.errorCode);
  if (m.status === "delivered") params.RawDlrDoneDate = new Date().toISOString().replace(/\D/g, "").slice(2, 12);
  return params;
}

/** Runs the timers of every message in flight; stop() cancels them all. */
export class StatusCallbacks {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly store: MessageStore,
    private readonly opts: { authToken: string; delayMs: number; dispatch: Dispatch; log: (m: string) => void },
  ) {}

  /** Start moving a freshly created message through its statuses. */
  track(m: EmulatedMessage): void {
    void this.run(m, plannedSteps(m, this.store));
  }

  private wait(): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, this.opts.delayMs);
      this.timers.add(t);
    });
  }

  private async run(m: EmulatedMessage, steps: Step[]): Promise<void> {
    for (const step of steps) {
      await this.wait();
      if (this.stopped) return;
      m.status = step.status;
      m.errorCode = step.errorCode;
      m.dateUpdated = new Date();
      if (step.status === "sent") m.dateSent = m.dateUpdated;
      if (!m.statusCallback) continue;
      try {
        const res = await postSignedForm(this.opts.dispatch, this.opts.authToken, m.statusCallback, callbackParams(m));
        await res.arrayBuffer();
        if (!res.ok) this.opts.log(`twilio emulator: status callback answered ${res.status}`);
      } catch (err) {
        // Like Twilio: a failed callback is not retried and does not change the message.
        if (!this.stopped) this.opts.log(`twilio emulator: status callback failed (${(err as Error).message})`);
      }
    }
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
