/**
 * The emulator's memory: every message it created or received, recipients that texted STOP to a
 * sender, injected faults and forced delivery outcomes. In memory only; a restart forgets it.
 */
import { randomBytes } from "node:crypto";

export type EmulatedStatus =
  | "accepted" | "queued" | "sending" | "sent" | "delivered" | "undelivered" | "failed" | "received";

/** One message as the emulator keeps it. */
export interface EmulatedMessage {
  sid: string;
  accountSid: string;
  direction: "outbound-api" | "outbound-reply" | "inbound";
  from: string | null;
  to: string;
  body: string;
  messagingServiceSid: string | null;
  status: EmulatedStatus;
  errorCode: number | null;
  numSegments: number;
  statusCallback: string | null;
  dateCreated: Date;
  dateUpdated: Date;
  dateSent: Date | null;
}

/** A forced delivery result for one recipient. */
export interface DeliveryOutcome {
  status: "delivered" | "undelivered" | "failed";
  errorCode: number | null;
}

export type FaultMode = "429" | "500" | "503" | "none";

/** A new message sid: "SM" and 32 hex digits, like Twilio's. */
export function newMessageSid(): string {
  return `SM${randomBytes(16).toString("hex")}`;
}

/** Mutable emulator state. */
export class MessageStore {
  readonly messages = new Map<string, EmulatedMessage>();
  /** "<sender>|<recipient>" pairs blocked by a STOP (sender = a number or a Messaging Service). */
  readonly optOuts = new Set<string>();
  readonly outcomes = new Map<string, DeliveryOutcome>();
  /** Default From for a Messaging Service; registered pools pick their first number. */
  readonly servicePools = new Map<string, string[]>();
  fault: { mode: FaultMode; remaining: number } = { mode: "none", remaining: 0 };

  add(message: EmulatedMessage): EmulatedMessage {
    this.messages.set(message.sid, message);
    return message;
  }

  /** Messages to, from or involving a number, oldest first. */
  list(filter: { to?: string; from?: string; number?: string }): EmulatedMessage[] {
    return [...this.messages.values()]
      .filter((m) => (!filter.to || m.to === filter.to) && (!filter.from || m.from === filter.from))
      .filter((m) => !filter.number || m.to === filter.number || m.from === filter.number)
      .sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime());
  }

  isOptedOut(sender: string | null, recipient: string): boolean {
    return sender !== null && this.optOuts.has(`${sender}|${recipient}`);
  }

  setOptOut(senders: (string | null)[], recipient: string, optedOut: boolean): void {
    for (const s of senders) {
      if (!s) continue;
      if (optedOut) this.optOuts.add(`${s}|${recipient}`);
      else this.optOuts.delete(`${s}|${recipient}`);
    }
  }

  /** Consume one injected fault, if any is armed. */
  takeFault(): FaultMode {
    if (this.fault.mode === "none" || this.fault.remaining <= 0) return "none";
    this.fault.remaining -= 1;
    const mode = this.fault.mode;
    if (this.fault.remaining === 0) this.fault = { mode: "none", remaining: 0 };
    return mode;
  }

  reset(): void {
    this.messages.clear();
    this.optOuts.clear();
    this.outcomes.clear();
    this.servicePools.clear();
    this.fault = { mode: "none", remaining: 0 };
  }
}

/** Twilio's date format (RFC 2822 with +0000). */
export function twilioDate(d: Date | null): string | null {
  return d ? d.toUTCString().replace("GMT", "+0000") : null;
}

/** The message resource as the REST API returns it. */
export function messageResource(m: EmulatedMessage) {
  const uri = `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}.json`;
  return {
    account_sid: m.accountSid,
    api_version: "2010-04-01",
    body: m.body,
    date_created: twilioDate(m.dateCreated),
    date_sent: twilioDate(m.dateSent),
    date_updated: twilioDate(m.dateUpdated),
    direction: m.direction,
    error_code: m.errorCode,
    error_message: null,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: "0",
    num_segments: String(m.numSegments),
    price: null,
    price_unit: "USD",
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: uri.replace(/\.json$/, "/Media.json") },
    to: m.to,
    uri,
  };
}
