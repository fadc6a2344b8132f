import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../src/entrypoints/http/chat-metrics.js';
import { EXTRACTION_TIMEOUT_MS } from './functions.js';
import { API_ROUTES, isStreamed, type ApiRoute, type FunctionName } from '../../src/entrypoints/http/routes.js';

/** An alarm on metric math may read at most 10 metrics. */
const MAX_METRICS_PER_ALARM = 10;

export interface MonitoringArgs {
  functions: Record<string, aws.lambda.Function>;
  apiName: pulumi.Input<string>;
  apiStage: pulumi.Input<string>;
  tables: aws.dynamodb.Table[];
  /** Model tokens (in + out) a day before the budget alarm fires. */
  dailyTokenBudget: number;
  /** Where alarms are mailed; none: subscribe to the topic yourself. */
  alarmEmail?: string;
}

/**
 * The alarms, to one SNS topic: Lambda errors over 5 %, API latency over 5 s (the streamed
 * chat aside), DynamoDB throttling, and model tokens a day over the budget.
 */
export class Monitoring extends pulumi.ComponentResource {
  readonly topic: aws.sns.Topic;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('chat:index:Monitoring', name, {}, opts);
    const parent = { parent: this };
    this.topic = new aws.sns.Topic(`${name}-alarms`, {}, parent);
    if (args.alarmEmail) {
      new aws.sns.TopicSubscription(`${name}-alarm-email`, { topic: this.topic.arn, protocol: 'email', endpoint: args.alarmEmail }, parent);
    }
    const notify = { alarmActions: [this.topic.arn], okActions: [this.topic.arn], treatMissingData: 'notBreaching' };

