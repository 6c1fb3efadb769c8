/**
 * `npm run demo:operator-code`: the demo operator's current sign-in code (operator@platform.test
 * needs a second factor; its authenticator key is LOCAL_SECRETS.demoOperatorTotpSecret). Local
 * mode only: the key is public on purpose and protects nothing but a developer's machine.
 */
import { generateSync } from "otplib";
import { LOCAL_SECRETS } from "../config";

if (process.env.NODE_ENV === "production") throw new Error("The demo operator exists in local mode only.");
const secondsLeft = 30 - (Math.floor(Date.now() / 1000) % 30);
console.log(
  `${generateSync({ secret: LOCAL_SECRETS.demoOperatorTotpSecret })} (valid for ${secondsLeft} more seconds)`,
);
