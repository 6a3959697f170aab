import { parseOfficeSettings, type OfficeSettings } from '../core/office.ts';

/**
 * The office's settings in a function: the stack gives each function the validated file
 * (config/offices/<office>.json) as one JSON environment variable, OFFICE_SETTINGS, and the local
 * stack sets the same variable from the same file. It is read and validated once per process (the
 * first invocation of a cold start, through awsDeps), so a bad value fails loudly there, naming the
 * field, and never half-way through a run.
 */
let cached: { raw: string; settings: OfficeSettings } | undefined;

export function officeSettings(env: NodeJS.ProcessEnv = process.env): OfficeSettings {
  const raw = env.OFFICE_SETTINGS;
  if (!raw) throw new Error('OFFICE_SETTINGS is not set: the stack sets it from config/offices/<office>.json (npx cdk synth -c office=NAME); locally npm start does');
  if (cached?.raw === raw) return cached.settings;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('OFFICE_SETTINGS is not JSON');
  }
  cached = { raw, settings: parseOfficeSettings(json, 'OFFICE_SETTINGS') };
  return cached.settings;
}
