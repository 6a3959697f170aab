import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { addMonths, isValidDate, lastDayOfPeriod, periodOf, type IsoDate } from '../functions/core/dates.ts';
import { deadlineOf, policyFor } from '../functions/core/policy.ts';
import { between, chance, oneOf } from './random.ts';

/**
 * Synthetic districts for the import: employers with a realistic mix of payers (on time, 1, 2,
 * 3–5 and 6+ months behind, partial payers, overpayers) and the officers who follow them up.
 * Deterministic for a seed; rows stream to disk, so a national-size set needs little memory.
 */
export interface DatasetOptions {
  units: number;
  seed: number;
  /** The first monthly run the data is for: the ledger ends with the period before its month. */
  asOf: IsoDate;
  months: number;
  districts: number;
}

export interface DatasetCounts {
  employers: number;
  periods: number;
  payments: number;
  officers: number;
}

type Behaviour = { kind: 'on-time' } | { kind: 'behind'; months: number } | { kind: 'partial' } | { kind: 'overpays' };

const DISTRICTS: readonly { name: string; prefix: string; communes: readonly string[] }[] = [
  { name: 'Tam Điệp', prefix: 'TD', communes: ['Bắc Sơn', 'Trung Sơn', 'Nam Sơn', 'Tây Sơn', 'Tân Bình', 'Quang Sơn', 'Yên Sơn', 'Yên Bình'] },
  { name: 'Nho Quan', prefix: 'NQ', communes: ['Thị trấn Nho Quan', 'Gia Lâm', 'Gia Sơn', 'Xích Thổ', 'Phú Sơn', 'Quỳnh Lưu', 'Lạng Phong', 'Văn Phong'] },
  { name: 'Gia Viễn', prefix: 'GV', communes: ['Me', 'Gia Vân', 'Gia Hoà', 'Gia Hưng', 'Gia Phú', 'Gia Trấn', 'Gia Xuân', 'Liên Sơn'] },
  { name: 'Hoa Lư', prefix: 'HL', communes: ['Thiên Tôn', 'Ninh Hải', 'Ninh Xuân', 'Ninh Vân', 'Trường Yên', 'Ninh Giang', 'Ninh Mỹ', 'Ninh Hoà'] },
  { name: 'Yên Mô', prefix: 'YM', communes: ['Yên Thịnh', 'Yên Phong', 'Yên Mạc', 'Mai Sơn', 'Khánh Thượng', 'Yên Từ', 'Yên Lâm', 'Yên Hưng'] },
  { name: 'Kim Sơn', prefix: 'KS', communes: ['Phát Diệm', 'Bình Minh', 'Kim Đông', 'Lai Thành', 'Quang Thiện', 'Yên Mật', 'Như Hoà', 'Chất Bình'] },
];
const FORMS = ['Công ty TNHH', 'Công ty Cổ phần', 'Doanh nghiệp tư nhân', 'Hợp tác xã'];
const TRADES = ['May mặc', 'Xây dựng', 'Vận tải', 'Thương mại', 'Chế biến nông sản', 'Cơ khí', 'Dịch vụ', 'Vật liệu xây dựng', 'Du lịch', 'Thực phẩm'];
const BRANDS = ['Hoà Bình', 'Trường An', 'Phú Thịnh', 'Minh Long', 'Hưng Thịnh', 'An Phát', 'Thành Công', 'Việt Tiến', 'Đại Dương', 'Sông Đáy'];
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Thu', 'Đức', 'Ngọc'];
const GIVEN = ['An', 'Bình', 'Cường', 'Dung', 'Hà', 'Hải', 'Hương', 'Lan', 'Long', 'Mai', 'Nam', 'Phương', 'Quang', 'Sơn', 'Tâm', 'Thảo', 'Trung', 'Tuấn', 'Vân', 'Yến'];

const ascii = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase().replace(/\s+/g, '-');
const csv = (values: readonly (string | number)[]) => values.map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(',');

function district(index: number) {
  const base = DISTRICTS[index % DISTRICTS.length]!;
  const round = Math.floor(index / DISTRICTS.length);
  return round === 0 ? base : { name: `${base.name} ${round + 1}`, prefix: `${base.prefix}${round + 1}`, communes: base.communes };
}

function behaviourOf(key: string): Behaviour {
  const p = chance(`${key}|behaviour`);
  if (p < 0.70) return { kind: 'on-time' };
  if (p < 0.78) return { kind: 'behind', months: 1 };
  if (p < 0.84) return { kind: 'behind', months: 2 };
  if (p < 0.90) return { kind: 'behind', months: between(`${key}|behind`, 3, 5) };
  if (p < 0.93) return { kind: 'behind', months: between(`${key}|behind`, 6, 14) };
  if (p < 0.97) return { kind: 'partial' };
  return { kind: 'overpays' };
}

