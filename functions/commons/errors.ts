/**
 * The product's errors. Their names are what the workflow's Retry/Catch match (Step Functions sees
 * only the name); their category is what the staff API answers with, matched by type at the edge.
 */
export type ErrorCategory = 'invalid-input' | 'forbidden' | 'not-found' | 'conflict' | 'retry-later' | 'provider-failed';

export abstract class ArrearsError extends Error {
  abstract override readonly name: string;
  abstract readonly category: ErrorCategory;
}

export class InvalidInputError extends ArrearsError {
  override readonly name = 'InvalidInput';
  readonly category = 'invalid-input' as const;
  constructor(public readonly issues: { field: string; reason: string }[]) {
    super(`Invalid input: ${issues.map((i) => `${i.field} ${i.reason}`).join('; ')}`);
  }
}

/** Another worker holds a fresh claim on this notice: retry later, never send twice. */
export class NoticeInProgressError extends ArrearsError {
  override readonly name = 'NoticeInProgress';
  readonly category = 'retry-later' as const;
}

export class EmployerNotFoundError extends ArrearsError {
  override readonly name = 'EmployerNotFound';
  readonly category = 'not-found' as const;
  constructor(unitCode: string) { super(`No valid employer profile for unit ${unitCode}`); }
}

export class TaskNotOpenError extends ArrearsError {
  override readonly name = 'TaskNotOpen';
  readonly category = 'conflict' as const;
  constructor(taskId: string) { super(`Task ${taskId} is not open`); }
}

/** SES refused or failed the send. Only SES's error name is kept: its messages can carry addresses. */
export class NoticeDeliveryError extends ArrearsError {
  override readonly name = 'NoticeDeliveryFailed';
  readonly category = 'provider-failed' as const;
  constructor(public readonly sesError: string) { super(`SES could not send the notice (${sesError})`); }
}

/** A payment reference already recorded with a different date or amount: refused, never overwritten. */
export class PaymentConflictError extends ArrearsError {
  override readonly name = 'PaymentConflict';
  readonly category = 'conflict' as const;
  constructor(unitCode: string, reference: string) { super(`Payment ${reference} of unit ${unitCode} is already recorded with a different date or amount`); }
}

/** The signed-in person may not see or do this (the staff API answers 403). */
export class ForbiddenError extends ArrearsError {
  override readonly name = 'Forbidden';
  readonly category = 'forbidden' as const;
}

/** No such task, unit or case (the staff API answers 404). */
export class NotFoundError extends ArrearsError {
  override readonly name = 'NotFound';
  readonly category = 'not-found' as const;
}

/**
 * Another invocation holds a live lease on this run (a second schedule firing, a rerun started
 * while the first still works): refused before anything is read or written. Not retried by the
 * statement run's state machine; the scheduler's own retries are for delivery, not for this.
 */
export class RunInProgressError extends ArrearsError {
  override readonly name = 'RunInProgress';
  readonly category = 'conflict' as const;
  constructor(public readonly run: string, public readonly scope: string) {
    super(`Another ${run} run of ${scope} is in progress (its lease is live): this one is refused and changes nothing`);
  }
}
