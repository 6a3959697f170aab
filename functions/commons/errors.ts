/** Named errors: the workflow's Retry/Catch and the staff API match on these names. */

export class InvalidInputError extends Error {
  override name = 'InvalidInput';
  constructor(public readonly issues: { field: string; reason: string }[]) {
    super(`Invalid input: ${issues.map((i) => `${i.field} ${i.reason}`).join('; ')}`);
  }
}

/** Another worker holds a fresh claim on this notice: retry later, never send twice. */
export class NoticeInProgressError extends Error {
  override name = 'NoticeInProgress';
}

export class EmployerNotFoundError extends Error {
  override name = 'EmployerNotFound';
  constructor(unitCode: string) { super(`No valid employer profile for unit ${unitCode}`); }
}

export class TaskNotOpenError extends Error {
  override name = 'TaskNotOpen';
  constructor(taskId: string) { super(`Task ${taskId} is not open`); }
}

/** SES refused or failed the send. Only SES's error name is kept: its messages can carry addresses. */
export class NoticeDeliveryError extends Error {
  override name = 'NoticeDeliveryFailed';
  constructor(public readonly sesError: string) { super(`SES could not send the notice (${sesError})`); }
}

/** A payment reference already recorded with a different date or amount: refused, never overwritten. */
export class PaymentConflictError extends Error {
  override name = 'PaymentConflict';
  constructor(unitCode: string, reference: string) { super(`Payment ${reference} of unit ${unitCode} is already recorded with a different date or amount`); }
}

/** The signed-in person may not see or do this (the staff API answers 403). */
export class ForbiddenError extends Error {
  override name = 'Forbidden';
}

/** No such task, unit or case (the staff API answers 404). */
export class NotFoundError extends Error {
  override name = 'NotFound';
}
