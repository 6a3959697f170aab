/**
 * Where a member of staff opens a thing in the inbox, from the inbox's base URL (`…/inbox`: the
 * API's URL in AWS, the local server's locally). The routes are the inbox's own
 * (functions/api/route-table.ts); an id is percent-encoded, never trusted to be URL-safe.
 */
export function reportLink(baseUrl: string, asOf: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/report/${encodeURIComponent(asOf)}`;
}

export function taskLink(baseUrl: string, taskId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/tasks/${encodeURIComponent(taskId)}`;
}
