import { logFeed } from './event-log.ts';
import type { LocalLambda } from './lambda.ts';

/**
 * Locally, what the End User Messaging SMS configuration set does in AWS: each SMS the stand-in
 * accepted (FolderSmsSender appends its event record, context with the claim, to a status log
 * that outlives a killed run) is published, as the SNS message the set's topic would carry, to the
 * sms-feedback function, which records it on the message's claim. Called when the stack starts (a
 * rerun first learns what went out before the kill) and before each scheduled run; each call
 * publishes only the lines it has not seen. The lines go as they are: the function validates them.
 */
export function smsEventPublisher(log: string, smsFeedback: LocalLambda): () => Promise<number> {
  const feed = logFeed(log);
  return async () => {
    const records = feed().map((line) => ({ Sns: { Message: line } }));
    // SNS delivers to a Lambda one message at a time; batches here only spare invocations.
    for (let i = 0; i < records.length; i += 100) await smsFeedback({ Records: records.slice(i, i + 100) });
    return records.length;
  };
}