    for (const [key, fn] of Object.entries(args.functions)) {
      const metric = (id: string, metricName: string) => ({
        id,
        metric: { namespace: 'AWS/Lambda', metricName, dimensions: { FunctionName: fn.name }, period: 300, stat: 'Sum' },
      });
      new aws.cloudwatch.MetricAlarm(
        `${name}-${key}-error-rate`,
        {
          alarmDescription: `More than 5% of ${key} invocations failed over 5 minutes`,
          comparisonOperator: 'GreaterThanThreshold',
          threshold: 5,
          evaluationPeriods: 1,
          metricQueries: [
            metric('errors', 'Errors'),
            metric('invocations', 'Invocations'),
            { id: 'rate', expression: '100 * errors / MAX([invocations, 1])', label: 'error %', returnData: true },
          ],
          ...notify,
        },
        parent,
      );
    }
    // Per route, not per stage: the stage's latency includes `POST /chat`, whose streamed answers
    // last a minute or more by design and would keep the alarm firing. Per-route metrics exist
    // because the stage turns on detailed metrics (see Api). One alarm per function (its routes
    // share the code that makes them slow) rather than per route, each the slowest of its routes' p90s.
    for (const group of latencyAlarmGroups()) {
      const ids = group.routes.map((_, index) => `route${index}`);
      new aws.cloudwatch.MetricAlarm(
        `${name}-${group.name}-api-latency`,
        {
          alarmDescription: `API latency (p90) over ${latencyLimitMs(group.fn) / 1000} seconds on a route of ${group.routes.map(routeLabel).join(', ')}`,
          comparisonOperator: 'GreaterThanThreshold',
          threshold: latencyLimitMs(group.fn),
          evaluationPeriods: 2,
          metricQueries: [
            ...group.routes.map((route, index) => ({
              id: ids[index]!,
              label: routeLabel(route),
              metric: {
                namespace: 'AWS/ApiGateway',
                metricName: 'Latency',
                dimensions: { ApiName: args.apiName, Stage: args.apiStage, Resource: route.resource, Method: route.method },
                period: 300,
                stat: 'p90',
              },
            })),
            { id: 'slowest', expression: `MAX([${ids.join(', ')}])`, label: 'slowest route p90 (ms)', returnData: true },
          ],
          ...notify,
        },
        parent,
      );
    }
    // Errors API Gateway answers itself (authorizer, integration timeouts) never reach a function's own metrics.
    new aws.cloudwatch.MetricAlarm(
      `${name}-api-5xx`,
      {
        alarmDescription: 'API 5XX answers: more than 5 in 5 minutes',
        namespace: 'AWS/ApiGateway',
        metricName: '5XXError',
        dimensions: { ApiName: args.apiName, Stage: args.apiStage },
        statistic: 'Sum',
        period: 300,
        evaluationPeriods: 1,
        threshold: 5,
        comparisonOperator: 'GreaterThanThreshold',
        ...notify,
      },
      parent,
    );
    // DynamoDB publishes ThrottledRequests per table *and operation*: an alarm on the table alone
    // matches no series. A Metrics Insights query sums every operation's series, those the code
    // uses today and any it comes to use. ThrottledRequests rather than Read/WriteThrottleEvents:
    // it counts each request refused, whatever refused it (the table, one of its indexes, a hot
    // key), while the events under TableName alone leave out the indexes' throttling. What it
    // misses, a batch write only partly throttled, the batch deletes retry (see batch-delete),
    // and a batch still refused after the retries fails its function: the error-rate alarm's.
    args.tables.forEach((table, index) => {
      new aws.cloudwatch.MetricAlarm(
        `${name}-table-${index}-throttling`,
        {
          alarmDescription: pulumi.interpolate`DynamoDB throttled requests on ${table.name}`,
          comparisonOperator: 'GreaterThanThreshold',
          threshold: 0,
          evaluationPeriods: 1,
          metricQueries: [
            {
              id: 'throttled',
              expression: pulumi.interpolate`SELECT SUM(ThrottledRequests) FROM SCHEMA("AWS/DynamoDB", Operation, TableName) WHERE TableName = '${table.name}'`,
              period: 300,
              label: 'throttled requests, all operations',
              returnData: true,
            },
          ],
          ...notify,
        },
        parent,
      );
    });
    // The app's metrics carry Powertools' `service` dimension; a query without it would match nothing.
    const tokenMetric = { namespace: METRICS_NAMESPACE, dimensions: { service: SERVICE_NAME }, period: 86_400, stat: 'Sum' };
    new aws.cloudwatch.MetricAlarm(
      `${name}-token-budget`,
      {
        alarmDescription: `Model tokens over ${args.dailyTokenBudget} in a day`,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: args.dailyTokenBudget,
        evaluationPeriods: 1,
        metricQueries: [
          { id: 'tokensIn', metric: { ...tokenMetric, metricName: 'InputTokens' } },
          { id: 'tokensOut', metric: { ...tokenMetric, metricName: 'OutputTokens' } },
          { id: 'tokens', expression: 'tokensIn + tokensOut', label: 'tokens a day', returnData: true },
        ],
        ...notify,
      },
      parent,
    );
    this.registerOutputs({ alarmTopic: this.topic.arn });
  }
}

const routeLabel = (route: ApiRoute): string => `${route.method} ${route.resource}`;

export interface LatencyAlarmGroup {
  /** The function, with the group's number from the second on: `files`, `files-2`. */
  name: string;
  fn: FunctionName;
  routes: ApiRoute[];
}

/**
 * 5 s, but for the file processor, whose routes read a document for up to the extraction limit by
 * design: for it, a p90 at that limit (one read in ten or more cut off) is the fault to report.
 */
function latencyLimitMs(fn: FunctionName): number {
  return fn === 'fileProcessor' ? EXTRACTION_TIMEOUT_MS : 5_000;
}

/**
 * The routes whose latency is watched, by function in table order, cut into groups one alarm can
 * hold: a route added to the table is watched with no change here.
 */
export function latencyAlarmGroups(routes: readonly ApiRoute[] = API_ROUTES): LatencyAlarmGroup[] {
  const watched = routes.filter((route) => !isStreamed(route));
  const functions = [...new Set(watched.map((route) => route.function))];
  return functions.flatMap((fn) =>
    chunks(
      watched.filter((route) => route.function === fn),
      MAX_METRICS_PER_ALARM,
    ).map((group, index) => ({ name: index === 0 ? fn : `${fn}-${index + 1}`, fn, routes: group })),
  );
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
