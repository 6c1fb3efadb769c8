import type { NextConfig } from "next";
import { MAX_REQUEST_BODY_SIZE } from "./lib/security/request-limits";
import { STATIC_SECURITY_HEADERS } from "./lib/security/security-headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  serverExternalPackages: ["postgres", "twilio", "bcryptjs"],
  experimental: {
    // Small bodies everywhere: Next.js buffers this much before anyone is authenticated. The
    // import routes (up to 50 MB) skip the middleware and read their bodies themselves after
    // verifying the user (see lib/security/request-limits.ts).
    serverActions: { bodySizeLimit: MAX_REQUEST_BODY_SIZE },
    proxyClientMaxBodySize: MAX_REQUEST_BODY_SIZE,
    // forbidden() in requireUserPage: a page the user's role lacks answers 403 (app/forbidden.tsx).
    authInterrupts: true,
  },
  // The middleware sets these on everything it sees; this covers static files too.
  async headers() {
    return [
      { source: "/:path*", headers: Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })) },
    ];
  },
};

export default nextConfig;
