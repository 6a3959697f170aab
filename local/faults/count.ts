/**
 * Counting at the wire after recovery: what the SES wire stand-in accepted (its JSONL record), the
 * SMS files and the Zalo ZNS files written, per message kind, against what the store says was due.
 *
 * A message's identity: its `claim` tag when it carries one (SES message tag), otherwise a key made of
 * its kind and content (unit and cycle, task id, payment reference, recipient and subject or text).
 * - duplicates: extra copies of one message (n copies count n - 1);
 * - missing: expected but never accepted. Statements: every unit with a profile, every cycle run.
 *   Urging and pre-disclosure notices: every claim not in a final state (sent, not needed, held,
 *   lapsed) with no message at the wire; officers' emails of an assignment likewise, by their claims. Reminders: every claim not in a final state (by claim only:
 *   a reminder is not matched to its claim at the wire). A reminder's phone message is one claim
 *   (`REMINDER#…#sms`) delivered by ZNS (`reminder-zns`, a `.zns.json` named by its tracking id, the
 *   hash of the claim key) or, after ZNS refused it, by SMS (`reminder-sms`): either once is one
 *   delivery. An SMS whose claim also has a ZNS file reached the person twice: a duplicate (of
 *   `reminder-sms`). An unfinished phone claim is missing as `reminder-zns` when its ZNS attempt is on
 *   record and was not refused outright, as `reminder-sms` otherwise. Officer emails: every task timed out and
 *   escalated, every task closed by a payment. Payment confirmations: every payment recorded through
 *   the payment step (its `payment-recorded` event). Employees' notices (SMS or email) and their
 *   units' emails: every claim not in a final state, matched by its claim (both carry its tag).
 */
import { readFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startDynalite } from '../embedded/dynalite.ts';
import { LOCAL_TABLE } from '../embedded/stack.ts';
import type { WireRecord } from './ses-wire.ts';
import { claimKey, claimTag } from '../../functions/commons/message-claims.ts';
import { znsTrackingId } from '../../functions/commons/zns-sender.ts';

export const KINDS = ['urging', 'statement', 'pre-disclosure', 'payment-confirmation', 'officer-email', 'reminder-sms', 'reminder-zns', 'reminder-email', 'employee-notice', 'employees-informed'] as const;
export type Kind = (typeof KINDS)[number];

export interface Sent { kind: Kind; key: string; tag?: string | undefined }
export interface KindCount { kind: Kind; sent: number; duplicates: number; missing: number; expected: number }

/** dd/mm/yyyy or yyyy-mm-dd → yyyy-mm-dd (the first date in the text). */
function firstDate(text: string): string | undefined {
  const m = /(\d{2})\/(\d{2})\/(\d{4})|(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!m) return undefined;
  return m[1] ? `${m[3]}-${m[2]}-${m[1]}` : `${m[4]}-${m[5]}-${m[6]}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** mm/yyyy, `November 2026` or yyyy-mm → yyyy-mm. */
function cycleOf(text: string): string {
  const m = /^(\d{2})\/(\d{4})$/.exec(text);
  if (m) return `${m[2]}-${m[1]}`;
  const named = /^([A-Z][a-z]+) (\d{4})$/.exec(text);
  const month = named ? MONTHS.indexOf(named[1]!) : -1;
  return named && month >= 0 ? `${named[2]}-${String(month + 1).padStart(2, '0')}` : text;
}

/** An employee's notice or its unit's email, by its claim (the SES tag, the SMS's Claim line): the key the store's claim gives too. */
function employeeNoticeOf(tag: string | undefined): Sent | undefined {
  const ref = tag ? claimTag.read(tag) : undefined;
  if (ref?.message === 'employee-notice') return { kind: 'employee-notice', key: `${ref.unitCode}|${ref.cycle}|${ref.employee}`, tag };
  if (ref?.message === 'employees-informed') return { kind: 'employees-informed', key: `${ref.unitCode}|${ref.cycle}`, tag };
  return undefined;
}

/** The kind and identity of an email accepted at the wire, told apart by the policy templates' subjects. */
export function classifyEmail(r: WireRecord): Sent {
  const s = r.subject;
  const tag = r.tags.claim ?? r.claimKeyHeader;
  const employees = employeeNoticeOf(tag);
  if (employees) return employees;
  const text = r.text ?? '';
  const unit = /(?:đơn vị|unit) (\S+)\s*$/.exec(s)?.[1];
  let m: RegExpExecArray | null;
  if ((m = /^(?:Thông báo kết quả đóng BHXH, BHYT, BHTN tháng|Contribution statement,?) (.+?) – (?:đơn vị|unit) (\S+)$/.exec(s))) {
    return { kind: 'statement', key: `${m[2]}|${cycleOf(m[1]!)}`, tag };
  }
  if (/^(?:Thông báo trước khi công khai|Notice before public disclosure)/.test(s)) {
    return { kind: 'pre-disclosure', key: `${unit}|${(firstDate(text) ?? r.at).slice(0, 7)}`, tag };
  }
  if (/^(?:Thông báo đôn đốc|Contribution arrears notice)/.test(s)) {
    return { kind: 'urging', key: `${unit}|${(firstDate(text) ?? r.at).slice(0, 7)}`, tag };
  }
  if (/^(?:Xác nhận đã nhận tiền|Payment received)/.test(s)) {
    const reference = /(?:reference|mã|tham chiếu)[^A-Z0-9]*([A-Z][A-Z0-9-]+)/i.exec(text)?.[1] ?? text;
    return { kind: 'payment-confirmation', key: `${unit}|${reference}`, tag };
  }
  if ((m = /^(?:Nhiệm vụ mới|New task) (\S+):/.exec(s))) {
    // Each assignment of a task is its own email: the claim tag says which (0 opened, n reassigned).
    const ref = tag ? claimTag.read(tag) : undefined;
    const assignment = ref?.message === 'officer-email' ? ref.assignment ?? 0 : 0;
    return { kind: 'officer-email', key: `assigned|${m[1]}#${assignment}`, tag };
  }
  if ((m = /^(?:Nhiệm vụ|Task) (\S+) (đã đóng|closed|quá hạn|is overdue)/.exec(s))) {
    return { kind: 'officer-email', key: `${/đóng|closed/.test(m[2]!) ? 'closed' : 'overdue'}|${m[1]}`, tag };
  }
  return { kind: 'reminder-email', key: `${r.to.join(',')}|${s}`, tag };
}

