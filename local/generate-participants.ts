import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { addMonths, addDays, lastDayOfPeriod, periodOf, type IsoDate } from '../functions/core/dates.ts';
import { between, chance, oneOf } from './random.ts';
import { formatNoZalo, NO_ZALO_FILE } from './zns-no-zalo.ts';

/**
 * Synthetic voluntary SI participants, households with HI cards, their collection agents, a few
 * renewals already recorded and the month's renewal targets (format: data/sample/README.md
 * "Participant reminders"). Deterministic for a seed. Cover ends spread over the months around
 * `asOf`, so a local run of a few months sees reminders before, on and after the end of cover.
 */
export interface ParticipantDatasetOptions {
  participants: number;
  households: number;
  seed: number;
  asOf: IsoDate;
}

const COMMUNES = ['Bắc Sơn', 'Trung Sơn', 'Nam Sơn', 'Tây Sơn'];
export const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ'];
export const MIDDLE = ['Văn', 'Thị', 'Minh', 'Thu', 'Đức', 'Ngọc'];
export const GIVEN = ['An', 'Bình', 'Cường', 'Dung', 'Hà', 'Hải', 'Hương', 'Lan', 'Long', 'Mai', 'Nam', 'Phương', 'Quang', 'Sơn', 'Tâm', 'Thảo'];
/** The ranges drawn from (exported: the SMS length test renders reminders over their extremes). */
export const RANGES = { incomeMillions: [2, 8], yearsAhead: 2, members: [1, 6] } as const;
/**
 * About a third of the participants and heads of household use Zalo on their phone (`zalo` = yes);
 * of those, a few have no Zalo account after all in the local stand-in (NO_ZALO_FILE), so their
 * reminders go by SMS after ZNS refuses them.
 */
export const ZALO_SHARE = 1 / 3;
export const NO_ZALO_SHARE = 0.15;
export const AGENTS = [
  { id: 'dl.nguyen.thi.hoa', name: 'Nguyễn Thị Hoa', communes: ['Bắc Sơn', 'Trung Sơn'], phone: '0915000101' },
  { id: 'dl.tran.van.minh', name: 'Trần Văn Minh', communes: ['Nam Sơn'], phone: '0915000102' },
  { id: 'dl.le.thu.trang', name: 'Lê Thu Trang', communes: ['Tây Sơn'], phone: '0915000103' },
];

const csv = (values: readonly (string | number)[]) => values.map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(',');
const file = (header: string[], rows: (string | number)[][]) => [header.join(','), ...rows.map(csv)].join('\n') + '\n';
const name = (key: string) => `${oneOf(`${key}|f`, FAMILY)} ${oneOf(`${key}|m`, MIDDLE)} ${oneOf(`${key}|g`, GIVEN)}`;
const agentOf = (commune: string) => AGENTS.find((a) => a.communes.includes(commune))!;
const dob = (key: string, from: number, to: number) => `${between(`${key}|y`, from, to)}-${String(between(`${key}|mo`, 1, 12)).padStart(2, '0')}-${String(between(`${key}|d`, 1, 28)).padStart(2, '0')}`;

