import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import { z, type ZodType } from 'zod';
import { STAFF_GROUPS, type Decision, type Refusal, type Staff } from '../core/staff-access.ts';
import { officerIdSchema } from '../commons/records.ts';
import { ArrearsError, ForbiddenError, InvalidInputError, type ErrorCategory } from '../commons/errors.ts';
import { parseInput } from '../commons/handler.ts';
import { logger } from '../commons/logger.ts';
import { taskIdSchema } from './edge.ts';

export type StaffEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

/**
 * Cognito groups arrive from the HTTP API's JWT authorizer as a JSON array, or flattened to a
 * string like "[officer team-lead]"; both are read.
 */
function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string') return [];
  return claim.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
}

/** Who is calling, from the token the authorizer verified: the officer ID they sign in as, and their groups. */
export function staffOf(event: StaffEvent): Staff {
  // The JSON routes: the JWT authorizer's claims. The inbox's pages: the session authorizer's
  // context, which holds the same two claims of the verified Cognito token (inbox/session.ts).
  const authorizer = authorizerOf(event);
  const claims: Record<string, unknown> = authorizer?.jwt?.claims ?? (authorizer?.lambda ? { username: authorizer.lambda.username, 'cognito:groups': authorizer.lambda.groups } : {});
  // Access tokens only: an id token of the same client also passes API Gateway's JWT authorizer
  // (its aud is the client id), and the routes' scopes (infra/constructs/staff-api.ts) refuse it first.
  if (authorizer?.jwt && claims.token_use !== 'access') throw new ForbiddenError('Only a Cognito access token is accepted (not an id token)');
  const staffId = officerIdSchema.safeParse(claims.username ?? claims['cognito:username']);
  const groups = groupsOf(claims['cognito:groups']).filter((g): g is Staff['groups'][number] => (STAFF_GROUPS as readonly string[]).includes(g));
  if (!staffId.success || groups.length === 0) throw new ForbiddenError('The token names no staff member in a staff group');
  return { staffId: staffId.data, groups };
}

type Authorizer = StaffEvent['requestContext']['authorizer'] & { lambda?: { username?: string; groups?: string; sessionId?: string } };
const authorizerOf = (event: StaffEvent) => event.requestContext.authorizer as Authorizer | undefined;

/** The signed-in session's id (the access token's jti): the inbox's CSRF tokens derive from it (api/edge.ts). */
export function sessionIdOf(event: StaffEvent): string | undefined {
  const authorizer = authorizerOf(event);
  const id = authorizer?.lambda?.sessionId ?? authorizer?.jwt?.claims?.jti;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

/** The JSON body, validated: a malformed body is a 400 naming each field and the rule it breaks. */
export function bodyOf<T>(event: StaffEvent, schema: ZodType<T>): T {
  let raw: unknown;
  try {
    const text = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    raw = JSON.parse(text ?? '');
  } catch {
    throw new InvalidInputError([{ field: '(body)', reason: 'must be a JSON object' }]);
  }
  return parseInput(schema, raw);
}

/** A path parameter, percent-decoded (malformed encoding is a 400) and validated (an over-long id is a 400, never a store error). */
export function pathParam(event: StaffEvent, name: string, schema: ZodType<string> = taskIdSchema): string {
  const raw = event.pathParameters?.[name] ?? '';
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    throw new InvalidInputError([{ field: name, reason: 'has malformed percent-encoding' }]);
  }
  return parseInput(z.object({ [name]: schema }), { [name]: value })[name] as string;
}

export function json(statusCode: number, body: unknown): APIGatewayProxyResultV2 {
  // Responses can carry a unit's contact details: never cached along the way.
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, body: JSON.stringify(body) };
}

/**
 * How each refusal of the access module (core/staff-access.ts) answers: 403, or 400 naming the
 * field the refusal is about (whose tasks to list, whom to give a task to). A missing task or unit
 * is a 404 before any decision (NotFoundError).
 */
const REFUSALS: Record<Refusal, { status: 403 } | { status: 400; field: string }> = {
  'role-not-allowed': { status: 403 },
  'not-your-task': { status: 403 },
  'read-only': { status: 403 },
  'not-assigned-officer': { status: 403 },
  'not-your-case': { status: 403 },
  'task-not-in-team': { status: 403 },
  'officer-required': { status: 400, field: 'officerId' },
  'officer-unknown': { status: 400, field: 'officerId' },
  'officer-not-in-team': { status: 400, field: 'officerId' },
  'officer-inactive': { status: 400, field: 'officerId' },
  'officer-wrong-role': { status: 400, field: 'officerId' },
};

/** Goes on when the decision allows; otherwise throws its refusal as a 403 or 400 saying `message`. */
export function assertAllowed<R extends Refusal>(decision: Decision<R>, message: string | ((reason: R) => string)): void {
  if (decision.allowed) return;
  const text = typeof message === 'string' ? message : message(decision.reason);
  const refusal = REFUSALS[decision.reason];
  if (refusal.status === 400) throw new InvalidInputError([{ field: refusal.field, reason: text }]);
  throw new ForbiddenError(text);
}

/** What the staff API answers for each kind of the product's errors; anything else is a 500. */
const STATUS: Partial<Record<ErrorCategory, number>> = { 'invalid-input': 400, forbidden: 403, 'not-found': 404, conflict: 409 };

/**
 * A named error becomes its status with a plain message (400s list each field and reason); any
 * other error is a 500 that says nothing of the internals. Only the error's name is logged.
 */
export function errorResponse(error: unknown): APIGatewayProxyResultV2 {
  const e = error instanceof Error ? error : new Error(String(error));
  const routeMissing = (e as { statusCode?: number }).statusCode === 404;
  const status = (e instanceof ArrearsError ? STATUS[e.category] : undefined) ?? (routeMissing ? 404 : 500);
  if (status === 500) {
    logger.error('Staff API request failed', { errorName: e.name });
    return json(500, { error: 'InternalError', message: 'Something went wrong; the request was not completed' });
  }
  if (e instanceof InvalidInputError) return json(400, { error: 'InvalidInput', issues: e.issues });
  return json(status, { error: routeMissing ? 'NotFound' : e.name, message: e.message });
}
