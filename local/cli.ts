import './embedded/polyfills.ts';
import './embedded/quiet.ts';
import { parseArgs } from 'node:util';
import { dirname, resolve, join } from 'node:path';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { createTable, startDynalite } from './embedded/dynalite.ts';
import { startLocalSes } from './embedded/ses.ts';
import { LOCAL_TABLE } from './embedded/stack.ts';
import { DEFAULT_OFFICE, useOffice } from '../infra/office-config.ts';
import { z } from 'zod';
import { awsDeps, type Deps } from '../functions/commons/deps.ts';
import { STAFF_GROUPS, type Staff } from '../functions/core/staff-access.ts';
import * as api from '../functions/api/routes.ts';
import { clock } from '../functions/commons/clock.ts';
import { ledgerStatus } from '../functions/core/ledger.ts';
import { formatVnd } from '../functions/core/money.ts';
import { recordPayment } from '../functions/steps/record-payment.ts';
import { holdSchema, paymentSchema } from '../functions/commons/records.ts';
import { clearHold, setHold } from '../functions/steps/set-hold.ts';
import { parseInput } from '../functions/commons/handler.ts';
import { logger } from '../functions/commons/logger.ts';
import { renderReferralPack } from '../functions/report/referral-pack-markdown.ts';
import { describeCaseEvent } from '../functions/core/case-events.ts';
import { loadReferralPack } from '../functions/steps/referral-pack.ts';
import { ids } from '../functions/commons/ids.ts';
import { ArrearsError, InvalidInputError, PaymentConflictError } from '../functions/commons/errors.ts';
import { formatCollectionReport, importCollectionFiles } from '../functions/import/collection-file.ts';
import { formatImportReport, importFolder } from '../functions/import/csv-import.ts';
import { formatStaffSync, syncStaff, type StaffSyncReport } from '../functions/steps/sync-staff.ts';
import { GROUP_OF_ROLE } from '../functions/core/roster-sync.ts';
import { DynamoArrearsStore } from '../functions/commons/dynamo-store.ts';
import { clients } from '../functions/commons/clients.ts';
import { config } from '../functions/commons/config.ts';
import { viDateTime } from '../functions/inbox/words.ts';
import { CliArgumentError, cliAmount, cliDate, cliInstalment, cliOfficer, cliUnit } from './cli-args.ts';
import { planBatch, readReport, reportKeyOf, type FileReport } from '../functions/import/file-import.ts';
import { S3ImportBucket } from '../functions/commons/documents.ts';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createReadStream, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { loadLocalLambdas } from './embedded/lambda.ts';
import { formatFileReports, importThroughBucket } from './import-batch.ts';

