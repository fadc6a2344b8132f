import type { Logger } from '@aws-lambda-powertools/logger';

/** Slow work an adapter family can do before the first request: fetch keys, open a connection. */
export interface WarmUp {
  name: string;
  run(): Promise<void>;
}

/** Init is not to be held for long: a step still running after this goes on in the background. */
const BUDGET_MS = 2_000;

/**
 * Runs the warm-up steps of a function's adapter families in Lambda's init phase, which runs with
 * a full CPU before the first request arrives, instead of on the first request of a cold function:
 * the Cognito keys fetched, the SDK's connections opened. Outside Lambda (tests, `npm start`),
 * nothing is run. A step that fails is logged and left to the first request, which does it again.
 */
export async function warmUpAtInit(steps: readonly WarmUp[], logger: Logger, env: Record<string, string | undefined> = process.env): Promise<void> {
  if (env.AWS_LAMBDA_FUNCTION_NAME === undefined || steps.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<void>((resolve) => (timer = setTimeout(resolve, BUDGET_MS)));
  const work = Promise.all(
    steps.map((step) =>
      step.run().catch((error: unknown) => logger.warn('warm-up failed; the first request will do it', { step: step.name, error: error as Error })),
    ),
  );
  await Promise.race([work, budget]);
  clearTimeout(timer);
}
