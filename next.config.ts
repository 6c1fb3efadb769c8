import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./lib/security/security-headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  serverExternalPackages: ["postgres", "twilio", "bcryptjs"],
  experimental: {
    serverActions: { bodySizeLimit: "2mb" },
    // CSV imports up to 50 MB pass through middleware.ts, which buffers request bodies.
    proxyClientMaxBodySize: "55mb",
  },
  // The middleware sets these on everything it sees; this covers static files too.
  async headers() {
    return [{ source: "/:path*", headers: Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })) }];
  },
};

export default nextConfig;