const USAGE = `Staff actions on the arrears store.

Usage: npm run cli -- <command> [arguments] [--store DIR | --aws] [--as-of YYYY-MM-DD]
  history UNIT                       a unit's case and every step of its history (who, what, when)
  ledger UNIT                        periods, payments, interest and debt as of a date
  tasks OFFICER                      an officer's open tasks, by due date
  pay UNIT REFERENCE PAID_ON AMOUNT  record a payment (idempotent on REFERENCE); ends the escalation if the debt is cleared
  import DIR [--batch NAME]          import a folder of CSV files (data/sample/README.md) through the import bucket, as an
                                     upload does: with --aws, uploads it to IMPORT_BUCKET under imports/NAME/ and waits for
                                     each file's report (reports/NAME/<file>.json); locally, through the import machine
  import-payments FILE...            record the payments of bank / post-office collection files (data/sample/README.md)
  import-officers FILE               import a roster (officers.csv format) and sync the staff's accounts from it: new
                                     users invited, changed emails and roles updated, inactive officers and leavers
                                     disabled (never deleted), their open tasks handed to active officers
  hold UNIT REASON UNTIL --note TEXT pause notices and escalation through UNTIL (force-majeure, dispute, insolvency, other)
  release UNIT                       lift a hold early
  referral UNIT [--out FILE]         the inspector's referral pack as of a date: Markdown on screen, or FILE (.md) and its JSON

 As a member of staff (--as ID; the same rules as the staff API: your tasks, your team's for a team lead):
  my-tasks --as ID                   open tasks you may work, by due date
  outcome TASK OUTCOME --as ID       record a task's outcome: contacted, unreachable, disputed, paid, refer-to-inspection,
                                     promised-to-pay --pay-by DATE --amount VND, plan-agreed --instalment DATE:VND (repeat);
                                     inspectors: paid, plan-agreed, penalty-proposed, closed. --note TEXT optional
  acknowledge TASK --as ID           mark your task as seen
  reassign TASK OFFICER --as ID      team lead: give the task to another active officer of the team

  --store DIR   the on-disk store of a local run (npm start -- --store DIR); default .local/db
  --aws         the deployed table (TABLE_NAME, STATE_MACHINE_ARN, IMPORT_BUCKET, for import-officers USER_POOL_ID, and AWS credentials from the environment)
  --batch NAME  import: the batch's name (default: today's month, YYYY-MM); --wait MINUTES how long to wait for reports (default 120)
  --actor ID    who is acting (recorded on the case); default cli
  --as ID       the staff member acting; their groups follow their role in the roster (or give --group)
  --office NAME the office's settings (config/offices/NAME.json or a path; default sample, or OFFICE_SETTINGS with --aws)
  --out FILE    referral: write the pack to FILE (Markdown) and FILE's .json (the hashed JSON) instead of printing it
Emails the local store would send go to out/cli/outbox.`;

const COMMANDS = ['history', 'ledger', 'tasks', 'pay', 'import', 'import-payments', 'import-officers', 'hold', 'release', 'referral', 'my-tasks', 'outcome', 'acknowledge', 'reassign'];

/** The command line, read strictly: an unknown option or one missing its value is refused (exit 2). */
function readArgs() {
  try {
    return parseArgs({ allowPositionals: true, options: OPTIONS });
  } catch (error) {
    throw new CliArgumentError(`${(error as Error).message}\n\n${USAGE}`);
  }
}

const OPTIONS = {
      store: { type: 'string', default: '.local/db' }, aws: { type: 'boolean', default: false }, 'as-of': { type: 'string' },
      actor: { type: 'string', default: 'cli' }, note: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' },
      as: { type: 'string' }, group: { type: 'string', multiple: true }, 'pay-by': { type: 'string' }, amount: { type: 'string' },
      instalment: { type: 'string', multiple: true }, office: { type: 'string' }, batch: { type: 'string' }, wait: { type: 'string', default: '120' },
} as const;

