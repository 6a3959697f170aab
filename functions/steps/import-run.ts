import { z } from 'zod';
import type { Ports } from '../commons/deps.ts';
import { logger } from '../commons/logger.ts';
import { operations } from '../commons/operations.ts';
import { emitMetrics } from '../commons/metrics.ts';
import { importMetrics } from '../core/metric-points.ts';
import type { RosterSyncInput } from './sync-staff.ts';
import { batchPrefixOf, getFileRun, importChunk, kindOf, planBatch, type BatchFile, type ChunkResult, type FileKind, type ImportDeps } from '../import/file-import.ts';

/**
 * The import of a batch (`imports/<batch>/`), as its state machine runs it (workflows/import-run.ts):
 * `plan` takes the batch's lease and names the next file not yet imported at its current version,
 * in load order; `chunk` imports that file from its checkpoint until it ends or the invocation's
 * time runs low (the machine calls it again while it says `more`); after the last file, `release`
 * gives the lease up and lists the batch once more, so a file uploaded meanwhile is not left
 * behind (the execution its upload started found the lease held and ended at once).
 */

/** The lease outlives a chunk's invocation (15 minutes), and is renewed by each chunk. */
const LEASE_MS = 20 * 60_000;

const fileSchema = z.object({ key: z.string().min(1), name: z.string().min(1) });

export const importRunInputSchema = z.discriminatedUnion('action', [
  /** From the upload's event: the object's key names the batch. */
  z.object({ action: z.literal('plan'), key: z.string().min(1), runId: z.string().min(1) }),
  z.object({ action: z.literal('chunk'), prefix: z.string().min(1), file: fileSchema, runId: z.string().min(1) }),
  z.object({ action: z.literal('release'), prefix: z.string().min(1), runId: z.string().min(1) }),
]);
export type ImportRunInput = z.infer<typeof importRunInputSchema>;

export type PlanResult =
  | { status: 'busy' | 'none'; prefix: string }
  | { status: 'next'; prefix: string; file: BatchFile & { kind: FileKind } };

export interface ReleaseResult {
  prefix: string;
  /** Files still to import at their current version: the machine plans again. */
  pending: number;
}

type PlanDeps = Ports<'imports' | 'runs' | 'clock'>;

/**
 * The execution holds the lease; locally the process holding the store (RUN_LEASE_OWNER, as for
 * every run: functions/commons/run-lease.ts), whose clock may start again before a lease it released.
 */
const ownerOf = (runId: string) => process.env.RUN_LEASE_OWNER ?? runId;

const lease = (deps: PlanDeps, prefix: string, runId: string) => {
  const now = deps.clock.now();
  return { scope: prefix, kind: 'IMPORT' as const, owner: ownerOf(runId), now, expiresAt: new Date(now.getTime() + LEASE_MS) };
};

/** The batch's files not imported at their current version, in load order. */
export async function pendingFiles(deps: PlanDeps, prefix: string): Promise<BatchFile[]> {
  const out: BatchFile[] = [];
  for (const file of planBatch(prefix, await deps.imports.list(prefix))) {
    const [current, run] = await Promise.all([deps.imports.stat(file.key), getFileRun(deps, prefix, file.name)]);
    if (current && !(run?.version === current.version && run.status === 'done')) out.push(file);
  }
  return out;
}

export async function planImport(deps: PlanDeps, input: { key: string; runId: string }): Promise<PlanResult> {
  const prefix = batchPrefixOf(input.key);
  if (!prefix) throw new Error('The object is not under imports/<batch>/: nothing to import');
  if (!(await deps.runs.takeLease(lease(deps, prefix, input.runId)))) {
    logger.info('Import of the batch already running: it takes this file too', { prefix });
    return { status: 'busy', prefix };
  }
  const [next] = await pendingFiles(deps, prefix);
  return next ? { status: 'next', prefix, file: { ...next, kind: kindOf(next.name) } } : { status: 'none', prefix };
}

/**
 * A chunk as the state machine reads it: `roster` is always there (null but when officers.csv has
 * just been done) and `then` says whether the roster sync follows, a string for the machine's Choice
 * (aws-local-stepfunctions evaluates `IsNull: false` as false whatever the value).
 */
export type MachineChunkResult = Omit<ChunkResult, 'roster'> & { roster: RosterSyncInput | null; then: 'sync-roster' | 'next' };

export async function importFileChunk(
  deps: ImportDeps, input: { prefix: string; file: BatchFile; runId: string }, shouldStop: () => boolean,
): Promise<MachineChunkResult> {
  // The lease is the execution's: a chunk renews it for its own time (a retried chunk too).
  if (!(await deps.runs.takeLease(lease(deps, input.prefix, input.runId)))) throw new Error(`The import lease of ${input.prefix} is held by another run`);
  const maxRows = operations().IMPORT_MAX_ROWS_PER_CHUNK;
  const result = await importChunk(deps, input.prefix, input.file, { shouldStop, ...(maxRows > 0 ? { maxRows } : {}) });
  if (result.status === 'done') {
    const run = await getFileRun(deps, input.prefix, input.file.name);
    if (run) emitMetrics(importMetrics(run));
    logger.info('File imported', { file: input.file.key, chunks: run?.chunks, errors: run?.errorCount, report: result.report });
  }
  return { ...result, roster: result.roster ?? null, then: result.roster ? 'sync-roster' : 'next' };
}

export async function releaseImport(deps: PlanDeps, input: { prefix: string; runId: string }): Promise<ReleaseResult> {
  await deps.runs.releaseLease({ scope: input.prefix, kind: 'IMPORT', owner: ownerOf(input.runId), now: deps.clock.now() });
  return { prefix: input.prefix, pending: (await pendingFiles(deps, input.prefix)).length };
}

/** One entry point for the function: the state machine says which part to run. */
export async function runImportStep(deps: ImportDeps, input: ImportRunInput, shouldStop: () => boolean): Promise<PlanResult | MachineChunkResult | ReleaseResult> {
  switch (input.action) {
    case 'plan': return planImport(deps, input);
    case 'chunk': return importFileChunk(deps, input, shouldStop);
    case 'release': return releaseImport(deps, input);
  }
}
