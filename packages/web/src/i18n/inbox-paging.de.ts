// The department postbox's paging and bounded search (modules/postbox/service.ts, listInbox).

export const inboxPagingDe = {
  more: 'Ältere Einträge anzeigen',
  searchFurther: 'Weiter suchen',
  searchedUntil: (when: string) =>
    `Die Suche hat die Einträge bis zum Eingang am ${when} durchsucht. Ältere Einträge können weitere Treffer enthalten.`,
};

export type InboxPagingMessages = typeof inboxPagingDe;
