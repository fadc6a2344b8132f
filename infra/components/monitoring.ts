import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../src/entrypoints/http/chat-metrics.js';

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
 * The seed's alarms, to one SNS topic: Lambda errors over 5 %, API latency over 5 s, DynamoDB
 * throttling, and model tokens a day over the budget.
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
    new aws.cloudwatch.MetricAlarm(
      `${name}-api-latency`,
      {
        alarmDescription: 'API latency (p90) over 5 seconds',
        namespace: 'AWS/ApiGateway',
        metricName: 'Latency',
        dimensions: { ApiName: args.apiName, Stage: args.apiStage },
        extendedStatistic: 'p90',
        period: 300,
        evaluationPeriods: 2,
        threshold: 5000,
        comparisonOperator: 'GreaterThanThreshold',
        ...notify,
      },
      parent,
    );
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
    args.tables.forEach((table, index) => {
      new aws.cloudwatch.MetricAlarm(
        `${name}-table-${index}-throttling`,
        {
          alarmDescription: pulumi.interpolate`DynamoDB throttled requests on ${table.name}`,
          namespace: 'AWS/DynamoDB',
          metricName: 'ThrottledRequests',
          dimensions: { TableName: table.name },
          statistic: 'Sum',
          period: 300,
          evaluationPeriods: 1,
          threshold: 0,
          comparisonOperator: 'GreaterThanThreshold',
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
