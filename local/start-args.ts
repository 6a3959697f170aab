import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { localDate } from '../functions/core/dates.ts';
import { OFFICE_TIME_ZONE } from '../functions/core/policy.ts';
import { CliArgumentError, cliDate } from './cli-args.ts';

/** `npm start`'s arguments (local/start.ts), read and checked before anything is locked or opened. */

/** The date the committed sample was generated for: its ledger ends just before this run. */
export const SAMPLE_AS_OF = '2026-11-02';
export const SAMPLE_DIR = 'data/sample';
export const SERVE_PORT = 8080;

export const START_USAGE = `Usage: npm start -- [--data DIR] [--office NAME] [--as-of YYYY-MM-DD] [--months N] [--out DIR] [--store DIR] [--seed N] [--no-simulation] [--serve [--port N]] [--verbose]
  --data     folder of CSV files to import (default ${SAMPLE_DIR}; format in data/sample/README.md)
  --office   the office's settings: config/offices/NAME.json, or a path to a .json file (default sample)
  --as-of    date of the first monthly run (default ${SAMPLE_AS_OF} for the sample, else today in the office's time zone)
  --months   consecutive monthly cycles to run (default 3)
  --out      where the outbox, the reports (quarterly/, disclosure/) and summary.json go (default out/local-run)
  --store    keep the embedded DynamoDB on disk here, so a run can be repeated or resumed
  --seed     seed of the simulated officers and payments (default 1)
  --no-simulation
             the imported data alone: no simulated payments, officers' answers, renewals, STOP replies
             or bounces (tasks left unanswered run past their due date); kept by a run continued on its --store
  --serve    keep the stack running after the cycles, with the last cycle's tasks waiting for people,
             and serve the staff inbox on localhost on the last run's date, once that day's schedule has
             run (the rest of its month is not run); sign in as a sample officer; stop with Ctrl+C
  --port     the inbox's port with --serve (default ${SERVE_PORT}; 0 for any free port)
  --verbose  show the functions' logs (Powertools, JSON)`;

/** A bad argument: said with the usage, and nothing was touched. */
export class UsageError extends Error {}

export interface StartArgs {
  help: boolean;
  verbose: boolean;
  dataDir: string;
  /** Whether --data was given (the default --as-of depends on it). */
  dataGiven: boolean;
  asOf: string;
  months: number;
  seed: number;
  serve: boolean;
  port: number;
  outDir: string;
  storeDir: string | undefined;
  office: string;
  /**
   * False with --no-simulation; undefined when not said: a fresh run simulates, a continued one
   * keeps the mode its store was started with (local/embedded/progress.ts).
   */
  simulation: false | undefined;
}

export function parseStartArgs(argv: readonly string[], defaultOffice: string, today: () => Date = () => new Date()): StartArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        data: { type: 'string' }, 'as-of': { type: 'string' }, months: { type: 'string', default: '3' },
        out: { type: 'string', default: 'out/local-run' }, store: { type: 'string' }, seed: { type: 'string', default: '1' },
        verbose: { type: 'boolean', default: false }, help: { type: 'boolean', default: false },
        serve: { type: 'boolean', default: false }, port: { type: 'string', default: String(SERVE_PORT) },
        office: { type: 'string', default: defaultOffice }, 'no-simulation': { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    // An unknown option (a typo of --no-simulation is not a real run on made-up data) or a missing value.
    throw new UsageError((error as Error).message);
  }
  let asOf: string;
  try {
    asOf = values['as-of'] === undefined
      ? (values.data ? localDate(today(), OFFICE_TIME_ZONE) : SAMPLE_AS_OF)
      : cliDate(values['as-of'], '--as-of');
  } catch (error) {
    if (error instanceof CliArgumentError) throw new UsageError(error.message);
    throw error;
  }
  const months = Number(values.months);
  const seed = Number(values.seed);
  const port = Number(values.port);
  if (!Number.isInteger(months) || months < 1 || months > 24) throw new UsageError('--months must be a whole number from 1 to 24');
  if (!Number.isInteger(seed)) throw new UsageError('--seed must be a whole number');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a port number from 0 to 65535');
  return {
    help: values.help, verbose: values.verbose,
    dataDir: resolve(values.data ?? SAMPLE_DIR), dataGiven: values.data !== undefined,
    asOf, months, seed, serve: values.serve, port,
    outDir: resolve(values.out), storeDir: values.store ? resolve(values.store) : undefined,
    office: values.office,
    simulation: values['no-simulation'] ? false : undefined,
  };
}
