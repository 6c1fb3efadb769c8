import type { Metadata } from "next";
import { NotBuiltYet } from "../_components/not-built-yet";

export const metadata: Metadata = { title: "Settings" };

export default function SettingsPage() {
  return <NotBuiltYet title="Settings" what="Sending numbers, team management and account security will live here." />;
}
