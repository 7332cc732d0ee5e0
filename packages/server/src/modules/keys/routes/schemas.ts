/** Schema fragments of the key API: base64url envelopes and `amtb-pub1-` public keys. */
export const b64 = { type: 'string', pattern: '^[A-Za-z0-9_-]+$', maxLength: 400 } as const;
export const publicKey = { type: 'string', pattern: '^amtb-pub1-[A-Za-z0-9_-]{44}$' } as const;
