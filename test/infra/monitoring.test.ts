import { beforeAll, describe, expect, it } from 'vitest';
import { EXTRACTION_TIMEOUT_MS } from '../../infra/components/functions.js';
import { latencyAlarmGroups } from '../../infra/components/monitoring.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../src/entrypoints/http/chat-metrics.js';
import { API_ROUTES, isStreamed, type ApiRoute } from '../../src/entrypoints/http/routes.js';
import { runStackWithMocks, type Registered } from '../support/pulumi-stack.js';

interface MetricQuery {
  id: string;
  expression?: string;
  period?: number;
  returnData?: boolean;
  metric?: { namespace: string; metricName: string; dimensions: Record<string, string>; stat: string };
}

let registered: Registered[] = [];

beforeAll(async () => {
  registered = await runStackWithMocks();
}, 60_000);

const ofType = (type: string) => registered.filter((resource) => resource.type === type);
const alarms = () => ofType('aws:cloudwatch/metricAlarm:MetricAlarm');
const alarm = (name: string) => {
  const found = alarms().find((resource) => resource.name === name);
  if (!found) throw new Error(`no alarm named ${name}`);
  return found.inputs;
};
const queriesOf = (inputs: Record<string, unknown>) => (inputs.metricQueries ?? []) as MetricQuery[];
const latencyAlarms = () => alarms().filter((resource) => resource.name.endsWith('-api-latency'));
/** The name Api gives a route's integration. */
const integrationName = (route: ApiRoute) =>
  `chat-${`${route.method}${route.resource}`.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}-integration`;

describe('monitoring', () => {
  it('raises its alarms to one SNS topic', () => {
    expect(ofType('aws:sns/topic:Topic')).toHaveLength(1);
    const names = alarms().map((resource) => resource.name);
    expect(names.filter((name) => name.endsWith('-error-rate'))).toHaveLength(6);
    expect(names).toEqual(
      expect.arrayContaining(['chat-api-5xx', 'chat-table-0-throttling', 'chat-table-1-throttling', 'chat-table-2-throttling', 'chat-token-budget']),
    );
    expect(alarm('chat-chat-error-rate')).toMatchObject({ threshold: 5 });
    for (const { inputs } of alarms()) expect(inputs.alarmActions).toHaveLength(1);
  });

  it('watches the token metrics under the dimensions the app publishes them with', () => {
    for (const { metric } of queriesOf(alarm('chat-token-budget')).filter((query) => query.metric)) {
      expect(metric).toMatchObject({ namespace: METRICS_NAMESPACE, dimensions: { service: SERVICE_NAME } });
    }
  });

  it("sums each table's throttled requests over every operation, the dimension DynamoDB publishes them under", () => {
    const tables = ofType('aws:dynamodb/table:Table').map((table) => (table.inputs.name as string | undefined) ?? table.name);
    expect(tables).toHaveLength(3);
    const throttling = alarms().filter((resource) => resource.name.endsWith('-throttling'));
    expect(throttling).toHaveLength(tables.length);
    for (const table of tables) {
      const watching = throttling.filter(({ inputs }) => queriesOf(inputs).some((query) => query.expression?.includes(`WHERE TableName = '${table}'`)));
      expect(watching, table).toHaveLength(1);
      const [query] = queriesOf(watching[0]!.inputs);
      expect(query).toMatchObject({
        expression: `SELECT SUM(ThrottledRequests) FROM SCHEMA("AWS/DynamoDB", Operation, TableName) WHERE TableName = '${table}'`,
        period: 300,
        returnData: true,
      });
      // A metric named on the alarm itself would be one series: the table without its operations.
      expect(watching[0]!.inputs.metricName).toBeUndefined();
    }
  });

  it('watches the p90 latency of every route but the streamed chat, at most 10 metrics an alarm', () => {
    const watched = latencyAlarms().flatMap(({ name, inputs }) => {
      // Reading a document may take up to the extraction limit by design; every other route, 5 s.
      expect(inputs.threshold, name).toBe(name.includes('file-processor') || name.includes('fileProcessor') ? EXTRACTION_TIMEOUT_MS : 5000);
      const queries = queriesOf(inputs);
      const metrics = queries.filter((query) => query.metric);
      expect(metrics.length, name).toBeLessThanOrEqual(10);
      expect(queries.filter((query) => query.returnData), name).toEqual([
        expect.objectContaining({ expression: `MAX([${metrics.map((query) => query.id).join(', ')}])` }),
      ]);
      return metrics.map(({ metric }) => metric!);
    });
    expect(watched.filter((metric) => metric.dimensions.Resource === '/chat')).toEqual([]);
    for (const route of API_ROUTES.filter((route) => !isStreamed(route))) {
      expect(watched, `${route.method} ${route.resource}`).toContainEqual({
        namespace: 'AWS/ApiGateway',
        metricName: 'Latency',
        dimensions: { ApiName: expect.any(String), Stage: 'api', Resource: route.resource, Method: route.method },
        period: 300,
        stat: 'p90',
      });
    }
  });

  it('leaves out exactly the routes Api streams', () => {
    const streamed = ofType('aws:apigateway/integration:Integration')
      .filter((integration) => integration.inputs.responseTransferMode === 'STREAM')
      .map((integration) => integration.name);
    const watched = new Set(latencyAlarmGroups().flatMap((group) => group.routes));
    expect(streamed.sort()).toEqual(API_ROUTES.filter((route) => !watched.has(route)).map(integrationName).sort());
  });

  it('raises one latency alarm per function, not per route', () => {
    expect(latencyAlarms().map((resource) => resource.name).sort()).toEqual(
      ['chat-conversations-api-latency', 'chat-fileProcessor-api-latency', 'chat-files-api-latency', 'chat-health-api-latency', 'chat-usage-api-latency'],
    );
  });
});

describe('latencyAlarmGroups', () => {
  it('splits a function with more routes than an alarm can hold, in table order', () => {
    const many: ApiRoute[] = Array.from({ length: 23 }, (_, index) => ({ method: 'GET', resource: `/files/r${index}`, function: 'files' }));
    const groups = latencyAlarmGroups([{ method: 'POST', resource: '/chat', function: 'chat' }, ...many]);
    expect(groups.map((group) => [group.name, group.routes.length])).toEqual([
      ['files', 10],
      ['files-2', 10],
      ['files-3', 3],
    ]);
    expect(groups.flatMap((group) => group.routes)).toEqual(many);
  });
});
