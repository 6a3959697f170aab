import type { Context } from 'aws-lambda';

export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false, functionName, functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:ap-southeast-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512', awsRequestId: 'test-request', logGroupName: `/aws/lambda/${functionName}`, logStreamName: 'test',
    getRemainingTimeInMillis: () => 30_000, done: () => {}, fail: () => {}, succeed: () => {},
  };
}
