import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CliArgumentError, cliAmount, cliDate, cliInstalment, cliOfficer, cliUnit } from '../../local/cli-args.ts';
import { generateDataset } from '../../local/generate.ts';
import { createTable, startDynalite } from '../../local/embedded/dynalite.ts';
import { LOCAL_TABLE } from '../../local/embedded/stack.ts';
import { importFolder } from '../../functions/import/csv-import.ts';
import { DynamoArrearsStore } from '../../functions/commons/dynamo-store.ts';
import { fromDayNumber, toDayNumber } from '../../functions/core/dates.ts';

describe('CLI arguments', () => {
  it('a date is YYYY-MM-DD and a real day; dd/mm/yyyy is refused with its ISO form', () => {
    expect(cliDate('2026-11-05', '--as-of')).toBe('2026-11-05');
    expect(() => cliDate('2026-13-45', '--as-of')).toThrow('--as-of 2026-13-45 is not a calendar date: write YYYY-MM-DD, e.g. 2026-11-05');
    expect(() => cliDate('2026-02-30', '--as-of')).toThrow(CliArgumentError);
    expect(() => cliDate('05/11/2026', '--as-of')).toThrow('--as-of 05/11/2026: write dates as YYYY-MM-DD (for 05/11/2026: 2026-11-05)');
    expect(() => cliDate('31/02/2026', 'PAID_ON')).toThrow('PAID_ON 31/02/2026: write dates as YYYY-MM-DD');
    expect(() => cliDate('tomorrow', 'UNTIL')).toThrow(CliArgumentError);
  });

  it('every calendar day is accepted as itself; its dd/mm/yyyy writing is refused and names it', () => {
    fc.assert(fc.property(fc.integer({ min: toDayNumber('2000-01-01'), max: toDayNumber('2040-12-31') }), (n) => {
      const day = fromDayNumber(n);
      expect(cliDate(day, 'd')).toBe(day);
      expect(() => cliDate(`${day.slice(8)}/${day.slice(5, 7)}/${day.slice(0, 4)}`, 'd')).toThrow(`: ${day})`);
    }));
  });

  it('unit codes are taken in lower case too; anything else is refused', () => {
    expect(cliUnit('td000006')).toBe('TD000006');
    expect(cliUnit(' TD000006 ')).toBe('TD000006');
    expect(() => cliUnit('TD-6')).toThrow('UNIT TD-6 is not a unit code');
    expect(() => cliUnit(undefined)).toThrow('UNIT is required');
  });

  it('the CLI itself exits 2 with the message on a bad date or unit, before opening any store', () => {
    const store = join(mkdtempSync(join(tmpdir(), 'cli-')), 'missing');
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'local/cli.ts', ...args, '--store', store], { encoding: 'utf8', timeout: 60_000 });
    const date = run('ledger', 'TD000006', '--as-of', '05/11/2026');
    expect(date.status).toBe(2);
    expect(date.stderr).toContain('--as-of 05/11/2026: write dates as YYYY-MM-DD (for 05/11/2026: 2026-11-05)');
    expect(date.stdout).not.toContain('Ledger of');
    const impossible = run('ledger', 'TD000006', '--as-of', '2026-13-45');
    expect(impossible.status).toBe(2);
    expect(impossible.stderr).toContain('is not a calendar date');
    // A valid date goes on to the store, which is not there: exit 1, not 2.
    const missing = run('ledger', 'TD000006', '--as-of', '2026-11-05');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('No local store');
  }, 120_000);

  it('staff ids, amounts and instalments are checked as typed', () => {
    expect(cliOfficer(' cb.pham.long.101 ', 'OFFICER')).toBe('cb.pham.long.101');
    expect(() => cliOfficer('cb pham', 'OFFICER')).toThrow('OFFICER cb pham is not a staff id');
    expect(() => cliOfficer(undefined, '--as')).toThrow('--as is required');
    expect(cliAmount('1500000', 'AMOUNT')).toBe(1_500_000);
    for (const bad of ['1.500.000', '-5', '0', '12abc', '1e6']) expect(() => cliAmount(bad, 'AMOUNT')).toThrow(`AMOUNT ${bad} is not an amount`);
    expect(cliInstalment('2026-12-15:5000000')).toEqual({ dueDate: '2026-12-15', amount: 5_000_000 });
    expect(() => cliInstalment('15/12/2026:5000000')).toThrow('write dates as YYYY-MM-DD (for 15/12/2026: 2026-12-15)');
    expect(() => cliInstalment('2026-12-15')).toThrow('write DATE:VND');
  });

  it('on a store: unknown units and officers exit 2 naming them, lower-case unit codes work, unknown commands and options exit 2', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cli-store-'));
    const data = join(root, 'data');
    await generateDataset({ units: 3, seed: 5, asOf: '2026-11-02', months: 3, districts: 1 }, data);
    const store = join(root, 'db');
    const dynamo = await startDynalite({ path: store });
    try {
      await createTable(dynamo.client, LOCAL_TABLE);
      const report = await importFolder(data, new DynamoArrearsStore(dynamo.doc, LOCAL_TABLE));
      expect(report.errors).toEqual([]);
    } finally {
      await dynamo.close();
    }
    const officer = readFileSync(join(data, 'officers.csv'), 'utf8').split('\n')[1]!.split(',')[0]!;
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'local/cli.ts', ...args, '--store', store], { encoding: 'utf8', timeout: 60_000 });
    const known = run('ledger', 'td000001', '--as-of', '2026-11-05');
    expect(known.status, known.stderr).toBe(0);
    expect(known.stdout).toContain('Ledger of TD000001 as of 2026-11-05');
    for (const args of [['ledger', 'TD999999'], ['pay', 'td999999', 'BANK-1', '2026-11-05', '1500000'], ['hold', 'TD999999', 'dispute', '2026-12-31', '--note', 'x'], ['release', 'TD999999']]) {
      const r = run(...args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain('Unknown unit TD999999: no employer with this code in the store');
    }
    const tasks = run('tasks', officer.toUpperCase());
    expect(tasks.status, tasks.stderr).toBe(0);
    expect(tasks.stdout).toContain(`No open tasks for ${officer}`);
    const unknownOfficer = run('tasks', 'cb.nobody.999');
    expect(unknownOfficer.status).toBe(2);
    expect(unknownOfficer.stderr).toContain('Unknown officer cb.nobody.999: not in the roster');
    const unknownAs = run('my-tasks', '--as', 'cb.nobody.999');
    expect(unknownAs.status).toBe(2);
    expect(unknownAs.stderr).toContain('Unknown officer cb.nobody.999: not in the roster');
    const payDate = run('pay', 'TD000001', 'BANK-1', '05/11/2026', '1500000');
    expect(payDate.status).toBe(2);
    expect(payDate.stderr).toContain('PAID_ON 05/11/2026: write dates as YYYY-MM-DD (for 05/11/2026: 2026-11-05)');
    const payBy = run('outcome', 'T1', 'promised-to-pay', '--as', officer, '--pay-by', '2026-13-45', '--amount', '100');
    expect(payBy.status).toBe(2);
    expect(payBy.stderr).toContain('--pay-by 2026-13-45 is not a calendar date');
    // Input a step refuses whole (a hold reason, an outcome it does not know) is a bad argument too: 2, with the reason.
    const reason = run('hold', 'TD000001', 'holiday', '2026-12-31', '--note', 'x');
    expect(reason.status, reason.stderr).toBe(2);
    expect(reason.stderr).toContain('InvalidInput');
    expect(reason.stderr).toContain('reason');
    const task = run('outcome', 'T1', 'paid', '--as', officer);
    expect(task.status, task.stderr).toBe(2);
    expect(task.stderr).toContain('No task T1');
    const command = run('ledgr', 'TD000001');
    expect(command.status).toBe(2);
    expect(command.stderr).toContain('Unknown command ledgr');
    const option = run('ledger', 'TD000001', '--asof', '2026-11-05');
    expect(option.status).toBe(2);
    expect(option.stderr).toContain("Unknown option '--asof'");
  }, 300_000);
});
