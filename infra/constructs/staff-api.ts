import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpNoneAuthorizer, LogGroupLogDestination, type HttpRoute, type HttpStage, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  AccountRecovery, CfnUserPoolGroup, FeaturePlan, Mfa, OAuthScope, StandardThreatProtectionMode, UserPool, UserPoolClientIdentityProvider,
  type UserPoolClient, type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { STAFF_GROUPS } from '../../functions/core/staff-access.ts';
import { STAFF_ROUTES, type RouteAuth } from '../../functions/api/route-table.ts';
import { ArrearsFunction } from './arrears-function.ts';
import { INVITATION } from '../../functions/commons/staff-directory.ts';

/** The scopes of the pool's access tokens: `openid` from the Hosted UI, `aws.cognito.signin.user.admin` from an SRP sign-in. */
export const ACCESS_TOKEN_SCOPES = ['openid', 'aws.cognito.signin.user.admin'] as const;

export interface StaffApiProps {
  handler: LambdaFunction;
  key: IKey;
  /** The table: the inbox's authorizer reads the revocation list in it (functions/inbox/revocations.ts). */
  table: ITable;
  /** The Hosted UI's domain prefix (unique in the region); by default `arrears-inbox-<account>`. */
  domainPrefix?: string;
}

/**
 * Staff sign in with Cognito (no self sign-up; MFA; one group per role) and call an HTTP API whose
 * every route requires a valid access token of this pool's client. The handler decides, per task
 * and case, what the person may see and do.
 */
export class StaffApi extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** The staff inbox's authorizer: verifies the session cookie's Cognito access token. */
  readonly sessionAuthorizer: ArrearsFunction;
  /** The routes open without a token: the inbox's stylesheet and its sign-in steps. */
  readonly publicRoutes: HttpRoute[] = [];
  private readonly publicAuthorizer: IHttpRouteAuthorizer;
  /** Where staff open the inbox. */
  readonly inboxUrl: string;

  constructor(scope: Construct, id: string, props: StaffApiProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      // Accounts are created by the office's administrators for its own staff only.
      selfSignUpEnabled: false,
      // The roster sync creates each officer's user (functions/steps/sync-staff.ts); Cognito emails this invitation.
      userInvitation: { emailSubject: INVITATION.subject, emailBody: INVITATION.body('{username}', '{####}').split('\n').join('<br>') },
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      passwordPolicy: { minLength: 12, requireUppercase: true, requireLowercase: true, requireDigits: true, requireSymbols: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const group of STAFF_GROUPS) {
      new CfnUserPoolGroup(this, `Group-${group}`, { userPoolId: this.userPool.userPoolId, groupName: group, description: `Staff role: ${group}` });
    }
    // The staff inbox signs in through the Hosted UI (authorization code with PKCE, public client).
    this.domain = this.userPool.addDomain('InboxSignIn', {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? `arrears-inbox-${Stack.of(this).account}` },
    });
    this.api = new HttpApi(this, 'Api', {
      description: 'Arrears follow-up: staff tasks, cases, outcomes, payments and holds; the staff inbox',
      createDefaultStage: false,
    });
    this.inboxUrl = `${this.api.apiEndpoint}/inbox`;
    this.client = this.userPool.addClient('Inbox', {
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      // Sign-out revokes the refresh token (RevokeToken); the access token goes on the revocation list.
      enableTokenRevocation: true,
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID],
        callbackUrls: [`${this.inboxUrl}/signed-in`],
        logoutUrls: [`${this.inboxUrl}/sign-in`],
      },
    });
    props.handler.addEnvironment('INBOX_AUTH_DOMAIN', this.domain.baseUrl());
    props.handler.addEnvironment('INBOX_CLIENT_ID', this.client.userPoolClientId);
    // Sign-out verifies the session's token before putting it on the revocation list.
    props.handler.addEnvironment('USER_POOL_ID', this.userPool.userPoolId);
    // The inbox's own origin: state-changing requests with cookies must come from it (functions/api/edge.ts).
    props.handler.addEnvironment('INBOX_ORIGIN', this.api.apiEndpoint);

    this.sessionAuthorizer = new ArrearsFunction(this, 'InboxSession', {
      entry: 'functions/handlers/inbox-authorizer.ts',
      key: props.key,
      environment: { USER_POOL_ID: this.userPool.userPoolId, INBOX_CLIENT_ID: this.client.userPoolClientId, TABLE_NAME: props.table.tableName },
    });
    // It reads one item: a session's entry on the revocation list (GetItem), through DynamoDB's use of the key.
    this.sessionAuthorizer.fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [props.table.tableArn] }));
    this.sessionAuthorizer.fn.addToRolePolicy(new PolicyStatement({
      actions: ['kms:Decrypt', 'kms:DescribeKey'], resources: [props.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
    }));
    const authorizers: Record<RouteAuth, IHttpRouteAuthorizer> = {
      token: new HttpJwtAuthorizer('StaffToken', `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`, {
        // Access tokens carry client_id (not aud), which API Gateway checks against this list.
        jwtAudience: [this.client.userPoolClientId],
      }),
      session: new HttpLambdaAuthorizer('InboxSession', this.sessionAuthorizer.fn, {
        responseTypes: [HttpLambdaResponseType.SIMPLE],
        identitySource: ['$request.header.Cookie'],
        // Not cached: a signed-out session's cookie is refused on its next request, not minutes later.
        resultsCacheTtl: Duration.seconds(0),
      }),
      public: new HttpNoneAuthorizer(),
    };
    const integration = new HttpLambdaIntegration('Handler', props.handler);
    for (const route of Object.values(STAFF_ROUTES)) {
      const added = this.api.addRoutes({
        path: route.path, methods: [HttpMethod[route.method]], integration, authorizer: authorizers[route.auth],
        // Access tokens only: an id token of this client has aud = the client id and would pass the
        // JWT authorizer; it carries no scope, and every access token has one of these (Hosted UI, SRP).
        ...(route.auth === 'token' && { authorizationScopes: [...ACCESS_TOKEN_SCOPES] }),
      });
      if (route.auth === 'public') this.publicRoutes.push(...added);
    }

    this.publicAuthorizer = authorizers.public;
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_YEAR, encryptionKey: props.key, removalPolicy: RemovalPolicy.RETAIN });
    this.stage = this.api.addStage('Stage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // Who by the token's opaque subject, never by name; no request or response bodies.
        format: AccessLogFormat.custom(JSON.stringify({
          requestId: '$context.requestId', time: '$context.requestTime', routeKey: '$context.routeKey', status: '$context.status',
          latencyMs: '$context.responseLatency', subject: '$context.authorizer.claims.sub', authorizerError: '$context.authorizer.error',
          integrationError: '$context.integrationErrorMessage',
        })),
      },
    });
  }

  /** A route of another function with no authorizer: its caller proves itself otherwise (Zalo's webhook signs its calls). */
  addSignedRoute(id: string, path: string, method: HttpMethod, fn: ArrearsFunction['fn']): HttpRoute[] {
    return this.api.addRoutes({ path, methods: [method], integration: new HttpLambdaIntegration(id, fn), authorizer: this.publicAuthorizer });
  }
}
