/**
 * How a route is reached: `token`, with a Cognito access token in the Authorization header (the
 * HTTP API's JWT authorizer); `session`, from the staff inbox in a browser, with the signed-in
 * session's cookie (checked by the inbox's authorizer in AWS, by the local server locally);
 * `public`, with nothing (the stylesheet and the sign-in steps themselves).
 */
export type RouteAuth = 'token' | 'session' | 'public';

/** The staff API's routes, by action: the handler's router and the HTTP API in CDK both build from this. */
export const STAFF_ROUTES = {
  listTasks: { method: 'GET', path: '/tasks', auth: 'token' },
  worklist: { method: 'GET', path: '/worklist', auth: 'token' },
  getTask: { method: 'GET', path: '/tasks/{taskId}', auth: 'token' },
  recordOutcome: { method: 'POST', path: '/tasks/{taskId}/outcome', auth: 'token' },
  reassign: { method: 'POST', path: '/tasks/{taskId}/reassign', auth: 'token' },
  recordContact: { method: 'POST', path: '/tasks/{taskId}/contacts', auth: 'token' },
  bulkReassign: { method: 'POST', path: '/reassignments', auth: 'token' },
  acknowledge: { method: 'POST', path: '/tasks/{taskId}/acknowledge', auth: 'token' },
  getCase: { method: 'GET', path: '/cases/{unitCode}', auth: 'token' },
  recordPayment: { method: 'POST', path: '/payments', auth: 'token' },
  setHold: { method: 'POST', path: '/holds', auth: 'token' },
  liftHold: { method: 'DELETE', path: '/holds/{unitCode}', auth: 'token' },
  recordRenewal: { method: 'POST', path: '/renewals', auth: 'token' },
  // The staff inbox (server-rendered pages and form posts).
  inboxHome: { method: 'GET', path: '/inbox', auth: 'session' },
  inboxTask: { method: 'GET', path: '/inbox/tasks/{taskId}', auth: 'session' },
  inboxOutcome: { method: 'POST', path: '/inbox/tasks/{taskId}/outcome', auth: 'session' },
  inboxReassign: { method: 'POST', path: '/inbox/tasks/{taskId}/reassign', auth: 'session' },
  inboxContact: { method: 'POST', path: '/inbox/tasks/{taskId}/contact', auth: 'session' },
  inboxBulkReassign: { method: 'POST', path: '/inbox/reassign', auth: 'session' },
  inboxCase: { method: 'GET', path: '/inbox/cases/{unitCode}', auth: 'session' },
  inboxReferralMarkdown: { method: 'GET', path: '/inbox/cases/{unitCode}/referral-pack.md', auth: 'session' },
  inboxReferralJson: { method: 'GET', path: '/inbox/cases/{unitCode}/referral-pack.json', auth: 'session' },
  inboxReport: { method: 'GET', path: '/inbox/report', auth: 'session' },
  inboxReportOn: { method: 'GET', path: '/inbox/report/{date}', auth: 'session' },
  inboxReportFile: { method: 'GET', path: '/inbox/report/{date}/{file}', auth: 'session' },
  inboxStyle: { method: 'GET', path: '/inbox/inbox.css', auth: 'public' },
  inboxSignIn: { method: 'GET', path: '/inbox/sign-in', auth: 'public' },
  inboxSignedIn: { method: 'GET', path: '/inbox/signed-in', auth: 'public' },
  inboxSignOut: { method: 'POST', path: '/inbox/sign-out', auth: 'public' },
} as const satisfies Record<string, { method: 'GET' | 'POST' | 'DELETE'; path: string; auth: RouteAuth }>;

export type StaffAction = keyof typeof STAFF_ROUTES;
