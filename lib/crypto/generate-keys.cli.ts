/**
 * Prints fresh PII keys as ready-to-paste env lines: `tsx lib/crypto/generate-keys.cli.ts`.
 * The keys go to stdout only (so `>> .env.local` works); the rotation hint goes to stderr.
 */
import { generateKey, parseKeyring } from "./keyring";

const day = new Date().toISOString().slice(0, 10).replaceAll("-", "");
const encryptionKeys = `k${day}:${generateKey()}`;
const blindIndexKey = generateKey();

// Cheap self-check that what we print is accepted by the app (it never prints key material).
parseKeyring(encryptionKeys, blindIndexKey);

process.stdout.write(`PII_ENCRYPTION_KEYS=${encryptionKeys}\nPII_BLIND_INDEX_KEY=${blindIndexKey}\n`);
process.stderr.write(
  `# To rotate: prepend just the new "k${day}:…" entry to the existing PII_ENCRYPTION_KEYS (new,old,…) and keep the old entries until \`npm run keys:rotate\` finishes; never replace PII_BLIND_INDEX_KEY (every blind index depends on it).\n`,
);
