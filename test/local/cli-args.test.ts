import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CliArgumentError, cliDate, cliUnit } from '../../local/cli-args.ts';
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
});
