import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { awsDeps } from '../commons/deps.ts';
import { config } from '../commons/config.ts';
import { logger } from '../commons/logger.ts';
import { publishMetrics } from '../commons/metrics.ts';
import { SsmAccessToken } from '../commons/zns-sender.ts';
import { znsSignatureValid, znsWebhookEventSchema } from '../commons/zns-webhook.ts';
import { recordZnsFeedback } from '../steps/delivery-feedback.ts';

/** The HTTP API (payload 2.0) call Zalo's webhook makes: only what is read. */
const webhookCallSchema = z.object({
  headers: z.record(z.string(), z.string().optional()).default({}),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
});

const secrets = new Map<string, SsmAccessToken>();

/** The OA secret key the calls are signed with: locally given, in AWS an SSM SecureString (cached 5 minutes). */
async function webhookSecret(env: ReturnType<typeof config>): Promise<string | undefined> {
  if (env.LOCAL_ZNS_WEBHOOK_SECRET) return env.LOCAL_ZNS_WEBHOOK_SECRET;
  const name = env.ZNS_WEBHOOK_SECRET_PARAMETER;
  if (!name) return undefined;
  const source = secrets.get(name) ?? new SsmAccessToken(name);
  secrets.set(name, source);
  return source.get();
}

const answer = (statusCode: number, error?: string): APIGatewayProxyResultV2 => ({
  statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(error ? { error } : { ok: true }),
});

/**
 * Zalo's webhook (POST /zalo/events on the staff API's HTTP API, no authorizer: the call is
 * signed). A call whose signature or app id is not the office's is refused (401) and nothing is
 * read; a body that is not an event answers 400; a secret that cannot be read answers 503, so
 * Zalo posts again. Each event is then recorded
 * (steps/delivery-feedback.ts recordZnsFeedback).
 */
export const handler = middy<unknown, APIGatewayProxyResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(publishMetrics())
  .handler(async (event) => {
    const env = config();
    const call = webhookCallSchema.safeParse(event);
    if (!call.success || !env.ZNS_APP_ID) return answer(400, 'not a webhook call');
    const raw = call.data.body === undefined ? '' : call.data.isBase64Encoded ? Buffer.from(call.data.body, 'base64').toString('utf8') : call.data.body;
    let secret: string | undefined;
    try {
      secret = await webhookSecret(env);
    } catch (error) {
      logger.error('ZNS webhook secret not readable', { reason: (error as Error).message });
      return answer(503, 'try again later');
    }
    if (!secret) return answer(503, 'webhook not configured');
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    const e = znsWebhookEventSchema.safeParse(parsed);
    const header = call.data.headers['x-zevent-signature'] ?? call.data.headers['X-ZEvent-Signature'];
    if (!e.success || e.data.app_id !== env.ZNS_APP_ID || !znsSignatureValid(header, env.ZNS_APP_ID, raw, e.data.timestamp, secret)) {
      // Nothing of the body: it is not known to be Zalo's.
      logger.warn('ZNS webhook call refused', { reason: !e.success ? 'not an event' : e.data.app_id !== env.ZNS_APP_ID ? 'other app' : 'bad signature' });
      return answer(e.success ? 401 : 400, e.success ? 'signature not valid' : 'not an event');
    }
    await recordZnsFeedback(awsDeps(), [e.data]);
    return answer(200);
  });