export function readWire(logFile: string): Sent[] {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => classifyEmail(JSON.parse(l) as WireRecord));
}

/** Every file under `dir`, at any depth, whose name ends with `suffix`. */
function filesUnder(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return filesUnder(p, suffix);
    return name.endsWith(suffix) ? [p] : [];
  });
}

/** Every .sms.txt under `dir` (the FolderSmsSender's outbox copies, a folder per run). */
export function readSms(dir: string): Sent[] {
  return filesUnder(dir, '.sms.txt').map((p) => {
    const raw = readFileSync(p, 'utf8');
    const to = /^To: (.*)$/m.exec(raw)?.[1] ?? '';
    const text = raw.split('\n\n').slice(1).join('\n\n').trim();
    const tag = /^Claim: (.*)$/m.exec(raw)?.[1];
    return employeeNoticeOf(tag) ?? { kind: 'reminder-sms', key: `${to}|${text}`, tag };
  });
}

/** Every .zns.json under `dir` (the FolderZnsSender's outbox copies): one reminder each, known by its tracking id (its claim's). */
export function readZns(dir: string): Sent[] {
  return filesUnder(dir, '.zns.json').map((p) => {
    const record = JSON.parse(readFileSync(p, 'utf8')) as { tracking_id?: unknown; msg_id?: unknown };
    return { kind: 'reminder-zns', key: typeof record.tracking_id === 'string' ? record.tracking_id : `untracked|${String(record.msg_id)}` };
  });
}

/** The ZNS tracking id of a reminder SMS's claim (its Claim tag), the key its ZNS file would have. */
function trackingIdOf(tag: string | undefined): string | undefined {
  const ref = tag ? claimTag.read(tag) : undefined;
  return ref?.message === 'reminder' ? znsTrackingId(claimKey(ref)) : undefined;
}

type Item = Record<string, unknown> & { pk: string; sk: string };

