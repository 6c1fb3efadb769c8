import type { Metadata } from "next";
import { NotBuiltYet } from "../_components/not-built-yet";

export const metadata: Metadata = { title: "Campaigns" };

export default function CampaignsPage() {
  return <NotBuiltYet title="Campaigns" what="Compliant SMS campaigns come after the inbox." />;
}
