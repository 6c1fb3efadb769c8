/**
 * The phones an import has seen, by blind index, each with a few flag bits: the one structure of
 * an import that grows with the file (one entry per distinct phone). Kept in flat typed arrays
 * (16 bytes of the index and one byte of flags per slot, open addressing), about 40 bytes a phone
 * instead of the ~100 a Map of 43-character strings costs, and outside the garbage-collected heap.
 *
 * 16 bytes (128 bits) of an HMAC-SHA256 output identify a phone: the chance that two of a
 * file's 250,000 phones share them is about 10^-28.
 */

const WORDS = 4; // 16 bytes of the blind index per slot
const USED = 0x80;

export class SeenPhones {
  private keys: Uint32Array;
  private flags: Uint8Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1 << 14) {
    let capacity = 1;
    while (capacity < initialCapacity) capacity <<= 1;
    this.keys = new Uint32Array(capacity * WORDS);
    this.flags = new Uint8Array(capacity);
    this.mask = capacity - 1;
  }

  /** Phones seen. */
  get size(): number {
    return this.count;
  }

  /** The phone's flags (0-127), or undefined when it was not seen. */
  get(phoneBidx: string): number | undefined {
    const slot = this.find(keyOf(phoneBidx));
    return this.flags[slot]! & USED ? this.flags[slot]! & ~USED : undefined;
  }

  has(phoneBidx: string): boolean {
    return this.get(phoneBidx) !== undefined;
  }

  /** Records the phone with these flags (0-127), replacing earlier ones. */
  set(phoneBidx: string, flags: number): void {
    const key = keyOf(phoneBidx);
    let slot = this.find(key);
    if (!(this.flags[slot]! & USED)) {
      if ((this.count + 1) * 2 > this.flags.length) {
        this.grow();
        slot = this.find(key);
      }
      this.keys.set(key, slot * WORDS);
      this.count++;
    }
    this.flags[slot] = USED | (flags & ~USED);
  }

  /** How many phones have any of these flag bits set. */
  countWith(mask: number): number {
    let n = 0;
    for (const f of this.flags) if (f & USED && f & mask) n++;
    return n;
  }

  /** The slot holding the key, or the empty slot where it belongs. */
  private find(key: Uint32Array): number {
    let slot = key[0]! & this.mask;
    for (;;) {
      if (!(this.flags[slot]! & USED)) return slot;
      const at = slot * WORDS;
      if (
        this.keys[at] === key[0] &&
        this.keys[at + 1] === key[1] &&
        this.keys[at + 2] === key[2] &&
        this.keys[at + 3] === key[3]
      ) {
        return slot;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  private grow(): void {
    const { keys, flags } = this;
    const capacity = flags.length * 2;
    this.keys = new Uint32Array(capacity * WORDS);
    this.flags = new Uint8Array(capacity);
    this.mask = capacity - 1;
    for (let slot = 0; slot < flags.length; slot++) {
      if (!(flags[slot]! & USED)) continue;
      const key = keys.subarray(slot * WORDS, slot * WORDS + WORDS);
      const to = this.find(key);
      this.keys.set(key, to * WORDS);
      this.flags[to] = flags[slot]!;
    }
  }
}

// keyOf's result, reused: every call is followed by its use, before the next call.
const KEY_BYTES = Buffer.alloc(33); // 44 base64url characters at most decode to 33 bytes
const KEY = new Uint32Array(WORDS);

/**
 * The first 16 bytes of a base64url blind index as four 32-bit words, in a shared array (valid
 * until the next call): called several times a row, it allocates nothing.
 */
function keyOf(phoneBidx: string): Uint32Array {
  if (phoneBidx.length < 22 || phoneBidx.length > 44) throw new TypeError("SeenPhones: not a blind index");
  const n = KEY_BYTES.write(phoneBidx, 0, "base64url");
  if (n < 16) throw new TypeError("SeenPhones: not a blind index");
  for (let i = 0; i < WORDS; i++) KEY[i] = KEY_BYTES.readUInt32LE(i * 4);
  return KEY;
}