async function main() {
  const { values, positionals } = readArgs();
  const [command, ...args] = positionals;
  if (values.help || !command) return console.log(USAGE);
  if (!COMMANDS.includes(command)) throw new CliArgumentError(`Unknown command ${command}: one of ${COMMANDS.join(', ')}\n\n${USAGE}`);
  // Checked before the store is opened: a bad date, amount or id stops here, it never reaches a computation.
  const asOf = values['as-of'] === undefined ? undefined : cliDate(values['as-of'], '--as-of');
  const payBy = values['pay-by'] === undefined ? undefined : cliDate(values['pay-by'], '--pay-by');
  const promisedAmount = values.amount === undefined ? undefined : cliAmount(values.amount, '--amount');
  const instalments = values.instalment?.map(cliInstalment);
  const actingAs = values.as === undefined ? undefined : cliOfficer(values.as, '--as');
  const waitMinutes = Number(values.wait);
  if (!Number.isInteger(waitMinutes) || waitMinutes < 1) throw new CliArgumentError(`--wait ${values.wait} is not a number of minutes: a whole number from 1`);

  let close = async () => {};
  let drain = async () => 0;
  if (!values.aws) {
    const path = resolve(values.store);
    if (!existsSync(path)) throw new Error(`No local store at ${path}: run npm start -- --store ${values.store} first, or pass --aws`);
    const dynamo = await startDynalite({ path });
    await createTable(dynamo.client, LOCAL_TABLE);
    const ses = await startLocalSes();
    Object.assign(process.env, {
      AWS_REGION: 'ap-southeast-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', TABLE_NAME: LOCAL_TABLE,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AWS_ENDPOINT_URL_SES: ses.endpoint,
      // No workflow is running once a local run has ended, so no task can be waiting.
      AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:9', POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
      // The local run's staff directory: kept in its store (there is no local Cognito).
      LOCAL_STAFF_DIRECTORY: 'table', STAFF_INVITATIONS_DIR: resolve('out', 'cli', 'outbox', 'staff'),
    });
    // The functions' logger was made at import, before the level above was set.
    logger.setLogLevel(process.env.POWERTOOLS_LOG_LEVEL as 'ERROR');
    // The import bucket's stand-in beside the store (npm start's is in its out folder).
    process.env.IMPORT_DIR ??= join(dirname(path), 'import-bucket');
    // The runs this command starts on the store own their leases as npm start's do (its --as-of clock may be behind a lease released earlier).
    process.env.RUN_LEASE_OWNER ??= `local:${path}`;
    drain = () => ses.drainTo(join('out', 'cli', 'outbox'), clock.now());
    close = async () => { await ses.close(); await dynamo.close(); };
  }
  if (asOf) clock.setNow(new Date(`${asOf}T12:00:00+07:00`));
  // The messages sent from here (payment confirmations, officers' emails) are the office's, as a function's are.
  useOffice(values.office ?? (values.aws ? undefined : DEFAULT_OFFICE));
  const deps = awsDeps();
  const today = asOf ?? clock.today();
  /** A unit the store knows: an unknown one is an error, not an empty ledger or history. */
  const knownUnit = async (text: string | undefined) => {
    const unit = cliUnit(text);
    const ledger = await deps.ledgers.getLedger(unit);
    if (!ledger.hasProfile && ledger.periods.length === 0 && !ledger.case) throw new CliArgumentError(`Unknown unit ${unit}: no employer with this code in the store`);
    return { unit, ledger };
  };
  /** An officer the roster knows (as typed, or in lower case, as the roster writes ids): an unknown one is an error. */
  const knownOfficer = async (text: string | undefined, what: string) => {
    const id = cliOfficer(text, what);
    const officer = (await deps.officers.getOfficer(id)) ?? (id === id.toLowerCase() ? undefined : await deps.officers.getOfficer(id.toLowerCase()));
    if (!officer) throw new CliArgumentError(`Unknown officer ${id}: not in the roster`);
    return officer;
  };
  try {
    switch (command) {
      case 'history': {
        const { unit, ledger } = await knownUnit(args[0]);
        const c = ledger.case;
        if (ledger.hold) console.log(`On hold (${ledger.hold.reason}) through ${ledger.hold.until}`);
        console.log(c ? `Case ${unit}: ${c.status}, stage ${c.stage ?? '-'}, anchored on ${c.anchorPeriod ?? '-'}, ${c.monthsOverdue} month(s) overdue, officer ${c.officerId ?? '-'}, inspector ${c.inspectorId ?? '-'}` : `No case for ${unit}`);
        const history = await deps.casework.caseHistory(unit, (m) => console.error(`Malformed event ${m.key}: ${m.reason}`));
        for (const e of history) console.log(`${viDateTime(e.at)}  ${e.cycle}  ${e.actor.padEnd(22)} ${e.kind.padEnd(26)} ${describeCaseEvent(e)}`);
        break;
      }
      case 'ledger': {
        const { unit, ledger } = await knownUnit(args[0]);
        const s = ledgerStatus(ledger.periods, ledger.payments, today, deps.policyFor(today));
        console.log(`Ledger of ${unit} as of ${today}`);
        for (const p of s.periods) {
          console.log(`  ${p.period}  due ${p.dueDate}  ${formatVnd(p.amountDue).padStart(16)}  paid ${formatVnd(p.amountPaid).padStart(16)}  balance ${formatVnd(p.balance).padStart(16)}${p.overdue ? `  ${p.daysLate} days late, interest ${formatVnd(p.interest)}` : ''}`);
        }
        console.log(`  months overdue ${s.monthsOverdue} (oldest unpaid ${s.oldestUnpaidPeriod ?? '-'}), late principal ${formatVnd(s.overduePrincipal)}, interest ${formatVnd(s.interestOutstanding)}, debt ${formatVnd(s.debt)}, credit ${formatVnd(s.credit)}`);
        break;
      }
      case 'tasks': {
        const { officerId: officer } = await knownOfficer(args[0], 'OFFICER');
        const tasks = (await deps.tasks.openTasksOf(officer)).sort((a, b) => (a.dueDate < b.dueDate ? -1 : 1));
        if (tasks.length === 0) console.log(`No open tasks for ${officer}`);
        for (const t of tasks) console.log(`${t.dueDate}  ${t.taskId.padEnd(28)} ${t.type.padEnd(11)} unit ${t.unitCode}`);
        break;
      }
      case 'pay': {
        // The arguments first (a bad date or amount is said before the store is asked), then the unit.
        const paidOn = cliDate(need(args[2], 'PAID_ON'), 'PAID_ON');
        const amount = cliAmount(args[3], 'AMOUNT');
        const { unit } = await knownUnit(args[0]);
        const payment = parseInput(paymentSchema, { unitCode: unit, reference: need(args[1], 'REFERENCE'), paidOn, amount });
        const r = await recordPayment(deps, { ...payment, actor: values.actor });
        console.log(`${r.outcome === 'duplicate' ? 'Already recorded' : 'Recorded'}: ${payment.reference}; debt now ${formatVnd(r.debt)}; escalation ${r.escalation}`);
        const sent = await drain();
        if (sent > 0) console.log(`${sent} email(s) in out/cli/outbox`);
        break;
      }
      case 'import': {
        const dir = resolve(need(args[0], 'DIR'));
        const batch = values.batch ?? today.slice(0, 7);
        if (!/^[A-Za-z0-9._-]{1,64}$/.test(batch)) throw new CliArgumentError(`--batch ${batch} is not a batch name: letters, digits, dot, dash or underscore (default: the month, YYYY-MM)`);
        const staff: StaffSyncReport[] = [];
        const reports = values.aws
          ? await uploadAndWait(dir, batch, waitMinutes * 60_000)
          : await importThroughBucket({ importsDir: process.env.IMPORT_DIR!, lambdas: await loadLocalLambdas() }, dir, batch, { onStaffSync: (r) => staff.push(r) });
        console.log(formatFileReports(reports));
        for (const r of staff) console.log(formatStaffSync(r));
        const sent = await drain();
        if (sent > 0) console.log(`${sent} email(s) in out/cli/outbox`);
        if (reports.some((r) => r.errorCount > 0)) process.exitCode = 2;
        break;
      }
      case 'import-payments': {
        if (args.length === 0) need(undefined, 'FILE');
        const report = await importCollectionFiles(args.map((f) => resolve(f)), deps);
        console.log(formatCollectionReport(report));
        const sent = await drain();
        if (sent > 0) console.log(`${sent} email(s) in out/cli/outbox`);
        if (report.errors.length > 0) process.exitCode = 2;
        break;
      }
      case 'import-officers': {
        // The same import and sync as a folder's officers.csv; the file alone, so no other file is read.
        const dir = await mkdtemp(join(tmpdir(), 'roster-'));
        await copyFile(resolve(need(args[0], 'FILE')), join(dir, 'officers.csv'));
        let staff: StaffSyncReport | undefined;
        const report = await importFolder(dir, new DynamoArrearsStore(clients.dynamo(), config().TABLE_NAME), { afterOfficers: async (roster) => { staff = await syncStaff(deps, roster); } });
        console.log(formatImportReport(report));
        if (staff) console.log(formatStaffSync(staff, values.aws ? undefined : 'out/cli/outbox/staff'));
        if (report.errors.length > 0 || (staff?.problems.length ?? 0) > 0) process.exitCode = 2;
        break;
      }
      case 'hold': {
        const until = cliDate(need(args[2], 'UNTIL'), 'UNTIL');
        const { unit } = await knownUnit(args[0]);
        const hold = parseInput(holdSchema.omit({ setAt: true }), { unitCode: unit, reason: args[1], until, note: values.note, setBy: values.actor });
        await setHold(deps, hold);
        console.log(`${hold.unitCode} on hold (${hold.reason}) through ${hold.until}: no notice or escalation until then`);
        break;
      }
      case 'release': {
        const { unit } = await knownUnit(args[0]);
        const r = await clearHold(deps, { unitCode: unit, actor: values.actor });
        console.log(r.cleared ? `Hold on ${unit} lifted: follow-up resumes at the next assessment` : `${unit} had no hold`);
        break;
      }
      case 'referral': {
        const { unit } = await knownUnit(args[0]);
        // The inspection task of the case's cycle, if one was opened: the pack names it and its due date.
        const current = (await deps.ledgers.getLedger(unit)).case;
        const task = current ? await deps.tasks.getTask(ids.caseTask({ unitCode: unit, cycle: current.cycle, type: 'inspection', escalated: false })) : undefined;
        const inspection = task ? { taskId: task.taskId, inspectorId: task.officerId, dueDate: task.dueDate } : undefined;
        const { pack, json, sha256 } = await loadReferralPack(deps, { unitCode: unit, asOf: today, inspection });
        const markdown = renderReferralPack(pack, sha256);
        if (!values.out) {
          console.log(markdown);
          break;
        }
        const base = values.out.replace(/\.(md|txt|json)$/i, '');
        const [textPath, jsonPath] = [/\.json$/i.test(values.out) ? `${base}.md` : values.out, `${base}.json`];
        await mkdir(dirname(resolve(values.out)), { recursive: true });
        await writeFile(textPath, markdown, 'utf8');
        await writeFile(jsonPath, json, 'utf8');
        console.log(`Referral pack of ${unit} as of ${today}: ${textPath}, ${jsonPath} (SHA-256 of the JSON file ${sha256})`);
        break;
      }
      case 'my-tasks': {
        const { tasks } = await api.listTasks(deps, await staffFrom(deps, actingAs, values.group), {});
        if (tasks.length === 0) console.log('No open tasks');
        for (const t of tasks) console.log(`${t.dueDate}${t.overdue ? ' OVERDUE' : ''}  ${t.taskId.padEnd(30)} ${t.type.padEnd(11)} unit ${t.unitCode}  officer ${t.officerId}${t.acknowledgedAt ? '' : '  (new)'}`);
        break;
      }
      case 'outcome': {
        const body = {
          outcome: args[1],
          ...(values.note && { note: values.note }),
          ...((payBy !== undefined || promisedAmount !== undefined) && { promise: { payBy, amount: promisedAmount } }),
          ...(instalments && { instalments }),
        };
        const r = await api.postOutcome(deps, await staffFrom(deps, actingAs, values.group), need(args[0], 'TASK'), body);
        console.log(`Recorded ${args[1]} on ${args[0]}${r.resumed ? '; the workflow goes on' : '; no workflow was waiting (the outcome is on the record)'}`);
        await drain();
        break;
      }
      case 'acknowledge': {
        await api.postAcknowledge(deps, await staffFrom(deps, actingAs, values.group), need(args[0], 'TASK'));
        console.log(`${args[0]} acknowledged`);
        break;
      }
      case 'reassign': {
        const staff = await staffFrom(deps, actingAs, values.group);
        const taskId = need(args[0], 'TASK');
        const { officerId } = await knownOfficer(args[1], 'OFFICER');
        const r = await api.postReassign(deps, staff, taskId, parseInput(api.reassignBodySchema, { officerId }));
        console.log(`${args[0]} now with ${r.task.officerId} (was ${r.task.reassignedFrom ?? '-'})`);
        break;
      }
      default:
        throw new CliArgumentError(`Unknown command ${command}\n\n${USAGE}`);
    }
  } finally {
    await close();
  }
}

