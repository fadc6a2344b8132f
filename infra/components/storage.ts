import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { chatHistoryTable, fileMetadataTable, usageTable } from '../../src/adapters/aws/dynamodb-tables.js';

export interface StorageArgs {
  /** Days before uploaded files expire (90 by default). */
  uploadExpiryDays: number;
  /**
   * A stack that `pulumi destroy` removes whole (a dev stack): buckets emptied first, every object
   * version included, and no deletion protection on the tables. Off, data outlives the stack.
   */
  forceDestroy: boolean;
}

/**
 * The three tables exactly as the adapters expect them (the same definitions the local stores are
 * created from), the upload bucket and the private, versioned bucket the SPA is served from.
 */
export class Storage extends pulumi.ComponentResource {
  readonly chatHistory: aws.dynamodb.Table;
  readonly fileMetadata: aws.dynamodb.Table;
  /** What each user spent, month by month, their own limits and message counts. */
  readonly usage: aws.dynamodb.Table;
  readonly uploads: aws.s3.Bucket;
  readonly site: aws.s3.Bucket;
  private readonly uploadsName: string;

  constructor(name: string, args: StorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super('chat:index:Storage', name, {}, opts);
    const parent = { parent: this };

    this.chatHistory = new aws.dynamodb.Table(
      `${name}-chat-history`,
      // Keys only: the stream tells the sweeper which conversation TTL removed (see history-expiry).
      { ...tableArgs(chatHistoryTable('unused'), args.forceDestroy), streamEnabled: true, streamViewType: 'KEYS_ONLY' },
      parent,
    );
    this.fileMetadata = new aws.dynamodb.Table(`${name}-file-metadata`, tableArgs(fileMetadataTable('unused'), args.forceDestroy), parent);
    this.usage = new aws.dynamodb.Table(`${name}-usage`, tableArgs(usageTable('unused'), args.forceDestroy), parent);

    this.uploadsName = `${name}-uploads`;
    this.uploads = new aws.s3.Bucket(this.uploadsName, { forceDestroy: args.forceDestroy }, parent);
    privateBucket(`${name}-uploads`, this.uploads, this);
    new aws.s3.BucketPolicy(
      `${name}-uploads-policy`,
      { bucket: this.uploads.id, policy: this.uploads.arn.apply((arn) => JSON.stringify({ Version: '2012-10-17', Statement: [denyPlainHttp(arn)] })) },
      parent,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-uploads-expiry`,
      {
        bucket: this.uploads.id,
        rules: [
          { id: 'expire-uploads', status: 'Enabled', filter: { prefix: '' }, expiration: { days: args.uploadExpiryDays } },
          { id: 'abort-multipart', status: 'Enabled', filter: { prefix: '' }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } },
        ],
      },
      parent,
    );
    this.site = new aws.s3.Bucket(`${name}-site`, { forceDestroy: args.forceDestroy }, parent);
    privateBucket(`${name}-site`, this.site, this);
    new aws.s3.BucketVersioning(`${name}-site-versioning`, { bucket: this.site.id, versioningConfiguration: { status: 'Enabled' } }, parent);

    this.registerOutputs({
      chatHistoryTable: this.chatHistory.name,
      fileMetadataTable: this.fileMetadata.name,
      usageTable: this.usage.name,
      uploadBucket: this.uploads.bucket,
      siteBucket: this.site.bucket,
    });
  }

  /**
   * CORS for the browser's presigned PUTs: the site's own origin (known only once CloudFront
   * exists) and the dev origins the stack config names, nothing else.
   */
  allowUploadsFrom(origins: pulumi.Input<pulumi.Input<string>[]>): void {
    new aws.s3.BucketCorsConfiguration(
      `${this.uploadsName}-cors`,
      {
        bucket: this.uploads.id,
        corsRules: [{ allowedMethods: ['PUT'], allowedOrigins: origins, allowedHeaders: ['content-type', 'if-none-match'], maxAgeSeconds: 3000 }],
      },
      { parent: this },
    );
  }
}

/**
 * Refuses every request made over plain HTTP, presigned ones included: a presigned URL taken
 * down to http:// would otherwise carry a user's file in the clear.
 */
export function denyPlainHttp(bucketArn: string) {
  return {
    Sid: 'DenyPlainHttp',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/** Encrypted, public access blocked, owner-enforced: nothing in it is ever public. */
function privateBucket(name: string, bucket: aws.s3.Bucket, parent: pulumi.Resource): void {
  new aws.s3.BucketPublicAccessBlock(
    `${name}-no-public-access`,
    { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    { parent },
  );
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-encryption`,
    { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }] },
    { parent },
  );
  new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }, { parent });
}

/** The adapters' CreateTable definition as Pulumi arguments: on demand, encrypted, PITR, TTL on `ttl`. */
function tableArgs(definition: CreateTableCommandInput, forceDestroy: boolean): aws.dynamodb.TableArgs {
  const key = (type: 'HASH' | 'RANGE') => definition.KeySchema?.find((part) => part.KeyType === type)?.AttributeName;
  return {
    billingMode: 'PAY_PER_REQUEST',
    hashKey: key('HASH'),
    rangeKey: key('RANGE'),
    attributes: (definition.AttributeDefinitions ?? []).map((attribute) => ({ name: attribute.AttributeName!, type: attribute.AttributeType! })),
    globalSecondaryIndexes: (definition.GlobalSecondaryIndexes ?? []).map((index) => ({
      name: index.IndexName!,
      keySchemas: (index.KeySchema ?? []).map((part) => ({ attributeName: part.AttributeName!, keyType: part.KeyType! })),
      projectionType: index.Projection?.ProjectionType ?? 'ALL',
      ...(index.Projection?.NonKeyAttributes && { nonKeyAttributes: index.Projection.NonKeyAttributes }),
    })),
    ttl: { attributeName: 'ttl', enabled: true },
    pointInTimeRecovery: { enabled: true },
    serverSideEncryption: { enabled: true },
    deletionProtectionEnabled: !forceDestroy,
  };
}
