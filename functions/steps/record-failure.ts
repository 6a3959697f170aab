import type { Ports } from '../commons/deps.ts';
import { logger } from '../commons/logger.ts';
import type { EscalationInput } from './payloads.ts';

/**
 * A step failed after its retries: the failure goes on the case so staff can see it. Only the
 * error's name is kept: messages from outside services can carry addresses.
 */
export async function recordFailure(deps: Ports<'casework' | 'clock'>, input: EscalationInput & { error: { Error?: string | undefined } }): Promise<{ recorded: true }> {
  const error = input.error.Error ?? 'Unknown';
  logger.error('Escalation step failed', { unitCode: input.unitCode, cycle: input.cycle, error });
  await deps.casework.appendEvent({
    unitCode: input.unitCode, cycle: input.cycle, at: deps.clock.now().toISOString(), kind: 'step-failed', actor: 'system', detail: { error },
  });
  return { recorded: true };
}
