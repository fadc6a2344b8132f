import { createHash } from 'node:crypto';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { API_ROUTES, isStreamed, type FunctionName } from '../../src/entrypoints/http/routes.js';

/** The stage's name, and so the path the API has on the site: CloudFront forwards `/api/*` as it is. */
export const API_STAGE = 'api';

export interface ApiArgs {
  functions: Record<FunctionName, aws.lambda.Function>;
  userPoolArn: pulumi.Input<string>;
  /**
   * The site calls the API on its own origin (CloudFront's `/api/*`) and needs no CORS. A dev
   * server on another origin does: its preflights are answered by API Gateway for this origin.
   */
  devOrigin?: string;
  throttle: { rateLimit: number; burstLimit: number };
  logRetentionDays: number;
  /**
   * Set the account's API Gateway CloudWatch role (one per account and region), without which a
   * fresh account cannot deploy a stage with access logs. Off when another stack manages it.
   */
  manageAccountLogsRole: boolean;
}

/**
 * The REST API, built from the same route table the local server uses:
 * a Cognito authorizer on every route but `/health`, Lambda proxy integrations, the chat function's
 * routes (`/chat`, an answer's resume and stop) streamed into it, and a stage with access logs and throttling. The stage is named `api`,
 * the path CloudFront forwards (infra/components/frontend.ts); the functions refuse what did not
 * come through CloudFront (src/entrypoints/http/origin-verify.ts).
 */
export class Api extends pulumi.ComponentResource {
  readonly restApi: aws.apigateway.RestApi;
  readonly stage: aws.apigateway.Stage;
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: ApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super('chat:index:Api', name, {}, opts);
    const parent = { parent: this };
    this.restApi = new aws.apigateway.RestApi(`${name}-rest`, { endpointConfiguration: { types: 'REGIONAL' } }, parent);
    const authorizer = new aws.apigateway.Authorizer(
      `${name}-cognito`,
      { restApi: this.restApi.id, type: 'COGNITO_USER_POOLS', providerArns: [args.userPoolArn], identitySource: 'method.request.header.Authorization' },
      parent,
    );

    const resources = this.resourceTree(name);
    const dependencies: pulumi.Resource[] = [];
    // What a deployment freezes: any change in it must make a new deployment (see below).
    const deployedShape: pulumi.Output<unknown>[] = [];
    for (const route of API_ROUTES) {
      const slug = slugOf(`${route.method}${route.resource}`);
      const resourceId = resources.get(route.resource)!.id;
      const fn = args.functions[route.function];
      const method = new aws.apigateway.Method(
        `${name}-${slug}`,
        {
          restApi: this.restApi.id,
          resourceId,
          httpMethod: route.method,
          authorization: route.public ? 'NONE' : 'COGNITO_USER_POOLS',
          ...(!route.public && { authorizerId: authorizer.id }),
        },
        parent,
      );
      const streamed = isStreamed(route);
      const integration = new aws.apigateway.Integration(
        `${name}-${slug}-integration`,
        {
          restApi: this.restApi.id,
          resourceId,
          httpMethod: method.httpMethod,
          type: 'AWS_PROXY',
          integrationHttpMethod: 'POST',
          uri: streamed ? fn.responseStreamingInvokeArn : fn.invokeArn,
          ...(streamed && { responseTransferMode: 'STREAM', timeoutMilliseconds: 300_000 }),
        },
        parent,
      );
      new aws.lambda.Permission(
        `${name}-${slug}-permission`,
        {
          action: 'lambda:InvokeFunction',
          function: fn.name,
          principal: 'apigateway.amazonaws.com',
          sourceArn: pulumi.interpolate`${this.restApi.executionArn}/*/${route.method}${route.resource.replace(/\{[^}]+\}/g, '*')}`,
        },
        parent,
      );
      dependencies.push(method, integration);
      deployedShape.push(
        pulumi.all([method.httpMethod, method.authorization, integration.uri, integration.responseTransferMode, integration.timeoutMilliseconds]),
      );
    }
    if (args.devOrigin) this.allowCrossOrigin(name, args.devOrigin, resources, dependencies, deployedShape);

