import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { TABLE_DESIGN } from '../../functions/commons/table.ts';

/**
 * What the deployment keeps: the customer-managed key, the one table (functions/commons/table.ts)
 * and the reports bucket with its access logs. All retained when the stack goes.
 */
export class Data extends Construct {
  readonly key: Key;
  readonly table: Table;
  readonly documents: Bucket;
  readonly accessLogs: Bucket;
  readonly imports: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    this.key = new Key(this, 'DataKey', {
      alias: 'alias/arrears-follow-up',
      description: 'Arrears follow-up: table, logs and dead letters (personal data of employers and officers)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts this account's log groups in this region with the key, and nothing else.
    this.key.addToResourcePolicy(new PolicyStatement({
      effect: Effect.ALLOW,
      principals: [new ServicePrincipal(`logs.${region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:*` } },
    }));

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_DESIGN.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_DESIGN.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_DESIGN.timeToLiveAttribute,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE_DESIGN.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    // Reports for the authorities and the published disclosure lists: private, encrypted with the
    // key, TLS only, every version kept, every access logged.
    this.accessLogs = new Bucket(this, 'DocumentsAccessLogs', {
      // S3 server access logs can be delivered only to a bucket encrypted with S3-managed keys.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.documents = this.privateBucket('Documents', 'documents/');

    // The office's CSV files (employers, officers, participants: personal data) uploaded under
    // imports/<batch>/, and the import's reports beside them: as private as the reports bucket.
    this.imports = this.privateBucket('Imports', 'imports/');
    // Uploads go to EventBridge, set on the bucket itself: `eventBridgeEnabled` would add a
    // custom-resource Lambda to configure what CloudFormation configures directly.
    (this.imports.node.defaultChild as CfnBucket).addPropertyOverride('NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled', true);
  }

  /** A bucket of personal data: the stack's key, no public access, TLS only, versioned, access-logged, kept. */
  private privateBucket(id: string, logPrefix: string): Bucket {
    return new Bucket(this, id, {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: logPrefix,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
