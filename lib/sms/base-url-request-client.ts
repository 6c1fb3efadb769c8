/**
 * The twilio SDK's own HTTP client, pointed at another origin. The SDK still builds every request
 * (path, form body, basic auth, User-Agent) and parses every answer, so the local emulator sees
 * exactly what Twilio would. Used only when TWILIO_API_BASE_URL is set, which the env validation
 * refuses in production.
 */
import twilio from "twilio";

type RequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>["request"]>[0];

/** A RequestClient that sends every *.twilio.com request to `baseUrl` instead (same path and query). */
export class BaseUrlRequestClient extends twilio.RequestClient {
  private readonly base: URL;

  constructor(baseUrl: string, opts?: ConstructorParameters<typeof twilio.RequestClient>[0]) {
    super(opts);
    this.base = new URL(baseUrl);
  }

  /** Rewrite the origin, then let the SDK's client do the rest. */
  override request<TData>(opts: RequestOptions & { data?: TData }) {
    const target = new URL(opts.uri);
    if (target.hostname === "twilio.com" || target.hostname.endsWith(".twilio.com")) {
      target.protocol = this.base.protocol;
      target.host = this.base.host;
    }
    return super.request<TData>({ ...opts, uri: target.href });
  }
}
