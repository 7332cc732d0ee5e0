import { privacyPaths } from '@amtsbote/contracts';
/**
 * Paths of the retention and data-subject-rights pages (issue 7): the server registers these
 * routes, the pages link and post to them.
 */

/** Form actions that answer only POST, mapped to the page that shows the form. */
export const privacyPostOnly: readonly { path: string; page: string; prefix?: true }[] = [
  { path: privacyPaths.adminRetention, page: privacyPaths.admin },
  { path: privacyPaths.adminExport, page: privacyPaths.admin },
  { path: privacyPaths.adminDelete, page: privacyPaths.admin },
];
