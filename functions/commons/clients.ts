import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SESClient } from '@aws-sdk/client-ses';
import { S3Client } from '@aws-sdk/client-s3';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { SSMClient } from '@aws-sdk/client-ssm';

/**
 * SDK clients, created once per container on first use. Endpoints come from the SDK's own
 * configuration (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SES, AWS_ENDPOINT_URL_SFN), which is
 * how the local stack points the same handler code at dynalite and the local stand-ins.
 */
let doc: DynamoDBDocumentClient | undefined;
let sfn: SFNClient | undefined;
let ses: SESClient | undefined;
let s3: S3Client | undefined;
let smsVoice: PinpointSMSVoiceV2Client | undefined;
let cognito: CognitoIdentityProviderClient | undefined;
let ssm: SSMClient | undefined;

export const clients = {
  dynamo: () => (doc ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } })),
  sfn: () => (sfn ??= new SFNClient({})),
  ses: () => (ses ??= new SESClient({})),
  s3: () => (s3 ??= new S3Client({})),
  /** AWS End User Messaging SMS (the reminder SMS). */
  smsVoice: () => (smsVoice ??= new PinpointSMSVoiceV2Client({})),
  cognito: () => (cognito ??= new CognitoIdentityProviderClient({})),
  ssm: () => (ssm ??= new SSMClient({})),
};