export async function writeParticipantDataset(outDir: string, o: ParticipantDatasetOptions): Promise<Record<string, number>> {
  await mkdir(outDir, { recursive: true });
  const s = o.seed;
  const month = periodOf(o.asOf);
  const agents = AGENTS.map((a) => [a.id, a.name, `${a.id}@bhxh.example.vn`, 'Tam Điệp', a.communes.join(';'), 'collection-agent', 'true', '', a.phone]);

  const participants: (string | number)[][] = [];
  const noZalo: string[] = [];
  /** The `zalo` cell of a payer with this phone; a few of the Zalo users are listed as having no Zalo in the local stand-in. */
  const zaloOf = (key: string, phone: string) => {
    if (chance(`${key}|zalo`) >= ZALO_SHARE) return 'no';
    if (chance(`${key}|nozalo`) < NO_ZALO_SHARE) noZalo.push(phone);
    return 'yes';
  };
  const renewals: (string | number)[][] = [];
  for (let i = 0; i < o.participants; i++) {
    const key = `${s}|p|${i}`;
    const siCode = `27${String(between(`${key}|code`, 0, 9999)).padStart(4, '0')}${String(i).padStart(4, '0')}`;
    const commune = oneOf(`${key}|commune`, COMMUNES);
    const method = oneOf(`${key}|method`, ['monthly', 'monthly', 'quarterly', 'quarterly', 'half-yearly', 'yearly', 'years-ahead'] as const);
    // Cover ends from the month before the run to three months after it; a few lapsed long ago.
    const paidThrough = chance(`${key}|old`) < 0.05 ? addMonths(month, -3) : addMonths(month, between(`${key}|end`, -1, 2));
    const channel = chance(`${key}|email`) < 0.3 ? 'email' : 'sms';
    const hasEmail = channel === 'email' || chance(`${key}|also`) < 0.3;
    const phone = `09${String(between(`${key}|ph`, 10_000_000, 99_999_999))}`;
    participants.push([
      siCode, name(key), dob(key, 1965, 2000), phone, hasEmail ? `p${siCode}@example.vn` : '',
      commune, agentOf(commune).id, method, method === 'years-ahead' ? RANGES.yearsAhead : '', between(`${key}|inc`, ...RANGES.incomeMillions) * 1_000_000,
      oneOf(`${key}|grp`, ['poor', 'near-poor', 'ethnic-minority', 'other', 'other', 'other'] as const), between(`${key}|used`, 0, 30), paidThrough,
      channel, chance(`${key}|en`) < 0.05 ? 'en' : 'vi', chance(`${key}|consent`) < 0.93 ? 'true' : 'false', chance(`${key}|optout`) < 0.03 ? 'true' : 'false',
      zaloOf(key, phone),
    ]);
    // A few paid early, before the run: recorded as renewals, they get no reminder for that cycle.
    if (chance(`${key}|early`) < 0.06) renewals.push(['vsi', siCode, `VSI-${siCode}-${addMonths(paidThrough, 1)}`, addDays(o.asOf, -between(`${key}|pd`, 1, 10)), '', addMonths(paidThrough, 3), '']);
  }

  const households: (string | number)[][] = [];
  const cards: (string | number)[][] = [];
  for (let h = 0; h < o.households; h++) {
    const key = `${s}|h|${h}`;
    const code = `HGD${String(h + 1).padStart(6, '0')}`;
    const commune = oneOf(`${key}|commune`, COMMUNES);
    const expiry = lastDayOfPeriod(addMonths(month, between(`${key}|end`, 0, 2)));
    const channel = chance(`${key}|email`) < 0.2 ? 'email' : 'sms';
    const phone = `09${String(between(`${key}|ph`, 10_000_000, 99_999_999))}`;
    households.push([
      code, name(key), phone, channel === 'email' ? `h${code.toLowerCase()}@example.vn` : '',
      commune, agentOf(commune).id, oneOf(`${key}|method`, ['quarterly', 'half-yearly', 'yearly'] as const), channel, 'vi', 'true', 'false', zaloOf(key, phone),
    ]);
    const members = between(`${key}|members`, ...RANGES.members);
    for (let m = 0; m < members; m++) {
      cards.push([code, `28${String(h).padStart(4, '0')}${String(m).padStart(4, '0')}`, name(`${key}|${m}`), dob(`${key}|${m}`, 1950, 2020), expiry]);
    }
  }

  const targets: (string | number)[][] = [];
  for (let k = 0; k < 4; k++) {
    const m = addMonths(month, k - 1);
    for (const c of COMMUNES) targets.push([m, c, '', 75]);
    targets.push([m, 'Bắc Sơn', 'dl.nguyen.thi.hoa', 80]);
  }

  await writeFile(join(outDir, 'collection-agents.csv'), file(['officer_id', 'name', 'email', 'district', 'communes', 'role', 'active', 'team_lead_id', 'phone'], agents));
  await writeFile(join(outDir, 'participants.csv'), file([
    'si_code', 'name', 'date_of_birth', 'phone', 'email', 'commune', 'agent_id', 'payment_method', 'years_ahead', 'chosen_income', 'support_group',
    'support_months_used', 'paid_through', 'preferred_channel', 'language', 'consent', 'opt_out', 'zalo',
  ], participants));
  await writeFile(join(outDir, 'households.csv'), file(['household_code', 'head_name', 'phone', 'email', 'commune', 'agent_id', 'payment_method', 'preferred_channel', 'language', 'consent', 'opt_out', 'zalo'], households));
  await writeFile(join(outDir, NO_ZALO_FILE), formatNoZalo(noZalo));
  await writeFile(join(outDir, 'hi-cards.csv'), file(['household_code', 'si_code', 'name', 'date_of_birth', 'expires_on'], cards));
  await writeFile(join(outDir, 'renewals.csv'), file(['kind', 'code', 'reference', 'paid_on', 'amount', 'paid_through', 'expires_on'], renewals));
  await writeFile(join(outDir, 'renewal-targets.csv'), file(['month', 'commune', 'agent_id', 'target_renewal_percent'], targets));
  return { agents: agents.length, participants: participants.length, households: households.length, cards: cards.length, renewals: renewals.length, targets: targets.length, zalo: [...participants, ...households].filter((r) => r.at(-1) === 'yes').length, noZalo: noZalo.length };
}

async function main() {
  const { values } = parseArgs({
    options: {
      participants: { type: 'string', default: '160' }, households: { type: 'string', default: '40' }, seed: { type: 'string', default: '1' },
      'as-of': { type: 'string', default: '2026-11-02' }, out: { type: 'string', default: 'data/sample/participants' },
    },
  });
  const counts = await writeParticipantDataset(resolve(values.out), {
    participants: Number(values.participants), households: Number(values.households), seed: Number(values.seed), asOf: values['as-of'],
  });
  console.log(`Wrote ${values.out}: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
