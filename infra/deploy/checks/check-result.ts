/**
 * What one preflight check found. `missing` fails the preflight; `skipped` does not, because a
 * check is only skipped when it is not needed or when what it depends on is already reported
 * missing.
 */
export type CheckStatus = 'ok' | 'missing' | 'skipped';

/** What a check looks at. */
export interface CheckItem {
  /** Its line's label: "Pulumi CLI". */
  label: string;
  /** How the summary names it when missing: "the Pulumi CLI". */
  name: string;
}

export interface CheckResult extends CheckItem {
  status: CheckStatus;
  /** One line: what was found, or why it was not checked. */
  detail: string;
  /** One line a newcomer can follow; only for `missing`. */
  fix?: string;
}

export const ok = (item: CheckItem, detail: string): CheckResult => ({ ...item, status: 'ok', detail });
export const missing = (item: CheckItem, detail: string, fix: string): CheckResult => ({ ...item, status: 'missing', detail, fix });
export const skipped = (item: CheckItem, detail: string): CheckResult => ({ ...item, status: 'skipped', detail });

/** The environment variables a check reads; injected so tests need not touch `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;