/**
 * Uploads the folder's CSV files to the import bucket under imports/<batch>/ (each streamed, never
 * read whole), which starts the import in AWS, then waits for each file's report of that upload
 * (its version is the upload's ETag) beside it.
 */
async function uploadAndWait(dir: string, batch: string, waitMs: number): Promise<FileReport[]> {
  const bucket = process.env.IMPORT_BUCKET;
  if (!bucket) throw new Error('--aws import needs IMPORT_BUCKET (the stack output ImportBucketName)');
  const s3 = clients.s3();
  const prefix = `imports/${batch}/`;
  const files = planBatch(prefix, (await listFiles(dir)).map((f) => `${prefix}${f}`));
  // The employers' file goes first: each upload starts the batch, and the first holds it till the last.
  const uploaded: { key: string; etag: string }[] = [];
  for (const f of files) {
    const path = join(dir, f.name);
    const r = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: f.key, Body: createReadStream(path), ContentLength: statSync(path).size, ContentType: 'text/csv; charset=utf-8' }));
    uploaded.push({ key: f.key, etag: r.ETag ?? '' });
    console.error(`uploaded s3://${bucket}/${f.key}`);
  }
  const reports = new S3ImportBucket(s3, bucket, process.env.DOCUMENTS_KEY_ARN ?? '');
  const done = new Map<string, FileReport>();
  const until = Date.now() + waitMs;
  while (done.size < uploaded.length) {
    for (const u of uploaded.filter((x) => !done.has(x.key))) {
      const report = await readReport({ imports: reports }, reportKeyOf(u.key));
      if (report?.version === u.etag) {
        done.set(u.key, report);
        console.error(`report s3://${bucket}/${reportKeyOf(u.key)}`);
      }
    }
    if (done.size === uploaded.length) break;
    if (Date.now() > until) throw new Error(`No report yet for ${uploaded.filter((x) => !done.has(x.key)).map((x) => x.key).join(', ')}: see the ImportRun state machine's executions`);
    await new Promise((r) => setTimeout(r, 10_000));
  }
  return uploaded.map((u) => done.get(u.key)!);
}

