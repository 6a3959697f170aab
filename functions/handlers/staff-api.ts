import middy from '@middy/core';
import httpRouterHandler, { type Route } from '@middy/http-router';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { awsDeps } from '../commons/deps.ts';
import { logger } from '../commons/logger.ts';
import { officerIdSchema, unitCodeSchema } from '../commons/records.ts';
import { parseInput } from '../commons/handler.ts';
import { bodyOf, errorResponse, json, pathParam, staffOf, type StaffEvent } from '../api/http.ts';
import * as api from '../api/routes.ts';
import { worklist, worklistQuerySchema } from '../api/worklist.ts';
import { contactInputSchema } from '../steps/record-contact.ts';
import { STAFF_ROUTES, type StaffAction } from '../api/route-table.ts';
import * as inbox from '../inbox/routes.ts';
import * as signIn from '../inbox/hosted-ui.ts';
import { configuredOrigin, edgeRefusal, type EdgeRefusal } from '../api/edge.ts';
import { inactiveStaffRefusal } from '../api/active-staff.ts';
import { htmlResponse } from '../inbox/routes.ts';
import { messagePage } from '../inbox/pages.ts';

/** The staff API (HTTP API with a Cognito JWT authorizer): one function, one route per action. */
const route = (action: StaffAction, run: (event: StaffEvent) => Promise<unknown>, status = 200): Route<StaffEvent, APIGatewayProxyResultV2> => {
  const { method, path } = STAFF_ROUTES[action];
  return {
    method,
    path,
    handler: async (event: StaffEvent) => {
      const result = await run(event);
      // Operations trail: the action and its target, never who or what personal data.
      if (method !== 'GET') logger.info('Staff action', { action, target: event.pathParameters ?? {} });
      return json(status, result);
    },
  };
};

/** A staff inbox route: answers HTML (or a redirect) itself, errors included. */
const page = (action: StaffAction, run: (event: StaffEvent) => Promise<APIGatewayProxyResultV2> | APIGatewayProxyResultV2): Route<StaffEvent, APIGatewayProxyResultV2> => {
  const { method, path } = STAFF_ROUTES[action];
  return {
    method,
    path,
    handler: async (event: StaffEvent) => {
      const response = await run(event);
      if (method !== 'GET') logger.info('Staff action', { action, target: event.pathParameters ?? {} });
      return response;
    },
  };
};

const taskId = (e: StaffEvent) => pathParam(e, 'taskId');

const bodyBytes = (e: StaffEvent) => (e.body ? (e.isBase64Encoded ? Buffer.from(e.body, 'base64').length : Buffer.byteLength(e.body)) : 0);

/** An edge refusal, as the inbox's page or the API's JSON, with a plain message. */
function refusalResponse(e: StaffEvent, refusal: EdgeRefusal): APIGatewayProxyResultV2 {
  if (e.rawPath.startsWith('/inbox')) {
    const titles = { 400: 'Yêu cầu không hợp lệ (invalid request)', 403: 'Không có quyền (forbidden)', 413: 'Yêu cầu quá lớn (request too large)' } as const;
    return htmlResponse(refusal.status, messagePage(titles[refusal.status], refusal.message));
  }
  if (refusal.status === 400) return json(400, { error: 'InvalidInput', issues: [{ field: refusal.field ?? '(request)', reason: refusal.message }] });
  return json(refusal.status, { error: refusal.error, message: refusal.message });
}

/**
 * Before any route: malformed percent-encoding (400), a body over the limit (413), and a
 * state-changing request with cookies that does not come from the inbox's own origin (403).
 */
const edge = {
  before: (request: { event: StaffEvent }): APIGatewayProxyResultV2 | undefined => {
    const e = request.event;
    const refusal = edgeRefusal({
      method: e.requestContext.http.method, rawPath: e.rawPath ?? e.requestContext.http.path, rawQueryString: e.rawQueryString,
      headers: e.headers ?? {}, hasCookies: (e.cookies?.length ?? 0) > 0 || Boolean(e.headers?.cookie), bodyBytes: bodyBytes(e),
    }, configuredOrigin());
    if (!refusal) return undefined;
    logger.info('Request refused at the edge', { status: refusal.status, error: refusal.error });
    return refusalResponse(e, refusal);
  },
};
const deps = () => awsDeps();

