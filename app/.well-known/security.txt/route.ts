import { serverEnv } from "@/lib/env/server-env";

/** RFC 9116 security.txt, served for the deployment's own origin. */
export function GET() {
  const base = serverEnv().APP_BASE_URL.replace(/\/$/, "");
  const expires = new Date(Date.now() + 180 * 24 * 3600 * 1000).toISOString();
  const body = [
    "Contact: mailto:security@refireleads.com",
    `Expires: ${expires}`,
    "Preferred-Languages: en",
    `Canonical: ${base}/.well-known/security.txt`,
    "Policy: https://refireleads.com/security",
    "",
  ].join("\n");
  return new Response(body, {
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "public, max-age=86400" },
  });
}
