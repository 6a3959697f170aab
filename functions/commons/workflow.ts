import { ExecutionAlreadyExists, InvalidToken, SendTaskSuccessCommand, StartExecutionCommand, TaskTimedOut, type SFNClient } from '@aws-sdk/client-sfn';
import { ids } from './ids.ts';
import type { EscalationInput, TaskResult } from '../steps/payloads.ts';

/** The escalation workflow as the steps see it: start one per unit and cycle, resume a waiting task. */
export interface Workflow {
  /** Starts the unit's escalation for the cycle; a second start of the same one starts nothing. */
  startEscalation(input: EscalationInput): Promise<'started' | 'already-started'>;
  /** Resumes the execution waiting on a task; `gone` when it no longer waits (timed out, stopped). */
  resumeTask(token: string, result: TaskResult): Promise<'resumed' | 'gone'>;
}

/** Step Functions: executions named by unit and cycle, callbacks by task token. */
export class StepFunctionsWorkflow implements Workflow {
  constructor(private readonly sfn: SFNClient, private readonly stateMachineArn: string | undefined) {}

  async startEscalation(input: EscalationInput): Promise<'started' | 'already-started'> {
    if (!this.stateMachineArn) throw new Error('No state machine: set STATE_MACHINE_ARN');
    try {
      await this.sfn.send(new StartExecutionCommand({
        stateMachineArn: this.stateMachineArn, name: ids.escalation(input.unitCode, input.cycle), input: JSON.stringify(input),
      }));
      return 'started';
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return 'already-started';
      throw error;
    }
  }

  async resumeTask(token: string, result: TaskResult): Promise<'resumed' | 'gone'> {
    try {
      await this.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(result) }));
      return 'resumed';
    } catch (error) {
      if (error instanceof TaskTimedOut || error instanceof InvalidToken) return 'gone';
      throw error;
    }
  }
}
