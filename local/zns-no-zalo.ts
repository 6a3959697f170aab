import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The phones the local Zalo stand-in (FolderZnsSender) treats as having no Zalo account, so that
 * the SMS fallback is seen on a local run: a file beside the participant files, one phone a line
 * (`#` starts a comment). The participant generator writes it (a few of the phones its files mark
 * `zalo` = yes); local/start.ts reads it and the local stack gives the list to the stand-in as
 * LOCAL_ZNS_NO_ZALO. Not a .csv: the import does not read it (data/sample/README.md).
 */
export const NO_ZALO_FILE = 'local-zns-no-zalo.txt';

export function formatNoZalo(phones: readonly string[]): string {
  return [
    '# Phones the local Zalo stand-in refuses as having no Zalo account (zns-118): their reminders fall back to SMS.',
    '# Read by npm start (local/zns-no-zalo.ts), not imported. Written by local/generate-participants.ts.',
    ...phones,
  ].join('\n') + '\n';
}

/** The phones listed in `participantsDir`'s file (none without one), then those of LOCAL_ZNS_NO_ZALO (comma-separated). */
export function localNoZalo(participantsDir: string, env: string | undefined = process.env.LOCAL_ZNS_NO_ZALO): string[] {
  const path = join(participantsDir, NO_ZALO_FILE);
  const listed = existsSync(path)
    ? readFileSync(path, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))
    : [];
  const extra = (env ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  return [...new Set([...listed, ...extra])];
}
