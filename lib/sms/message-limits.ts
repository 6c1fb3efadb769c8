/**
 * Limits of an SMS body, shared by the server (sendMessageToLead) and the reply box in the
 * browser, so both refuse the same text. Twilio accepts at most 1,600 characters.
 */

/** The longest body the app sends. */
export const MAX_BODY_CHARS = 1600;
