/**
 * The fixture of what the emulated Twilio account owns: its incoming phone numbers and its
 * Messaging Services with their pools. The app may only register these as sending numbers
 * (lib/sms/sending-number-ownership.ts asks the emulator through the real SDK). It holds the demo
 * seed's numbers (local-stack/seed/demo.ts), spares to try the settings page with, and blocks
 * reserved for tests so test files never compete for the same number.
 */

/** A Messaging Service of the account and the numbers in its pool. */
export interface OwnedMessagingService {
  sid: string;
  friendlyName: string;
  phoneNumbers: string[];
}

const serviceSid = (prefix: string, i: number) => `MG${prefix.repeat(30 / prefix.length)}${String(i).padStart(2, "0")}`;

/** The demo dealerships' numbers and spares (fictional 555 exchange, outside the leads' 555-01xx). */
export const DEMO_OWNED_NUMBERS = ["+13125550000", "+17735550000", "+13125550001", "+17735550001"];

/** Demo Messaging Services, unregistered until someone adds them in Settings. */
export const DEMO_OWNED_SERVICES: OwnedMessagingService[] = [
  { sid: serviceSid("d", 1), friendlyName: "Northside campaigns", phoneNumbers: ["+13125550002", "+13125550003"] },
  { sid: serviceSid("d", 2), friendlyName: "Southside campaigns", phoneNumbers: ["+17735550002", "+17735550003"] },
];

/** Numbers reserved for tests that register numbers directly: block `b` (0-9) holds 10. */
export function testOwnedNumbers(block: number): string[] {
  return Array.from({ length: 10 }, (_, i) => `+1312555${7000 + block * 10 + i}`);
}

/** Services reserved for tests: block `b` (0-9) holds 3 services of 2 numbers each. */
export function testOwnedServices(block: number): OwnedMessagingService[] {
  return Array.from({ length: 3 }, (_, i) => {
    const n = block * 3 + i;
    return {
      sid: serviceSid("7", n),
      friendlyName: `Test service ${n}`,
      phoneNumbers: [`+1312555${8000 + n * 2}`, `+1312555${8001 + n * 2}`],
    };
  });
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Everything the emulated account owns when it starts (and after a reset). */
export function ownedInventory(): { phoneNumbers: string[]; messagingServices: OwnedMessagingService[] } {
  const services = [...DEMO_OWNED_SERVICES, ...range(10).flatMap(testOwnedServices)];
  return {
    phoneNumbers: [
      ...DEMO_OWNED_NUMBERS,
      ...range(10).flatMap(testOwnedNumbers),
      ...services.flatMap((s) => s.phoneNumbers),
    ],
    messagingServices: services,
  };
}