/** The table on disk at `storePath`, whole (the run's process must have ended: LevelDB is single-process). */
export async function readStore(storePath: string): Promise<Item[]> {
  const dynamo = await startDynalite({ path: storePath });
  try {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamo.doc.send(new ScanCommand({ TableName: LOCAL_TABLE, ExclusiveStartKey: start }));
      items.push(...((page.Items ?? []) as Item[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  } finally {
    await dynamo.close();
  }
}

const FINAL = new Set(['sent', 'not-needed', 'held', 'lapsed']);

/** What was due, per kind, as message identities (or, for reminders, a count of claims left unfinished). */
export function expectedOf(items: Item[], cycles: string[]) {
  const expected: Record<Kind, Set<string>> = Object.fromEntries(KINDS.map((k) => [k, new Set<string>()])) as never;
  /** Claims left unfinished (claimed, failed): due, maybe sent. Matched against the wire where the key allows. */
  const unfinished: Record<Kind, Set<string>> = Object.fromEntries(KINDS.map((k) => [k, new Set<string>()])) as never;
  /** The ZNS attempts on record (ZNS#<trackingId> / ATTEMPT), by tracking id. */
  const attempts = new Map(items.filter((it) => it.pk.startsWith('ZNS#') && it.sk === 'ATTEMPT').map((it) => [it.pk.slice(4), it]));
  for (const it of items) {
    const unit = it.pk.startsWith('EMP#') ? it.pk.slice(4) : undefined;
    let m: RegExpExecArray | null;
    if (it.message === 'employee-notice' || it.message === 'employees-informed') {
      const key = it.message === 'employee-notice' ? `${it.unitCode}|${it.cycle}|${it.employee}` : `${it.unitCode}|${it.cycle}`;
      if (it.status === 'sent' || !FINAL.has(String(it.status))) expected[it.message].add(key);
    } else if (unit && it.sk === 'PROFILE') for (const c of cycles) expected.statement.add(`${unit}|${c}`);
    else if (unit && (m = /^NOTICE#([^#]+)#urging$/.exec(it.sk))) {
      if (it.status === 'sent') expected.urging.add(`${unit}|${m[1]}`);
      else if (!FINAL.has(String(it.status))) { expected.urging.add(`${unit}|${m[1]}`); unfinished.urging.add(`${unit}|${m[1]}`); }
    } else if (unit && it.sk === 'DISCLOSURE') {
      const month = String(it.sentOn ?? it.claimedAt ?? '').slice(0, 7);
      if (it.status === 'sent' || !FINAL.has(String(it.status))) expected['pre-disclosure'].add(`${unit}|${month}`);
    } else if (it.pk.startsWith('TASK#') && (m = /^MESSAGE#task-assigned#(\d+)$/.exec(it.sk))) {
      // An assignment's email is due unless it was settled without one (the task closed or moved on first).
      if (it.status === 'sent' || !FINAL.has(String(it.status))) expected['officer-email'].add(`assigned|${it.pk.slice(5)}#${m[1]}`);
    } else if ((m = /^REMINDER#.*#(sms|email)$/.exec(it.sk)) && !FINAL.has(String(it.status))) {
      // The phone's claim went to Zalo when its attempt is on record, unless Zalo refused it outright (then SMS was next).
      const attempt = m[1] === 'sms' ? attempts.get(znsTrackingId({ pk: it.pk, sk: it.sk })) : undefined;
      const byZns = attempt !== undefined && !(attempt.status === 'refused' && attempt.unsure !== true);
      unfinished[m[1] === 'email' ? 'reminder-email' : byZns ? 'reminder-zns' : 'reminder-sms'].add(`${it.pk}|${it.sk}`);
    } else if (unit && it.sk.startsWith('EVENT#')) {
      const detail = (it.detail ?? {}) as Record<string, unknown>;
      if (it.kind === 'task-timed-out' && detail.escalating === true) expected['officer-email'].add(`overdue|${detail.taskId}`);
      if (it.kind === 'task-closed-by-payment') expected['officer-email'].add(`closed|${detail.taskId}`);
      if (it.kind === 'payment-recorded') expected['payment-confirmation'].add(`${unit}|${detail.reference}`);
    }
  }
  return { expected, unfinished };
}

/** The per-kind figures of one scenario. */
export function countKinds(sent: Sent[], items: Item[], cycles: string[]): KindCount[] {
  const { expected, unfinished } = expectedOf(items, cycles);
  const byZns = new Set(sent.filter((s) => s.kind === 'reminder-zns').map((s) => s.key));
  return KINDS.map((kind) => {
    const mine = sent.filter((s) => s.kind === kind);
    const copies = new Map<string, number>();
    for (const s of mine) { const id = s.tag ? `tag:${s.tag}` : s.key; copies.set(id, (copies.get(id) ?? 0) + 1); }
    let duplicates = [...copies.values()].reduce((a, n) => a + n - 1, 0);
    // A reminder SMS of a claim ZNS delivered too: the person got the message twice (once per SMS claim).
    if (kind === 'reminder-sms') duplicates += new Set(mine.map((s) => trackingIdOf(s.tag)).filter((t) => t !== undefined && byZns.has(t))).size;
    const atWire = new Set(mine.map((s) => s.key));
    let missing: number;
    let due: number;
    if (kind === 'reminder-sms' || kind === 'reminder-zns' || kind === 'reminder-email') {
      missing = unfinished[kind].size;
      due = atWire.size + missing;
    } else {
      missing = [...expected[kind]].filter((k) => !atWire.has(k)).length;
      due = expected[kind].size;
    }
    return { kind, sent: mine.length, duplicates, missing, expected: due };
  });
}
