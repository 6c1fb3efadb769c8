/**
 * Deterministic fake leads for the demo dealerships. Phone numbers use the 555-01xx block, which
 * North American numbering reserves for fiction, so the demo can never text a real person.
 */
import type { LeadPii } from "../../lib/leads/lead-fields";
import type { LeadStatus } from "../../lib/leads/lead-status";

const FIRST = [
  "James",
  "Maria",
  "Robert",
  "Linda",
  "Michael",
  "Patricia",
  "David",
  "Jennifer",
  "Carlos",
  "Aisha",
  "Wei",
  "Olga",
  "Tom",
  "Priya",
  "Jamal",
  "Emily",
  "Luis",
  "Grace",
  "Noah",
  "Sofia",
];
const LAST = [
  "Smith",
  "Garcia",
  "Johnson",
  "Nguyen",
  "Brown",
  "Martinez",
  "Lee",
  "Walker",
  "Hernandez",
  "O'Brien",
  "Kowalski",
  "Patel",
  "Young",
  "Rivera",
  "Chen",
  "Jackson",
  "Lopez",
  "Clark",
  "Adams",
  "Baker",
];
const VEHICLES: [string, string, string][] = [
  ["Ford", "F-150", "XLT"],
  ["Toyota", "Camry", "SE"],
  ["Honda", "CR-V", "EX"],
  ["Chevrolet", "Silverado", "LT"],
  ["Jeep", "Wrangler", "Sport"],
  ["Nissan", "Rogue", "SV"],
  ["Hyundai", "Tucson", "SEL"],
  ["Subaru", "Outback", "Premium"],
];
const SOURCES = ["CRM import", "Website", "Walk-in", "Phone-up", "Third party"];
/** A pipeline weighted toward new leads (none opted out: those come from STOP replies). */
const STATUS_MIX: readonly LeadStatus[] = ["new", "new", "new", "engaged", "appointment_set", "sold", "lost"];

export interface DemoLead {
  pii: LeadPii;
  status: LeadStatus;
  source: string;
  daysSinceActivity: number;
}

/** `count` leads for a dealership; `areaCode` keeps the two dealerships' numbers apart. */
export function demoLeads(count: number, areaCode: string, seed: number): DemoLead[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i + seed;
    const [make, model, trim] = VEHICLES[n % VEHICLES.length]!;
    const first = FIRST[n % FIRST.length]!;
    const last = LAST[(n * 7) % LAST.length]!;
    return {
      pii: {
        firstName: first,
        lastName: last,
        phone: `+1${areaCode}55501${String(i % 100).padStart(2, "0")}`,
        email: i % 3 === 0 ? null : `${first}.${last}${n}@example.com`.toLowerCase().replace("'", ""),
        vehicleYear: String(2016 + (n % 9)),
        vehicleMake: make,
        vehicleModel: model,
        vehicleTrim: trim,
        vehicleVin: null,
        notes: i % 5 === 0 ? "Asked about trade-in value last visit." : null,
      },
      status: STATUS_MIX[n % STATUS_MIX.length]!,
      source: SOURCES[n % SOURCES.length]!,
      daysSinceActivity: 30 + ((n * 13) % 400),
    };
  });
}
