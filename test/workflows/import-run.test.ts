import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../local/embedded/stack.ts';
import { runImportMachine, uploadFolder } from '../../local/embedded/import-run.ts';
import { clock } from '../../functions/commons/clock.ts';
import { IMPORT_RUN_STATE } from '../../workflows/state-names.ts';
import type { FileReport } from '../../functions/import/file-import.ts';

/**
 * The import state machine `cdk synth` produces, run by aws-local-stepfunctions on the local stack:
 * the sample district uploaded as one batch is imported file after file in load order, long files
 * in chunks (100 rows a chunk here), every file with its report beside it; the same upload's event
 * again imports nothing; a second execution while one runs ends at once.
 */
let stack: LocalStack;
let first: { states: string[] };
const report = async (name: string) => JSON.parse(await readFile(join(stack.importsDir, 'reports/2026-11', `${name}.json`), 'utf8')) as FileReport;

beforeAll(async () => {
  clock.setNow(new Date('2026-11-10T08:00:00+07:00'));
  stack = await startLocalStack({ taskTimeoutSeconds: 5 });
  process.env.IMPORT_MAX_ROWS_PER_CHUNK = '1000';
  await uploadFolder(stack.importsDir, 'data/sample', '2026-11');
  first = await runImportMachine(stack.lambdas, 'imports/2026-11/payments.csv');
}, 240_000);
afterAll(async () => {
  delete process.env.IMPORT_MAX_ROWS_PER_CHUNK;
  await stack?.close();
});

describe('import state machine (synthesized)', () => {
  it('imports every file of the batch in load order, long ones in chunks, collection files by their own function', async () => {
    const chunks = first.states.filter((s) => s === IMPORT_RUN_STATE.importChunk).length;
    // 7,200 periods and 6,658 payments at 1,000 rows a chunk: 8 and 7 chunks; one each for the other
    // files (employers, officers, targets, the participants' six, the reconciliation files' four).
    expect(chunks).toBe(8 + 7 + 1 + 1 + 1 + 6 + 4);
    expect(first.states.filter((s) => s === IMPORT_RUN_STATE.importCollectionChunk)).toHaveLength(2);
    expect(first.states.at(-1)).toBe(IMPORT_RUN_STATE.release);
    expect((await report('employers.csv')).loaded).toEqual({ employers: 300 });
    expect(await report('contribution-periods.csv')).toMatchObject({ loaded: { periods: 7_200 }, errorCount: 0, chunks: 8 });
    expect((await report('payments.csv')).loaded).toEqual({ payments: 6_658 });
    expect((await report('officers.csv')).loaded).toEqual({ officers: 11 });
    expect((await report('participants/participants.csv')).loaded.participants).toBe(160);
    const bank = await report('collections/bank-2026-11.csv');
    expect(bank.loaded.recorded! + bank.loaded.duplicate!).toBeGreaterThan(0);
    expect(await stack.store.getEmployer('TD000300')).toMatchObject({ unitCode: 'TD000300' });
  });

  it('reads every row once: the periods in the store are the file\'s', async () => {
    const text = await readFile('data/sample/contribution-periods.csv', 'utf8');
    const units = new Set(text.trim().split('\n').slice(1).map((l) => l.split(',')[0]));
    let periods = 0;
    for (const u of units) periods += (await stack.store.getLedger(u!)).periods.length;
    expect(periods).toBe(7_200);
  });

  it('the same upload\'s event again imports nothing; an execution while another holds the batch ends at once', async () => {
    const again = await runImportMachine(stack.lambdas, 'imports/2026-11/employers.csv');
    expect(again.states).toEqual([IMPORT_RUN_STATE.planNext, IMPORT_RUN_STATE.release]);
    await stack.store.takeLease({ scope: 'imports/2026-11/', kind: 'IMPORT', owner: 'another-execution', now: clock.now(), expiresAt: new Date(clock.now().getTime() + 60_000) });
    const busy = await runImportMachine(stack.lambdas, 'imports/2026-11/officers.csv');
    expect(busy.states).toEqual([IMPORT_RUN_STATE.planNext]);
  });
});