    const deployment = new aws.apigateway.Deployment(
      `${name}-deployment`,
      {
        restApi: this.restApi.id,
        // A deployment is a snapshot: without a new one, changed routes, integrations (a function
        // replaced, streaming switched) or CORS answers would not reach the stage.
        triggers: {
          redeployment: pulumi
            .all(deployedShape)
            .apply((shape) => createHash('sha256').update(JSON.stringify([API_ROUTES, shape])).digest('hex')),
        },
      },
      { parent: this, dependsOn: dependencies },
    );
    const accessLogs = new aws.cloudwatch.LogGroup(`${name}-access-logs`, { retentionInDays: args.logRetentionDays }, parent);
    const logsRoleSet = args.manageAccountLogsRole ? [this.accountLogsRole(name)] : [];
    this.stage = new aws.apigateway.Stage(
      `${name}-stage`,
      {
        restApi: this.restApi.id,
        deployment: deployment.id,
        stageName: API_STAGE,
        accessLogSettings: {
          destinationArn: accessLogs.arn,
          format: JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            path: '$context.resourcePath',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            user: '$context.authorizer.claims.sub',
          }),
        },
      },
      { parent: this, dependsOn: logsRoleSet },
    );
    new aws.apigateway.MethodSettings(
      `${name}-throttling`,
      {
        restApi: this.restApi.id,
        stageName: this.stage.stageName,
        methodPath: '*/*',
        settings: { throttlingRateLimit: args.throttle.rateLimit, throttlingBurstLimit: args.throttle.burstLimit, metricsEnabled: true },
      },
      parent,
    );
    this.url = this.stage.invokeUrl;
    this.registerOutputs({ url: this.url });
  }

  /** CORS for one other origin: preflights on every path, and API Gateway's own refusals readable there. */
  private allowCrossOrigin(
    name: string,
    origin: string,
    resources: Map<string, aws.apigateway.Resource>,
    dependencies: pulumi.Resource[],
    deployedShape: pulumi.Output<unknown>[],
  ): void {
    for (const [path, resource] of resources) {
      const preflight = this.preflight(name, path, resource, origin);
      dependencies.push(...preflight);
      deployedShape.push(pulumi.output((preflight.at(-1) as aws.apigateway.IntegrationResponse).responseParameters));
    }
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      // Authorizer refusals come from API Gateway itself: the browser must still be able to read them.
      new aws.apigateway.Response(
        `${name}-${type.toLowerCase()}`,
        { restApiId: this.restApi.id, responseType: type, responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': `'${origin}'` } },
        { parent: this },
      );
    }
  }

  /**
   * The role API Gateway writes logs with, set on the account (AWS's managed policy for it). It is
   * the account's and region's setting, not this stack's: deleting the Account resource would clear
   * it for every REST API there, so `pulumi destroy` leaves it, and the role it names, in place.
   */
  private accountLogsRole(name: string): aws.apigateway.Account {
    const kept = { parent: this, retainOnDelete: true };
    const role = new aws.iam.Role(
      `${name}-cloudwatch-role`,
      { assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: 'apigateway.amazonaws.com' }) },
      kept,
    );
    const attachment = new aws.iam.RolePolicyAttachment(
      `${name}-cloudwatch-policy`,
      { role: role.name, policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs' },
      kept,
    );
    return new aws.apigateway.Account(`${name}-account`, { cloudwatchRoleArn: role.arn }, { ...kept, dependsOn: [attachment] });
  }

  /** One API Gateway resource per path segment of the route table, parents first. */
  private resourceTree(name: string): Map<string, aws.apigateway.Resource> {
    const resources = new Map<string, aws.apigateway.Resource>();
    const paths = [...new Set(API_ROUTES.flatMap((route) => prefixes(route.resource)))].sort((a, b) => a.length - b.length);
    for (const path of paths) {
      const parentPath = path.slice(0, path.lastIndexOf('/')) || '/';
      const parentId = parentPath === '/' ? this.restApi.rootResourceId : resources.get(parentPath)!.id;
      resources.set(
        path,
        new aws.apigateway.Resource(`${name}-${slugOf(path)}`, { restApi: this.restApi.id, parentId, pathPart: path.slice(path.lastIndexOf('/') + 1) }, { parent: this }),
      );
    }
    return resources;
  }

  /** CORS preflight answered by API Gateway (a mock integration): no Lambda runs for OPTIONS. */
  private preflight(name: string, path: string, resource: aws.apigateway.Resource, origin: string): pulumi.Resource[] {
    const parent = { parent: this };
    const slug = `options-${slugOf(path)}`;
    const allowed = API_ROUTES.filter((route) => route.resource === path).map((route) => route.method);
    const method = new aws.apigateway.Method(
      `${name}-${slug}`,
      { restApi: this.restApi.id, resourceId: resource.id, httpMethod: 'OPTIONS', authorization: 'NONE' },
      parent,
    );
    const integration = new aws.apigateway.Integration(
      `${name}-${slug}-integration`,
      { restApi: this.restApi.id, resourceId: resource.id, httpMethod: 'OPTIONS', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } },
      { parent: this, dependsOn: [method] },
    );
    const headers = {
      'method.response.header.Access-Control-Allow-Origin': true,
      'method.response.header.Access-Control-Allow-Methods': true,
      'method.response.header.Access-Control-Allow-Headers': true,
      'method.response.header.Access-Control-Max-Age': true,
    };
    const response = new aws.apigateway.MethodResponse(
      `${name}-${slug}-response`,
      { restApi: this.restApi.id, resourceId: resource.id, httpMethod: 'OPTIONS', statusCode: '200', responseParameters: headers },
      { parent: this, dependsOn: [method] },
    );
    const integrationResponse = new aws.apigateway.IntegrationResponse(
      `${name}-${slug}-integration-response`,
      {
        restApi: this.restApi.id,
        resourceId: resource.id,
        httpMethod: 'OPTIONS',
        statusCode: '200',
        responseParameters: {
          'method.response.header.Access-Control-Allow-Origin': `'${origin}'`,
          'method.response.header.Access-Control-Allow-Methods': `'${[...allowed, 'OPTIONS'].join(',')}'`,
          // Last-Event-ID: a resumed answer stream (GET /chat/streams/{messageId}) says where it left off.
          'method.response.header.Access-Control-Allow-Headers': "'Authorization,Content-Type,Accept,Idempotency-Key,Last-Event-ID'",
          'method.response.header.Access-Control-Max-Age': "'600'",
        },
      },
      { parent: this, dependsOn: [integration, response] },
    );
    return [method, integration, response, integrationResponse];
  }
}

/** `/files/{id}/process` -> `files-id-process`: a stable, readable resource name. */
function slugOf(path: string): string {
  return path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'root';
}

function prefixes(resource: string): string[] {
  const parts = resource.split('/').filter(Boolean);
  return parts.map((_, index) => `/${parts.slice(0, index + 1).join('/')}`);
}
