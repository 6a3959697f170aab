import { logFeed } from './event-log.ts';
import { znsWebhookMac } from '../../functions/commons/zns-webhook.ts';
import type { LocalLambda } from './lambda.ts';

/**
 * Locally, what Zalo's webhook does: each ZNS the stand-in accepted (FolderZnsSender logs the
 * `user_received_message` event Zalo would post of it, in a log that outlives a killed run) is
 * posted, signed with the OA secret as Zalo signs, as the HTTP API call the zns-feedback function
 * receives. Called when the stack starts (a rerun first learns what went out before the kill) and
 * before each scheduled run; each call posts only the lines it has not seen.
 */
export function znsEventPublisher(log: string, appId: string, secret: string, znsFeedback: LocalLambda): () => Promise<number> {
  const feed = logFeed(log);
  return async () => {
    const fresh = feed();
    for (const body of fresh) {
      const timestamp = (JSON.parse(body) as { timestamp: string }).timestamp;
      const answer = (await znsFeedback({
        version: '2.0', routeKey: 'POST /zalo/events', rawPath: '/zalo/events', isBase64Encoded: false, body,
        headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${znsWebhookMac(appId, body, timestamp, secret)}` },
      })) as { statusCode?: number };
      // Zalo posts again when not answered 200; here that is a fault to see at once.
      if (answer.statusCode !== 200) throw new Error(`zns-feedback answered ${answer.statusCode} to a logged event`);
    }
    return fresh.length;
  };
}
