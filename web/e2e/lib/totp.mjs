// RFC 6238 time-based one-time codes (HMAC-SHA1, 30-second steps, 6 digits) for the tests.
import { createHmac } from 'node:crypto';

export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out = [];
  for (const char of clean) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function totpStep(now = Date.now()) {
  return Math.floor(now / 1000 / 30);
}

export function totp(secret, step = totpStep()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const code = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

/** The server refuses a step it has already accepted for the account: hands out each step once. */
export class TotpClock {
  #used = new Map();
  async next(secret) {
    for (;;) {
      const step = totpStep();
      const last = this.#used.get(secret) ?? -1;
      // Avoid the last two seconds of a step, so the code is still valid when it arrives.
      const intoStep = (Date.now() / 1000) % 30;
      if (step > last && intoStep < 27) {
        this.#used.set(secret, step);
        return totp(secret, step);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
