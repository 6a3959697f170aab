/**
 * The keys a file's import has kept so far, in a fixed amount of memory whatever the file's size
 * (a Bloom filter): `mightHave` is never false for a key added, and true for a key never added
 * about 0.3 % of the time at the expected count. A "maybe" is settled exactly by asking the store
 * where its item came from (file-import.ts), so a false one costs one read, never a wrong report.
 * It travels between invocations with the checkpoint, as bytes.
 */
export class KeyFilter {
  private readonly bits: Uint8Array;
  private readonly hashes: number;

  /** `bytes`: the number of hashes, then the bits; kept as it is (saved and loaded without a copy). */
  private constructor(private readonly bytes: Uint8Array) {
    this.hashes = bytes[0]!;
    this.bits = bytes.subarray(1);
  }

  /** Sized for `expectedKeys` at about 10 bits a key, between 128 KiB and 32 MiB. */
  static sized(expectedKeys: number): KeyFilter {
    const size = Math.min(32 * 1024 * 1024, Math.max(128 * 1024, Math.ceil((expectedKeys * 10) / 8)));
    const bytes = new Uint8Array(size + 1);
    bytes[0] = 7;
    return new KeyFilter(bytes);
  }

  static fromBytes(bytes: Uint8Array): KeyFilter {
    return new KeyFilter(bytes);
  }

  /** The filter's own bytes, not a copy: a checkpoint writes them as they are. */
  toBytes(): Uint8Array {
    return this.bytes;
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
