// Usage: node verify.mjs <capture.json>
// The capture holds the secret, the three webhook headers and the body exactly as a receiver got them.
// Exit code 0 and "verified" when the standardwebhooks package accepts the signature, 1 otherwise.
import { readFileSync } from "node:fs";
import { Webhook } from "standardwebhooks";

const capture = JSON.parse(readFileSync(process.argv[2], "utf8"));
const secret = capture.secret.startsWith("whsec_") ? capture.secret.slice("whsec_".length) : capture.secret;
try {
  const payload = new Webhook(secret).verify(capture.body, {
    "webhook-id": capture.id,
    "webhook-timestamp": capture.timestamp,
    "webhook-signature": capture.signature,
  });
  console.log(`verified ${payload.type} ${payload.id}`);
} catch (error) {
  console.log(`rejected: ${error.message}`);
  process.exit(1);
}
