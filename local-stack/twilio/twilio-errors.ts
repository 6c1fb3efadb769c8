/**
 * Error answers in Twilio's shape ({code, message, more_info, status}), which the SDK turns into
 * a RestException carrying `status` and `code`.
 */

/** A Twilio REST error: HTTP status, Twilio error code and its message. */
export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }

  /** The JSON body Twilio sends. */
  toJSON() {
    return {
      code: this.code,
      message: this.message,
      more_info: `https://www.twilio.com/docs/errors/${this.code}`,
      status: this.status,
    };
  }
}

/** The errors the emulator answers, with Twilio's codes and wording. */
export const twilioErrors = {
  authenticate: () => new TwilioApiError(401, 20003, "Authenticate"),
  notFound: (path: string) => new TwilioApiError(404, 20404, `The requested resource ${path} was not found`),
  methodNotAllowed: () => new TwilioApiError(405, 20004, "Method not allowed"),
  tooManyRequests: () => new TwilioApiError(429, 20429, "Too Many Requests"),
  internal: () => new TwilioApiError(500, 20500, "An internal server error has occurred"),
  serviceUnavailable: () => new TwilioApiError(503, 20503, "Service unavailable"),
  toRequired: () => new TwilioApiError(400, 21604, "A 'To' phone number is required."),
  invalidTo: (to: string) => new TwilioApiError(400, 21211, `Invalid 'To' Phone Number: ${to}`),
  notMobile: () => new TwilioApiError(400, 21614, "'To' number is not a valid mobile number"),
  fromRequired: () => new TwilioApiError(400, 21603, "A 'From' phone number is required."),
  invalidFrom: (from: string) => new TwilioApiError(400, 21212, `Invalid 'From' Phone Number: ${from}`),
  invalidService: (sid: string) => new TwilioApiError(400, 21701, `The Messaging Service Sid ${sid} is invalid.`),
  bodyRequired: () => new TwilioApiError(400, 21602, "Message body is required."),
  bodyTooLong: () => new TwilioApiError(400, 21617, "The concatenated message body exceeds the 1600 character limit."),
  unsubscribed: () => new TwilioApiError(400, 21610, "Attempt to send to unsubscribed recipient"),
  invalidValidityPeriod: () =>
    new TwilioApiError(400, 21624, "Validity period can only be set to integers between 1 and 36,000 seconds."),
  invalidDateSent: (value: string) => new TwilioApiError(400, 20001, `Invalid DateSent filter: ${value}`),
  /** A refusal forced for one recipient through /__emulator/rejections, in Twilio's shape. */
  forced: (code: number) => new TwilioApiError(400, code, `Twilio refused the message (error ${code})`),
};
