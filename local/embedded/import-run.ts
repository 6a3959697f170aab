import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { importRunDefinition, synthesizeTemplate } from '../../infra/definition.ts';
import { IMPORT_RUN_STATE, IMPORT_TASK_FUNCTION } from '../../workflows/state-names.ts';
import type { StaffSyncReport } from '../../functions/steps/sync-staff.ts';
import type { FunctionKey, LocalLambda } from './lambda.ts';

/**
 * The import as an upload starts it in AWS: the synthesized `ImportRun` state machine, its Task
 * states mapped to the import functions' handlers (looked up at each call, so a test's wrapped
 * handlers are the ones called), its input the uploaded object's key as the EventBridge rule gives it.
 */
export async function runImportMachine(lambdas: Record<FunctionKey, LocalLambda>, key: string): Promise<{ states: string[]; staff: StaffSyncReport[] }> {
  const states: string[] = [];
  // The roster sync's reports in full (the machine keeps only their counts): npm start prints them.
  const staff: StaffSyncReport[] = [];
  const machine = new StateMachine(importRunDefinition(synthesizeTemplate()) as never, { validationOptions: { checkPaths: false, checkArn: false } });
  const handlers = Object.fromEntries(Object.entries(IMPORT_TASK_FUNCTION).map(([state, fn]) => [state, async (input: unknown) => {
    states.push(state);
    const output = await lambdas[fn](input);
    if (state === IMPORT_RUN_STATE.syncRoster) staff.push(output as StaffSyncReport);
    return output;
  }]));
  const execution = machine.run({ key }, {
    context: { Execution: { Id: `arn:aws:states:ap-southeast-1:000000000000:execution:ImportRun:${randomUUID()}` } },
    // A retried chunk replays from its checkpoint at once here (30 s and more in AWS).
    overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides: Object.fromEntries(Object.keys(IMPORT_TASK_FUNCTION).map((s) => [s, 0])) },
  });
  await execution.result;
  return { states, staff };
}

/** "Uploads" a folder into the local import bucket (a folder) as `imports/<batch>/`, as `aws s3 cp --recursive` would. */
export async function uploadFolder(importsDir: string, dir: string, batch: string): Promise<string> {
  const prefix = `imports/${batch}/`;
  await mkdir(join(importsDir, prefix), { recursive: true });
  await cp(dir, join(importsDir, prefix), { recursive: true });
  return prefix;
}
