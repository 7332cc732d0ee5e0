// Texts for reading one's own sent level-3/4 reply again (pages/own-reply.ts, the organisation's
// postbox, islands/own-reply.ts), German. The English file has the same keys (own-reply.en.ts).
export const ownReplyDe = {
  intro:
    'Ende-zu-Ende-verschlüsselt. Sie können Ihre Antwort hier in Ihrem Browser mit Ihrem persönlichen Schlüssel wieder öffnen.',
  open: 'Ihre Antwort öffnen',
  opened: 'Ihre Antwort ist entschlüsselt.',
  otherKey:
    'Diese Antwort wurde für einen früheren persönlichen Schlüssel verschlüsselt, den Sie inzwischen ersetzt haben. Sie lässt sich nicht mehr öffnen.',
  filesCaption: 'Dateien Ihrer Antwort (Ende-zu-Ende-verschlüsselt)',
  orgOpen: 'Diese Antwort öffnen',
};

export type OwnReplyMessages = typeof ownReplyDe;
