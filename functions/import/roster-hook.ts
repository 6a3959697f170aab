import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { officerIdSchema } from '../commons/records.ts';
import type { RosterSyncInput } from '../steps/sync-staff.ts';
import type { ImportFile } from './import-files.ts';
import type { ImportError } from './csv-import.ts';

/**
 * What the roster sync is told once officers.csv is loaded (steps/sync-staff.ts): the ids of the
 * officers written, and the file's refused rows by officer id (or counted, when the id is unreadable),
 * so a typo never disables anyone. Only when the folder has the file: an increment of payments
 * alone says nothing about who left.
 */
export function rosterOfImport(dir: string, spec: ImportFile<unknown>) {
  const present = existsSync(join(dir, spec.file));
  const loaded: string[] = [];
  return {
    present,
    /** The file's spec, noting each officer as its batch is written. */
    spec: {
      ...spec,
      write: async (store, batch) => {
        await spec.write(store, batch);
        loaded.push(...(batch as { officerId: string }[]).map((o) => o.officerId));
      },
    } satisfies ImportFile<unknown>,
    input(errors: readonly ImportError[]): RosterSyncInput {
      const keys = errors.filter((e) => e.file === spec.file).map((e) => e.key);
      const refused = [...new Set(keys.filter((k) => officerIdSchema.safeParse(k).success))];
      return { officerIds: loaded, refused, unidentified: keys.filter((k) => !officerIdSchema.safeParse(k).success).length };
    },
  };
}
