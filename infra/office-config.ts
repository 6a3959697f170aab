import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOfficeSettings, type OfficeSettings } from '../functions/core/office.ts';

/**
 * The office's settings file (config/offices/<office>.json, schema in functions/core/office.ts):
 * found by the office's name or by a path, read and validated, so a bad value fails synth (or
 * `npm start`) naming the file and the field. No AWS import: the local runner reads it too.
 */

const REPO = fileURLToPath(new URL('../', import.meta.url));
export const OFFICES_DIR = join(REPO, 'config', 'offices');
/** The office a synth or a local run uses when none is named. */
export const DEFAULT_OFFICE = 'sample';
/** The environment variable the functions read their office's settings from (functions/commons/office.ts). */
export const OFFICE_ENV = 'OFFICE_SETTINGS';
/**
 * Lambda allows 4 KB of environment in all; the settings take at most this much of it, so the
 * function's own variables always fit (a longer file fails synth, not the deployment).
 */
export const OFFICE_ENV_MAX_BYTES = 2_500;

/** An office's name (`sample`: config/offices/sample.json) or a path to a JSON file. */
export function officeFile(office: string = DEFAULT_OFFICE): string {
  if (office.endsWith('.json') || office.includes('/')) return isAbsolute(office) ? office : resolve(office);
  if (!/^[a-z0-9-]{2,40}$/.test(office)) throw new Error(`Office "${office}" is not a name in config/offices/ (lower-case letters, digits, dashes) nor a path to a .json file`);
  return join(OFFICES_DIR, `${office}.json`);
}

/** Reads and validates an office's settings; every error names the file and, for a bad value, the field. */
export function loadOffice(office: string = DEFAULT_OFFICE): OfficeSettings {
  const file = officeFile(office);
  const shown = relative(REPO, file).startsWith('..') ? file : relative(REPO, file);
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`No office settings at ${shown}: pass -c office=NAME for config/offices/NAME.json (or a path to a .json file)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new Error(`Office settings ${shown} are not JSON: ${(error as Error).message}`);
  }
  return parseOfficeSettings(json, shown);
}

/** What a function is given: the validated settings as one JSON variable, within its share of Lambda's 4 KB. */
export function officeEnvironment(settings: OfficeSettings): Record<typeof OFFICE_ENV, string> {
  const json = JSON.stringify(settings);
  const bytes = Buffer.byteLength(json);
  if (bytes > OFFICE_ENV_MAX_BYTES) {
    throw new Error(`Office settings ${settings.id} take ${bytes} bytes as JSON; at most ${OFFICE_ENV_MAX_BYTES} fit in a function's environment (shorten the texts or the accounts)`);
  }
  return { [OFFICE_ENV]: json };
}

/**
 * For a process that runs functions' code itself (npm start, the CLI, the benchmarks, tests): gives
 * it the office's settings as a deployed function gets them, unless they are set already.
 */
export function useOffice(office?: string): OfficeSettings {
  if (office === undefined && process.env[OFFICE_ENV]) return parseOfficeSettings(JSON.parse(process.env[OFFICE_ENV]), OFFICE_ENV);
  const settings = loadOffice(office);
  Object.assign(process.env, officeEnvironment(settings));
  return settings;
}
