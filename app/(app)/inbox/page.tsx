import type { Metadata } from "next";
import { NotBuiltYet } from "../_components/not-built-yet";

export const metadata: Metadata = { title: "Inbox" };

export default function InboxPage() {
  return <NotBuiltYet title="Inbox" what="The two-way SMS inbox is planned right after lead import." />;
}
