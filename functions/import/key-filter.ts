/**
 * The keys a file's import has kept so far, in a fixed amount of memory whatever the file's size
 * (a Bloom filter): `mightHave` is never false for a key added, and true for a key never added
 * about 0.3 % of the time at the expected count. A "maybe" is settled exactly by asking the store
 * where its item came from (file-import.ts), so a false one costs one read, never a wrong report.
 * It travels between invocations with the checkpoint, as bytes.
 */
export class KeyFilter {
  private constructor(private readonly bits: Uint8Array, private readonly hashes: number) {}

  /** Sized for `expectedKeys` at about 10 bits a key, between 128 KiB and 32 MiB. */
  static sized(expectedKeys: number): KeyFilter {
    const bytes = Math.min(32 * 1024 * 1024, Math.max(128 * 1024, Math.ceil((expectedKeys * 10) / 8)));
    return new KeyFilter(new Uint8Array(bytes), 7);
  }

  static fromBytes(bytes: Uint8Array): KeyFilter {
    return new KeyFilter(bytes.subarray(1), bytes[0]!);
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(this.bits.length + 1);
    out[0] = this.hashes;
    out.set(this.bits, 1);
    return out;
  }

  add(key: string): void {
    for (const bit of this.positions(key)) this.bits[bit >>> 3]! |= 1 << (bit & 7);
  }

  mightHave(key: string): boolean {
    for (const bit of this.positions(key)) if ((this.bits[bit >>> 3]! & (1 << (bit & 7))) === 0) return false;
    return true;
  }

  /** Double hashing over two FNV-1a variants (Kirsch–Mitzenmacher). */
  private *positions(key: string): Generator<number> {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    h2 |= 1;
    const size = this.bits.length * 8;
    for (let i = 0; i < this.hashes; i++) yield ((h1 + Math.imul(i, h2)) >>> 0) % size;
  }
}
