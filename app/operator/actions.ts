"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { setDealershipStatusAsOperator } from "@/lib/platform/operator-console";
import {
  assignNumberSchema,
  assignSendingNumberAsOperator,
  releaseNumberSchema,
  releaseSendingNumberAsOperator,
} from "@/lib/platform/operator-numbers";
import { toAppError } from "@/lib/server/app-error";
import { requireOperator, type Operator } from "@/lib/server/require-operator-page";
import { withActionRequestId } from "@/lib/server/user-action";

const statusChangeSchema = z.object({
  dealershipId: z.uuid(),
  transition: z.enum(["approve", "suspend", "resume"]),
});

export type StatusChangeState = { ok: boolean; message: string } | null;

/** Approve, suspend or resume a dealership as the signed-in operator (audited in its log by the database). */
export async function changeDealershipStatusAction(
  _prev: StatusChangeState,
  formData: FormData,
): Promise<StatusChangeState> {
  return withActionRequestId(() => changeDealershipStatusNow(formData));
}

async function changeDealershipStatusNow(formData: FormData): Promise<StatusChangeState> {
  let operator: Operator;
  try {
    operator = await requireOperator();
  } catch (err) {
    return { ok: false, message: toAppError(err).message };
  }
  const input = statusChangeSchema.safeParse(Object.fromEntries(formData));
  if (!input.success) return { ok: false, message: "That request was not valid." };
  try {
    const changed = await setDealershipStatusAsOperator(
      operator.claims,
      input.data.dealershipId,
      input.data.transition,
    );
    revalidatePath("/operator");
    return changed
      ? { ok: true, message: `Done: ${input.data.transition}.` }
      : { ok: false, message: "The dealership is not in a state that allows that." };
  } catch (err) {
    return { ok: false, message: toAppError(err).message };
  }
}

export type NumberChangeState = { ok: boolean; message: string } | null;

/** Assign one of the platform's Twilio numbers to a dealership (Twilio confirms it; the database audits it). */
export async function assignNumberAction(_prev: NumberChangeState, formData: FormData): Promise<NumberChangeState> {
  return withActionRequestId(() => assignNumberNow(formData));
}

async function assignNumberNow(formData: FormData): Promise<NumberChangeState> {
  let operator: Operator;
  try {
    operator = await requireOperator();
  } catch (err) {
    return { ok: false, message: toAppError(err).message };
  }
  const input = assignNumberSchema.safeParse(Object.fromEntries(formData));
  if (!input.success) return { ok: false, message: input.error.issues[0]?.message ?? "That request was not valid." };
  try {
    await assignSendingNumberAsOperator(operator.claims, input.data);
    revalidatePath("/operator");
    return { ok: true, message: "Number assigned." };
  } catch (err) {
    return { ok: false, message: toAppError(err).message };
  }
}

/** Release one of a dealership's sending numbers (audited in its log). */
export async function releaseNumberAction(_prev: NumberChangeState, formData: FormData): Promise<NumberChangeState> {
  return withActionRequestId(() => releaseNumberNow(formData));
}

async function releaseNumberNow(formData: FormData): Promise<NumberChangeState> {
  let operator: Operator;
  try {
    operator = await requireOperator();
  } catch (err) {
    return { ok: false, message: toAppError(err).message };
  }
  const input = releaseNumberSchema.safeParse(Object.fromEntries(formData));
  if (!input.success) return { ok: false, message: "That request was not valid." };
  try {
    const released = await releaseSendingNumberAsOperator(operator.claims, input.data);
    revalidatePath("/operator");
    return released
      ? { ok: true, message: "Number released." }
      : { ok: false, message: "The dealership no longer has that number." };
  } catch (err) {
    return { ok: false, message: toAppError(err).message };
  }
}
