/**
 * `npm run platform -- <command>`: the platform's command line, running as the NOLOGIN
 * `platform_admin` database role (never as postgres) with the app's environment.
 *
 *   dealership:create --name "Name" --owner-email owner@example.com [--timezone Z] [--region US]
 *       creates a pending dealership, invites its owner by e-mail, prints the new id
 *   dealership:approve --id ID | dealership:suspend --id ID | dealership:resume --id ID
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { pool } from "@/lib/db/pool";
import { sendSupabaseInvitation } from "@/lib/team/invitation-email";
import { changeDealershipStatus, onboardDealership, type StatusTransition } from "./dealerships";

const USAGE = `usage:
  npm run platform -- dealership:create --name "Name" --owner-email owner@example.com [--timezone America/Chicago] [--region US]
  npm run platform -- dealership:approve --id ID
  npm run platform -- dealership:suspend --id ID
  npm run platform -- dealership:resume --id ID`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: "string" },
      "owner-email": { type: "string" },
      timezone: { type: "string" },
      region: { type: "string" },
      id: { type: "string" },
    },
    strict: true,
  });
  if (command === "dealership:create") {
    const id = await onboardDealership(
      {
        name: values.name ?? "",
        ownerEmail: values["owner-email"] ?? "",
        timezone: values.timezone,
        defaultRegion: values.region,
      },
      sendSupabaseInvitation,
    );
    console.log(id);
    return;
  }
  const transition = /^dealership:(approve|suspend|resume)$/.exec(command ?? "")?.[1] as StatusTransition | undefined;
  if (!transition) throw new UsageError(`unknown command ${JSON.stringify(command ?? "")}`);
  const id = z.uuid("--id must be a dealership id").parse(values.id);
  const changed = await changeDealershipStatus(id, transition, null);
  console.log(changed ? `${transition}d ${id}` : `${id}: nothing to ${transition} (not in a state it applies to)`);
}

class UsageError extends Error {}

main(process.argv.slice(2))
  .then(() => pool().end())
  .catch(async (err) => {
    const message =
      err instanceof z.ZodError
        ? err.issues.map((i) => i.message).join("; ")
        : err instanceof Error
          ? err.message
          : String(err);
    console.error(`platform: ${message}`);
    if (err instanceof UsageError || err instanceof TypeError) console.error(USAGE);
    await pool()
      .end()
      .catch(() => {});
    process.exit(1);
  });
