import PDFDocument from 'pdfkit';
import { ledgerStatus } from '../functions/core/ledger.ts';
import { addMonths } from '../functions/core/dates.ts';
import { POLICY_VERSIONS, deadlineOf } from '../functions/core/policy.ts';
import { buildStatement, renderStatement } from '../functions/core/statement.ts';
import { statementHtml } from '../functions/report/statement-html.ts';
import { statementPdf } from '../functions/report/statement-pdf.ts';
import { ids } from '../functions/commons/ids.ts';
import { loadOffice } from '../infra/office-config.ts';

/**
 * Benchmark of one unit's monthly statement (npm run bench:statements): its PDF and its HTML,
 * beside the floor measured in the same run: a one-page pdfkit document with one line of text.
 * Target: the statement's PDF within 15 × the floor. Its cost is mostly embedding two DejaVu faces
 * (Vietnamese diacritics) and the per-period table; at that ratio 400,000 statements in 32 segments
 * (the statement run's fan-out, deployment configuration) stay inside Lambda's 15 minutes.
 */
const TARGET_RATIO = 15;
const N = 40;
const policy = POLICY_VERSIONS.at(-1)!;
const periods = Array.from({ length: 14 }, (_, i) => addMonths('2025-09', i)).map((period) => ({ period, amountDue: 12_345_678, dueDate: deadlineOf(period, policy) }));
const payments = periods.filter((p) => p.period < '2026-08').map((p) => ({ reference: `UNC-${p.period}`, paidOn: p.dueDate, amount: p.amountDue }));
const statement = buildStatement('TA0012345', ledgerStatus(periods, payments, '2026-11-02', policy), '2026-11', policy);
const office = loadOffice();
// As sent: the sample office's letter (letterhead, accounts, officer, signature, numbered pages).
const letter = { office, number: ids.document({ kind: 'statement', unitCode: 'TA0012345', cycle: '2026-11' }, office.documentCode), sentAt: new Date('2026-11-02T09:00:00+07:00'), officer: { name: 'Phạm Ngọc Long', phone: '0912345678' } };
const doc = renderStatement({ unitCode: 'TA0012345', name: 'Công ty TNHH May mặc Hoà Bình', taxCode: '2700123456', locale: 'vi' }, statement, policy, letter);

function floorPdf(): Promise<Buffer> {
  return new Promise((resolve) => {
    const pdf = new PDFDocument({ size: 'A4' });
    const chunks: Buffer[] = [];
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.text('Statement');
    pdf.end();
  });
}

async function msEach(run: () => Promise<unknown> | unknown): Promise<number> {
  await run();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await run();
  return (performance.now() - t0) / N;
}

const floor = await msEach(floorPdf);
const pdf = await msEach(() => statementPdf(doc));
const html = await msEach(() => statementHtml(renderStatement({ unitCode: 'TA0012345', name: 'Công ty TNHH May mặc Hoà Bình', taxCode: '2700123456', locale: 'vi' }, statement, policy, letter)));
const ratio = pdf / floor;
console.log(`floor: one-line PDF          ${floor.toFixed(1)} ms`);
console.log(`statement PDF                ${pdf.toFixed(1)} ms   ${ratio.toFixed(1)} × floor (target ≤ ${TARGET_RATIO} ×)`);
console.log(`statement document + HTML    ${html.toFixed(2)} ms`);
console.log(`400,000 statements / 32 segments: ${((400_000 / 32) * pdf / 60_000).toFixed(1)} min of PDF per invocation`);
if (ratio > TARGET_RATIO) {
  console.log('TARGET MISSED');
  process.exitCode = 1;
}
