import './embedded/polyfills.ts';
import './embedded/quiet.ts';

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTable, startDynalite } from './embedded/dynalite.ts';
import { LOCAL_TABLE } from './embedded/stack.ts';
/** The date the committed sample was generated for (as in npm start). */
const SAMPLE_AS_OF = '2026-11-02';
import { DynamoArrearsStore } from '../functions/commons/dynamo-store.ts';
import { DynamoReminderStore } from '../functions/commons/reminder-store.ts';
import { importParticipants, formatParticipantReport } from '../functions/import/participant-import.ts';
import { FolderDocumentStore } from '../functions/commons/documents.ts';
import { clock } from '../functions/commons/clock.ts';
import { logger } from '../functions/commons/logger.ts';
import { policyFor } from '../functions/core/policy.ts';
import { isValidDate } from '../functions/core/dates.ts';
import { importFolder, formatImportReport } from '../functions/import/csv-import.ts';
import { writeCollectionReport } from '../functions/steps/collection-report.ts';
import { assembleDeps, type Deps } from '../functions/commons/deps.ts';
import { loadOffice } from '../infra/office-config.ts';

const USAGE = `The collection report for managers, on demand.

Usage: npm run report -- [--as-of YYYY-MM-DD] [--store DIR | --data DIR] [--out DIR]
  --as-of   the report date (default ${SAMPLE_AS_OF})
  --store   a local run's store (npm start -- --store DIR): cases, tasks and payments of the run included
  --data    a folder of CSV files to import instead (default data/sample, targets.csv and participants/ included)
  --out     where reports/<as-of>/ is written (default out)`;

async function main() {
  const { values } = parseArgs({ options: { 'as-of': { type: 'string', default: SAMPLE_AS_OF }, store: { type: 'string' }, data: { type: 'string' }, out: { type: 'string', default: 'out' }, help: { type: 'boolean' } } });
  if (values.help) return console.log(USAGE);
  // The functions' logger was made at import, before the level above was set.
  logger.setLogLevel(process.env.POWERTOOLS_LOG_LEVEL as 'ERROR');
  const asOf = values['as-of'];
  if (!isValidDate(asOf)) throw new Error(`--as-of must be a calendar date YYYY-MM-DD\n\n${USAGE}`);
  if (values.store && !existsSync(resolve(values.store))) throw new Error(`No local store at ${resolve(values.store)}: run npm start -- --store ${values.store} first`);
  const dynamo = await startDynalite({ path: values.store ? resolve(values.store) : undefined });
  try {
    await createTable(dynamo.client, LOCAL_TABLE);
    const store = new DynamoArrearsStore(dynamo.doc, LOCAL_TABLE);
    clock.setNow(new Date(`${asOf}T12:00:00+07:00`));
    // The participants' renewals section reads the reminder store (the same table).
    const deps = assembleDeps({ store, reminders: new DynamoReminderStore(dynamo.doc, LOCAL_TABLE), clock, office: loadOffice() });
    if (!values.store) {
      const dataDir = resolve(values.data ?? 'data/sample');
      const imported = await importFolder(dataDir, store);
      console.log(`Imported ${dataDir}\n  ${formatImportReport(imported).replace(/\n/g, '\n  ')}`);
      const participantsDir = join(dataDir, 'participants');
      if (existsSync(participantsDir)) {
        const participants = await importParticipants(participantsDir, deps);
        console.log(`Imported ${participantsDir}\n  ${formatParticipantReport(participants).replace(/\n/g, '\n  ')}`);
      }
    }
    const written = await writeCollectionReport(deps, new FolderDocumentStore(resolve(values.out)), { asOf });
    console.log(`Collection report as of ${asOf}: debt ratio ${written.debtRatioPercent}%`);
    for (const key of written.keys) console.log(`  ${join(resolve(values.out), key)}`);
  } finally {
    await dynamo.close();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
