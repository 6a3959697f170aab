import type { Vnd } from './ledger.ts';

const VND = new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND', maximumFractionDigits: 0 });

/** 1250000 → "1.250.000 ₫" (vi-VN), with an ordinary space so it reads the same in plain text. */
export function formatVnd(amount: Vnd): string {
  return VND.format(amount).replace(/\u00a0/g, ' ');
}

/** Parts per million per day as a percentage: 300 → "0,03%" (vi) or "0.03%" (en). */
export function formatDailyRate(ppm: number, locale: 'vi' | 'en'): string {
  const pct = (ppm / 10_000).toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
  return `${locale === 'vi' ? pct.replace('.', ',') : pct}%`;
}
