import { expect } from 'vitest';
import { DomainError, type ErrorKind } from '../../src/domain/errors.js';

/** Awaits `promise` and checks that it failed with a DomainError of this kind (and code, if given). */
export async function expectDomainError(promise: Promise<unknown>, expected: { kind: ErrorKind; code?: string }): Promise<DomainError> {
  const outcome = await promise.then(
    (value: unknown) => ({ resolved: true as const, value }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) throw new Error(`expected a DomainError ${JSON.stringify(expected)}, but the call succeeded`);
  expect(outcome.error).toBeInstanceOf(DomainError);
  expect(outcome.error).toMatchObject(expected);
  return outcome.error as DomainError;
}
