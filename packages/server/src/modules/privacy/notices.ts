/** Notices after redirect-after-POST on the retention and privacy pages (keys, never text in URLs). */
export const privacyNotices: Record<string, { kind: 'success' | 'info'; de: string; en: string }> = {
  'retention-saved': {
    kind: 'success',
    de: 'Die Speicherfristen wurden gespeichert.',
    en: 'The retention periods were saved.',
  },
  'data-subject-deleted': {
    kind: 'success',
    de: 'Das Servicekonto wurde mit allen Daten gelöscht.',
    en: 'The service account was deleted with all its data.',
  },
};
