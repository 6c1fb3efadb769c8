import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { z } from "zod";
import { AuthCard } from "@/app/_components/auth-card";
import { ConfirmLinkForm } from "./_components/confirm-link-form";

export const metadata: Metadata = { title: "Continue" };

const linkSchema = z.object({
  token_hash: z.string().regex(/^[0-9a-f]{16,128}$/i),
  type: z.enum(["invite", "recovery"]),
});

/**
 * Where the links in Auth's e-mails land (supabase/templates). The token is spent only when the
 * person presses Continue (a POST), so a mail scanner that opens the link does not use it up.
 */
export default async function ConfirmLinkPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const parsed = linkSchema.safeParse(await searchParams);
  if (!parsed.success) redirect("/login/link-expired");
  const { token_hash: tokenHash, type } = parsed.data;
  return (
    <AuthCard subtitle={type === "invite" ? "You have been invited to a dealership." : "Reset your password."}>
      <ConfirmLinkForm tokenHash={tokenHash} type={type} />
    </AuthCard>
  );
}
