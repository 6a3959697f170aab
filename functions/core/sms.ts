/**
 * SMS text: which alphabet a message needs and how many segments it takes, and Vietnamese made
 * unaccented so that a reminder fits the GSM 7-bit alphabet (160 characters a single message,
 * 153 a part of a longer one) instead of UCS-2 (70, and 67 a part), where one accent would cost
 * more than twice the segments. Pure.
 */

export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** The GSM 03.38 default alphabet: one septet each. */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** The extension table, reached through an escape: two septets each. */
const GSM_EXTENSION = new Set('^{}\\[~]|€\f');

export const SEGMENT_LIMITS = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
} as const;

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!GSM_BASIC.has(ch) && !GSM_EXTENSION.has(ch)) return false;
  return true;
}

export interface SmsSegments {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes. */
  units: number;
  segments: number;
}

/**
 * The segments a text is sent in. A text over the single-message limit is split into parts of 153
 * septets (GSM-7) or 67 code units (UCS-2), the rest of each part holding the concatenation header;
 * an escaped character (two septets) or a surrogate pair is never split across two parts.
 */
export function smsSegments(text: string): SmsSegments {
  const encoding: SmsEncoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
  const costs = [...text].map((ch) => (encoding === 'GSM-7' ? (GSM_EXTENSION.has(ch) ? 2 : 1) : ch.length));
  const units = costs.reduce((a, b) => a + b, 0);
  const limits = SEGMENT_LIMITS[encoding];
  if (units <= limits.single) return { encoding, units, segments: units === 0 ? 0 : 1 };
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > limits.part) {
      segments++;
      used = 0;
    }
    used += cost;
  }
  return { encoding, units, segments };
}

/** Letters and signs outside GSM-7 that have a plain equivalent. */
const PLAIN: Record<string, string> = {
  'đ': 'd', 'Đ': 'D', '₫': 'd', '–': '-', '—': '-', '‘': "'", '’': "'", '“': '"', '”': '"', '…': '...', '\u00a0': ' ', '\t': ' ',
};

/**
 * Vietnamese without its diacritics ("Bảo hiểm xã hội" → "Bao hiem xa hoi"): decomposed (NFD),
 * combining marks dropped, đ/Đ to d/D. Other text is left as it is.
 */
export function unaccent(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D')).normalize('NFC');
}

/** Text that is sent as GSM-7 whatever it held: unaccented, plain signs, anything else as "?". */
export function toGsm7(text: string): string {
  let out = '';
  for (const ch of unaccent(text)) out += isGsm7(ch) ? ch : (PLAIN[ch] ?? '?');
  return out;
}