/** Who the verified token names, or nobody (the sign-in routes; a token naming no staff is refused by the route). */
function callerOf(e: StaffEvent) {
  try {
    return staffOf(e);
  } catch {
    return undefined;
  }
}

/** After the edge: a caller the roster has marked inactive is refused before any route reads or changes anything. */
const activeStaff = {
  before: async (request: { event: StaffEvent }): Promise<APIGatewayProxyResultV2 | undefined> => {
    const refusal = await inactiveStaffRefusal(deps().officers, callerOf(request.event));
    if (!refusal) return undefined;
    logger.info('Request refused: the staff account is inactive');
    return refusalResponse(request.event, refusal);
  },
};

export const routes = [
  route('listTasks', (e) => api.listTasks(deps(), staffOf(e), parseInput(z.object({ officerId: officerIdSchema.optional() }), e.queryStringParameters ?? {}))),
  route('worklist', (e) => worklist(deps(), staffOf(e), parseInput(worklistQuerySchema, e.queryStringParameters ?? {}))),
  route('getTask', (e) => { const id = taskId(e); return api.getTask(deps(), staffOf(e), id); }),
  route('recordOutcome', (e) => api.postOutcome(deps(), staffOf(e), taskId(e), bodyOf(e, z.record(z.string(), z.unknown())))),
  route('reassign', (e) => api.postReassign(deps(), staffOf(e), taskId(e), bodyOf(e, api.reassignBodySchema))),
  route('recordContact', (e) => api.postContact(deps(), staffOf(e), taskId(e), bodyOf(e, contactInputSchema)), 201),
  route('bulkReassign', (e) => api.postBulkReassign(deps(), staffOf(e), bodyOf(e, api.bulkReassignBodySchema))),
  route('acknowledge', (e) => api.postAcknowledge(deps(), staffOf(e), taskId(e))),
  route('getCase', (e) => { const unitCode = pathParam(e, 'unitCode', unitCodeSchema); return api.getCase(deps(), staffOf(e), unitCode); }),
  route('recordPayment', (e) => api.postPayment(deps(), staffOf(e), bodyOf(e, api.paymentBodySchema)), 201),
  route('setHold', (e) => api.postHold(deps(), staffOf(e), bodyOf(e, api.holdBodySchema)), 201),
  route('liftHold', (e) => api.deleteHold(deps(), staffOf(e), pathParam(e, 'unitCode', unitCodeSchema))),
  route('recordRenewal', (e) => api.postRenewal(deps(), staffOf(e), bodyOf(e, api.renewalBodySchema)), 201),
  page('inboxHome', (e) => inbox.inboxHome(deps(), e)),
  page('inboxTask', (e) => inbox.inboxTask(deps(), e)),
  page('inboxOutcome', (e) => inbox.inboxOutcome(deps(), e)),
  page('inboxReassign', (e) => inbox.inboxReassign(deps(), e)),
  page('inboxContact', (e) => inbox.inboxContact(deps(), e)),
  page('inboxBulkReassign', (e) => inbox.inboxBulkReassign(deps(), e)),
  page('inboxCase', (e) => inbox.inboxCase(deps(), e)),
  page('inboxReferralMarkdown', (e) => inbox.inboxReferralPack(deps(), e, 'md')),
  page('inboxReferralJson', (e) => inbox.inboxReferralPack(deps(), e, 'json')),
  page('inboxReport', (e) => inbox.inboxReport(deps(), e)),
  page('inboxReportOn', (e) => inbox.inboxReport(deps(), e)),
  page('inboxReportFile', (e) => inbox.inboxReportFile(deps(), e)),
  page('inboxStyle', () => inbox.styleResponse()),
  page('inboxSignIn', (e) => signIn.signIn(e)),
  page('inboxSignedIn', (e) => signIn.signedIn(e)),
  page('inboxSignOut', (e) => signIn.signOut(e)),
];

export const handler = middy<StaffEvent, APIGatewayProxyResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use({ onError: (request) => { request.response = errorResponse(request.error); } })
  .use(edge)
  .use(activeStaff)
  .handler(httpRouterHandler<StaffEvent, APIGatewayProxyResultV2>(routes));
