import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import type { ZodType } from 'zod';
import { logger } from './logger.ts';
import { publishMetrics } from './metrics.ts';
import { InvalidInputError } from './errors.ts';

/** Parses input with zod; a bad payload fails with every field and reason, no data echoed back. */
export function parseInput<T>(schema: ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new InvalidInputError(r.error.issues.map((i) => ({ field: i.path.join('.') || '(input)', reason: i.message })));
}

/** The one way a Lambda handler is made: middy, Powertools logger context and metrics, zod-validated input. */
export function lambdaHandler<I, O>(schema: ZodType<I>, run: (input: I, context: Context) => Promise<O>) {
  return middy<unknown, O>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(publishMetrics())
    .handler(async (event, context) => run(parseInput(schema, event), context));
}
