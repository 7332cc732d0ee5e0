import { accountTokenPaths } from './account-tokens.ts';
import { accountPaths, organisationPaths } from './accounts.ts';
import { inboundPaths } from './inbound.ts';
import { oidcEmailPaths } from './oidc-email.ts';
import { adminStaffPath, paths, recipientPaths, transferPaths } from './portal.ts';
import { privacyPaths } from './privacy.ts';

/** A path of the table, as a concrete example: what a page would link or post to. */
export interface PathSample {
  /** Where it stands in the table, e.g. `accountPaths.reset`. */
  name: string;
  path: string;
}

const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

// Parameters that are not free segments: the route has one fixed path per value.
const fixedArguments: Record<string, readonly string[]> = {
  'organisationPaths.invitationAction': [SAMPLE_ID, SAMPLE_ID, 'confirm'],
};

const tables = {
  paths,
  transferPaths,
  recipientPaths,
  accountPaths,
  organisationPaths,
  accountTokenPaths,
  oidcEmailPaths,
  inboundPaths,
  privacyPaths,
  adminStaffPath: { path: adminStaffPath },
} as const;

/**
 * Every path in the tables, functions called with sample arguments, so a test can ask the
 * server whether each one is a registered route (the pages must not link to nowhere).
 */
export function routePathTable(): PathSample[] {
  const out: PathSample[] = [];
  for (const [tableName, table] of Object.entries(tables)) {
    for (const [key, value] of Object.entries(table)) {
      const name = tableName === 'adminStaffPath' ? tableName : `${tableName}.${key}`;
      if (typeof value === 'string') {
        out.push({ name, path: value });
      } else {
        const fn = value as (...args: string[]) => string;
        const args = fixedArguments[name] ?? Array.from({ length: fn.length }, () => SAMPLE_ID);
        out.push({ name, path: fn(...args) });
      }
    }
  }
  return out;
}
