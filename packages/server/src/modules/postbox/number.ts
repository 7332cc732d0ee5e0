/** The short number a sender and the department quote for one incoming transfer: `3F2A-91C0`. */
export function inboundNumber(transferId: string): string {
  const hex = transferId.replace(/-/g, '').slice(0, 8).toUpperCase();
  return `${hex.slice(0, 4)}-${hex.slice(4, 8)}`;
}
