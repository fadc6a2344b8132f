import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

/** API Gateway REST proxy events in, proxy results out: the same on Lambda and in the local server. */
export type ApiEvent = APIGatewayProxyEvent;
export type ApiResult = APIGatewayProxyResult;
export type LambdaContext = Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>;
export type ApiHandler = (event: ApiEvent, context?: LambdaContext) => Promise<ApiResult>;
