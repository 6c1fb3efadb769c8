import { checkReadiness } from "@/lib/observability/readiness";
import { withRequestId } from "@/lib/observability/logger";

export const dynamic = "force-dynamic";

/** Readiness probe: 200 when the database answers as a service role, 503 otherwise. */
export function GET(req: Request) {
  return withRequestId(req.headers.get("x-request-id"), async () => {
    const { ready } = await checkReadiness();
    return Response.json({ ok: ready }, { status: ready ? 200 : 503, headers: { "cache-control": "no-store" } });
  });
}
