import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { FUNCTION_KEYS, FUNCTION_SPECS, type FunctionKey } from '../../infra/registry/functions.ts';

export type { FunctionKey };
export type LocalLambda = (event: unknown) => Promise<unknown>;

/** A Lambda context good enough for middy and Powertools when a handler runs in this process. */
function lambdaContext(functionName: string): Context {
  const deadline = Date.now() + 15 * 60_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:ap-southeast-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => {}, fail: () => {}, succeed: () => {},
  };
}

/** Loads every function's real handler module and wraps it as a local invocation. */
export async function loadLocalLambdas(): Promise<Record<FunctionKey, LocalLambda>> {
  const entries = await Promise.all(
    FUNCTION_KEYS.map(async (key) => {
      const mod = (await import(new URL(`../../${FUNCTION_SPECS[key].entry}`, import.meta.url).href)) as { handler: (e: unknown, c: Context) => Promise<unknown> };
      const invoke: LocalLambda = (event) => mod.handler(event, lambdaContext(key));
      return [key, invoke] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<FunctionKey, LocalLambda>;
}