/** A CSV file written through a buffer: one disk write per 64 KB, not one per row. */
class Out {
  private stream: WriteStream;
  private buffer = '';
  rows = 0;
  constructor(path: string, header: readonly string[]) {
    this.stream = createWriteStream(path, 'utf8');
    this.buffer = `${header.join(',')}\n`;
  }
  async row(values: readonly (string | number)[]) {
    this.rows++;
    this.buffer += `${csv(values)}\n`;
    if (this.buffer.length >= 65_536) await this.flush();
  }
  private async flush() {
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
  async close() {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

/** Writes the four import CSVs into `outDir` (format: data/sample/README.md); the bench reuses it. */
export async function generateDataset(options: DatasetOptions, outDir: string): Promise<DatasetCounts> {
  await mkdir(outDir, { recursive: true });
  const employers = new Out(join(outDir, 'employers.csv'), ['unit_code', 'name', 'tax_code', 'district', 'commune', 'email', 'phone', 'locale']);
  const periods = new Out(join(outDir, 'contribution-periods.csv'), ['unit_code', 'period', 'amount_due', 'due_date']);
  const payments = new Out(join(outDir, 'payments.csv'), ['unit_code', 'reference', 'paid_on', 'amount']);
  const officers = new Out(join(outDir, 'officers.csv'), ['officer_id', 'name', 'email', 'district', 'communes', 'role', 'active', 'team_lead_id', 'phone']);
  /** A work phone: notices give the unit's officer with it (most collectors and inspectors have one on the roster). */
  const workPhone = (key: string) => (chance(`${key}|has-phone`) < 0.8 ? `08${String(between(`${key}|phone`, 0, 99_999_999)).padStart(8, '0')}` : '');
  const s = options.seed;
  const lastPeriod = addMonths(periodOf(options.asOf), -1);
  const firstPeriod = addMonths(lastPeriod, -(options.months - 1));
  // Due dates as the import derives them from a blank due_date: the policy in force for the period.
  const ledger = Array.from({ length: options.months }, (_, i) => {
    const period = addMonths(firstPeriod, i);
    const due = deadlineOf(period, policyFor(lastDayOfPeriod(period)));
    return { period, dueMonth: due.slice(0, 8), lastDay: Number(due.slice(8)) };
  });
  // Periods whose deadline has passed by the run date (a prefix of the ledger).
  const overdueCapable = ledger.filter((p) => `${p.dueMonth}${String(p.lastDay).padStart(2, '0')}` < options.asOf).length;
  const officerIds = new Set<string>();
  /** Ids are built from names, so two can coincide: a repeat gets a suffix (few officers: a small set). */
  const uniqueId = (id: string) => {
    let unique = id;
    for (let n = 2; officerIds.has(unique); n++) unique = `${id}-${n}`;
    officerIds.add(unique);
    return unique;
  };

  const perDistrict = Math.ceil(options.units / options.districts);
  for (let d = 0; d < options.districts; d++) {
    const dist = district(d);
    const unitsHere = Math.max(0, Math.min(perDistrict, options.units - d * perDistrict));
    // The collection team: about one collector per 40 units (at least 3), a team lead, two inspectors.
    const collectors = Math.max(3, Math.ceil(unitsHere / 40));
    const leadId = uniqueId(`tt.${ascii(oneOf(`${s}|${d}|lead|f`, FAMILY))}.${ascii(oneOf(`${s}|${d}|lead|g`, GIVEN))}.${d + 1}`);
    const officerName = (k: string) => `${oneOf(`${k}|f`, FAMILY)} ${oneOf(`${k}|m`, MIDDLE)} ${oneOf(`${k}|g`, GIVEN)}`;
    await officers.row([leadId, officerName(`${s}|${d}|lead`), `${leadId}@bhxh.example.vn`, dist.name, '', 'team-lead', 'true', '', workPhone(`${s}|${d}|lead`)]);
    for (let c = 0; c < collectors; c++) {
      const key = `${s}|${d}|collector|${c}`;
      const id = uniqueId(`cb.${ascii(oneOf(`${key}|f`, FAMILY))}.${ascii(oneOf(`${key}|g`, GIVEN))}.${d + 1}${String(c + 1).padStart(2, '0')}`);
      // Communes dealt round the collectors, so every commune has one; each collector owns 1–3.
      const owned = collectors >= dist.communes.length
        ? [dist.communes[c % dist.communes.length]!]
        : dist.communes.filter((_, j) => j % collectors === c);
      await officers.row([id, officerName(key), `${id}@bhxh.example.vn`, dist.name, owned.join(';'), 'collector', 'true', leadId, workPhone(key)]);
    }
    for (let i = 0; i < 2; i++) {
      const key = `${s}|${d}|inspector|${i}`;
      const id = uniqueId(`tt.${ascii(oneOf(`${key}|f`, FAMILY))}.${ascii(oneOf(`${key}|g`, GIVEN))}.${d + 1}${i + 1}`);
      await officers.row([id, officerName(key), `${id}@bhxh.example.vn`, dist.name, '', 'inspector', 'true', leadId, workPhone(key)]);
    }

    for (let u = 0; u < unitsHere; u++) {
      const unitCode = `${dist.prefix}${String(u + 1).padStart(6, '0')}`;
      const key = `${s}|${unitCode}`;
      const name = `${oneOf(`${key}|form`, FORMS)} ${oneOf(`${key}|trade`, TRADES)} ${oneOf(`${key}|brand`, BRANDS)}`;
      await employers.row([
        unitCode, name, `27${String(between(`${key}|tax`, 0, 99_999_999)).padStart(8, '0')}`, dist.name, oneOf(`${key}|commune`, dist.communes),
        `ketoan.${unitCode.toLowerCase()}@example.vn`, `09${String(between(`${key}|phone`, 0, 99_999_999)).padStart(8, '0')}`, chance(`${key}|en`) < 0.03 ? 'en' : 'vi',
      ]);
      // Monthly amount due: headcount × average wage × 32% (21.5% employer + 10.5% employee);
      // wages are whole thousands, so the product is whole dong.
      const headcount = chance(`${key}|big`) < 0.1 ? between(`${key}|hc`, 50, 300) : between(`${key}|hc`, 3, 49);
      const wage = between(`${key}|wage`, 5_000, 15_000) * 1_000;
      const monthlyDue = (headcount * wage * 32) / 100;
      const behaviour = behaviourOf(key);
      const paysUpTo = behaviour.kind === 'behind' ? overdueCapable - behaviour.months : overdueCapable;
      for (const [i, { period, dueMonth, lastDay }] of ledger.entries()) {
        await periods.row([unitCode, period, monthlyDue, '']);
        // Paid in the deadline month, from its 5th day to its deadline.
        const paidOn = `${dueMonth}${String(1 + between(`${key}|${period}|day`, 4, lastDay - 1)).padStart(2, '0')}`;
        if (paidOn > options.asOf || i >= paysUpTo) continue;
        let amount = monthlyDue;
        if (behaviour.kind === 'partial' && i >= overdueCapable - 3) amount = Math.floor((monthlyDue * between(`${key}|${period}|part`, 60, 90)) / 100);
        if (behaviour.kind === 'overpays') amount = Math.floor((monthlyDue * between(`${key}|${period}|over`, 105, 120)) / 100);
        await payments.row([unitCode, `UNC-${unitCode}-${period}`, paidOn, amount]);
      }
    }
  }
  await Promise.all([employers.close(), periods.close(), payments.close(), officers.close()]);
  return { employers: employers.rows, periods: periods.rows, payments: payments.rows, officers: officers.rows };
}

const USAGE = 'Usage: npm run generate -- --units N --seed S --as-of YYYY-MM-DD --months M --out DIR [--districts K]';

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        units: { type: 'string', default: '300' }, seed: { type: 'string', default: '42' }, 'as-of': { type: 'string', default: '2026-11-02' },
        months: { type: 'string', default: '24' }, districts: { type: 'string', default: '1' }, out: { type: 'string', default: '.local/generated' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exitCode = 1;
    return;
  }
  const options: DatasetOptions = {
    units: Number(values.units), seed: Number(values.seed), asOf: values['as-of'], months: Number(values.months), districts: Number(values.districts),
  };
  const counts = [options.units, options.seed, options.months, options.districts];
  if (values.help || !isValidDate(options.asOf) || !counts.every((n) => Number.isSafeInteger(n) && n >= 0) || options.units < 1 || options.months < 1 || options.districts < 1) {
    console.error(USAGE);
    process.exitCode = values.help ? 0 : 1;
    return;
  }
  const written = await generateDataset(options, resolve(values.out));
  console.log(`Wrote ${values.out}: ${written.employers} employers, ${written.periods} periods, ${written.payments} payments, ${written.officers} officers`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
