import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * What Zalo's webhook tells of a ZNS message: the one event read here, `user_received_message`
 * (the message reached the person's Zalo), whose `message.tracking_id` is the one the message was
 * sent with (commons/zns-sender.ts znsTrackingId: a hash of the claim key). It is the evidence that
 * Zalo accepted a message whose worker died before it could record so.
 *
 * NOT verified against a live Official Account (no network here): the event's shape and the
 * signature rule below are Zalo's as documented for OA webhooks (developers.zalo.me, "Webhook"):
 * header `X-ZEvent-Signature: mac=<sha256 hex of app_id + raw body + timestamp + OA secret key>`.
 */
export const ZNS_RECEIVED = 'user_received_message';

/** Where Zalo's webhook posts, on the staff API (public: the calls are signed). */
export const ZNS_WEBHOOK_PATH = '/zalo/events';

export const znsWebhookEventSchema = z.object({
  app_id: z.string().min(1),
  event_name: z.string().min(1),
  timestamp: z.string().regex(/^\d{1,16}$/),
  message: z.object({
    msg_id: z.string().min(1).optional(),
    tracking_id: z.string().optional(),
    delivery_time: z.string().regex(/^\d{1,16}$/).optional(),
  }).optional(),
});
export type ZnsWebhookEvent = z.infer<typeof znsWebhookEventSchema>;

/** The MAC Zalo signs a webhook call with. */
export function znsWebhookMac(appId: string, rawBody: string, timestamp: string, secret: string): string {
  return createHash('sha256').update(`${appId}${rawBody}${timestamp}${secret}`).digest('hex');
}

/** Whether a call's `X-ZEvent-Signature` header (`mac=…`) is Zalo's for this body, compared in constant time. */
export function znsSignatureValid(header: string | undefined, appId: string, rawBody: string, timestamp: string, secret: string): boolean {
  const given = header?.trim().replace(/^mac=/, '') ?? '';
  const expected = znsWebhookMac(appId, rawBody, timestamp, secret);
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/** The event Zalo posts when a message reached the person (what the local stand-in logs for each message it accepts). */
export function znsReceivedEvent(appId: string, msgId: string, trackingId: string, at: Date): ZnsWebhookEvent {
  const ms = String(at.getTime());
  return { app_id: appId, event_name: ZNS_RECEIVED, timestamp: ms, message: { msg_id: msgId, tracking_id: trackingId, delivery_time: ms } };
}