async function listFiles(dir: string, under = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(dir, under), { withFileTypes: true })) {
    const name = under ? `${under}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, name)));
    else if (e.isFile()) out.push(name);
  }
  return out;
}

/** The staff member acting, with the groups their roster role gives them (or those named). */
async function staffFrom(deps: Deps, as: string | undefined, group: string[] | undefined): Promise<Staff> {
  const staffId = need(as, '--as');
  if (group?.length) {
    const groups = z.array(z.enum(STAFF_GROUPS)).safeParse(group);
    if (!groups.success) throw new CliArgumentError(`--group ${group.join(', ')}: one of ${STAFF_GROUPS.join(', ')}`);
    return { staffId, groups: groups.data };
  }
  // As typed, or in lower case (as the roster writes ids).
  const officer = (await deps.officers.getOfficer(staffId)) ?? (staffId === staffId.toLowerCase() ? undefined : await deps.officers.getOfficer(staffId.toLowerCase()));
  if (!officer) throw new CliArgumentError(`Unknown officer ${staffId}: not in the roster (staff who are not, e.g. a manager: give --group manager)`);
  // The group the roster sync gives the role (collection agents sign in as officers: they work their own tasks).
  return { staffId: officer.officerId, groups: [GROUP_OF_ROLE[officer.role]] };
}

function need(value: string | undefined, name: string): string {
  if (!value) throw new CliArgumentError(`${name} is required\n\n${USAGE}`);
  return value;
}

main().catch((error: Error) => {
  // A wrapped failure (an import stopped) names its cause by its error name only: messages can quote data.
  const cause = error.cause instanceof Error ? ` (${error.cause.name})` : '';
  console.error(error instanceof InvalidInputError || error instanceof PaymentConflictError ? `${error.name}: ${error.message}` : `${error.message}${cause}`);
  // 2: the command was refused before it did anything (a bad argument, or what a step refused
  // whole: a hold reason or outcome it does not know, a task that is not there); 1: it failed.
  const refused = error instanceof ArrearsError && (error.category === 'invalid-input' || error.category === 'not-found');
  process.exitCode = error instanceof CliArgumentError || refused ? 2 : 1;
});
