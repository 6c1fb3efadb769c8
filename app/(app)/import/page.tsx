import type { Metadata } from "next";
import { NotBuiltYet } from "../_components/not-built-yet";

export const metadata: Metadata = { title: "Import" };

export default function ImportPage() {
  return <NotBuiltYet title="Import" what="Lead import from CRM exports (CSV) is the next piece of work." />;
}
