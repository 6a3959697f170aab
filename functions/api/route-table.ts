/** The staff API's routes, by action: the handler's router and the HTTP API in CDK both build from this. */
export const STAFF_ROUTES = {
  listTasks: { method: 'GET', path: '/tasks' },
  getTask: { method: 'GET', path: '/tasks/{taskId}' },
  recordOutcome: { method: 'POST', path: '/tasks/{taskId}/outcome' },
  reassign: { method: 'POST', path: '/tasks/{taskId}/reassign' },
  acknowledge: { method: 'POST', path: '/tasks/{taskId}/acknowledge' },
  getCase: { method: 'GET', path: '/cases/{unitCode}' },
  recordPayment: { method: 'POST', path: '/payments' },
  setHold: { method: 'POST', path: '/holds' },
  liftHold: { method: 'DELETE', path: '/holds/{unitCode}' },
  recordRenewal: { method: 'POST', path: '/renewals' },
} as const satisfies Record<string, { method: 'GET' | 'POST' | 'DELETE'; path: string }>;

export type StaffAction = keyof typeof STAFF_ROUTES;
