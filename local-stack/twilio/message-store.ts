/**
 * The emulator's memory: every message it created or received, recipients that texted STOP to a
 * sender, injected faults and forced delivery outcomes. In memory only; a restart forgets it.
 */
import { createHash, randomBytes } from "node:crypto";
import { ownedInventory } from "./owned-inventory";

export type EmulatedStatus =
  "accepted" | "queued" | "sending" | "sent" | "delivered" | "undelivered" | "failed" | "received";

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
  /** ValidityPeriod of the create call (seconds), if one was given. */
  validityPeriod?: number | null;
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

/** An incoming phone number of the account. */
export interface OwnedNumber {
  sid: string;
  phoneNumber: string;
  dateCreated: Date;
}

/** A Messaging Service of the account. */
export interface OwnedService {
  sid: string;
  friendlyName: string;
  /** The pool, in the order numbers were added (the first is the default sender). */
  phoneNumbers: string[];
  dateCreated: Date;
}

/** A stable 34-character sid for a value ("PN" + 32 hex digits), as Twilio's look. */
export function stableSid(prefix: string, value: string): string {
  return `${prefix}${createHash("sha256").update(value).digest("hex").slice(0, 32)}`;
}

/** Mutable emulator state. */
export class MessageStore {
  readonly messages = new Map<string, EmulatedMessage>();
  /** "<sender>|<recipient>" pairs blocked by a STOP (sender = a number or a Messaging Service). */
  readonly optOuts = new Set<string>();
  readonly outcomes = new Map<string, DeliveryOutcome>();
  /** Recipients whose create call Twilio refuses, with the error code (21211, 21614, 21610...). */
  readonly rejections = new Map<string, number>();
  /** The account's incoming phone numbers, by E.164 (the fixture in owned-inventory.ts to start). */
  readonly phoneNumbers = new Map<string, OwnedNumber>();
  /** The account's Messaging Services, by sid; a service sends from the first number of its pool. */
  readonly services = new Map<string, OwnedService>();
  fault: { mode: FaultMode; remaining: number } = { mode: "none", remaining: 0 };

  constructor() {
    this.loadInventory();
  }

  /** Make the account own these numbers (idempotent). */
  addPhoneNumbers(numbers: string[]): void {
    for (const phoneNumber of numbers) {
      if (!this.phoneNumbers.has(phoneNumber))
        this.phoneNumbers.set(phoneNumber, { sid: stableSid("PN", phoneNumber), phoneNumber, dateCreated: new Date() });
    }
  }

  /** Create or replace a Messaging Service with its pool (the pool's numbers become owned too). */
  setService(sid: string, phoneNumbers: string[], friendlyName = sid): void {
    this.addPhoneNumbers(phoneNumbers);
    this.services.set(sid, {
      sid,
      friendlyName,
      phoneNumbers: [...phoneNumbers],
      dateCreated: this.services.get(sid)?.dateCreated ?? new Date(),
    });
  }

  private loadInventory(): void {
    const inventory = ownedInventory();
    this.addPhoneNumbers(inventory.phoneNumbers);
    for (const s of inventory.messagingServices) this.setService(s.sid, s.phoneNumbers, s.friendlyName);
  }

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
    this.rejections.clear();
    this.phoneNumbers.clear();
    this.services.clear();
    this.loadInventory();
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
