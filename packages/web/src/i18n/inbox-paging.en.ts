// English for inbox-paging.de.ts: the same keys, the same function parameters.
import type { InboxPagingMessages } from './inbox-paging.de.ts';

export const inboxPagingEn: InboxPagingMessages = {
  more: 'Show older entries',
  searchFurther: 'Search further',
  searchedUntil: (when: string) =>
    `The search has looked through the entries received up to ${when}. Older entries may hold more matches.`,
};
