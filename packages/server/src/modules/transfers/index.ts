// The transfers module's public surface: other modules import from here, never from its files.

// Routes (app.ts) and uploads (drop-off and upload links mount their own tus endpoint).
export { transferRoutes } from './routes.ts';
export type { UploadAuthoriser } from './tus.ts';
export { registerUploads, UPLOADS_PATH } from './tus.ts';

// Tenant limits and the shared JSON schema of declared files.
export type { TransferPolicy } from './policy.ts';
export { DEFAULT_TRANSFER_POLICY, DRAFT_LIFETIME_MS, transferPolicy } from './policy.ts';
export { declaredFiles } from './schemas.ts';

// Drafts, sending, ending.
export type { Composer, Draft, DraftInput, FileDeclaration, GuestComposer } from './drafts.ts';
export { createDraft, uploadableFile } from './drafts.ts';
export type { DraftSender, SentRecipient } from './services/send-draft.ts';
export { sendDraft } from './services/send-draft.ts';
export { endTransfer } from './services/lifecycle.ts';
export type { SweepResult } from './expiry.ts';
export { sweepTransfers } from './expiry.ts';

// Views of a transfer and its recipients.
export type { EndToEnd, OutboxEntry, TransferFileView, TransferStatus, TransferView } from './views.ts';
export { effectiveStatus, loadTransferView, threadOf } from './views.ts';
export type { RecipientAccess } from './recipients.ts';
export { openAsRecipient, recipientAccessById, resolveRecipientLink, staffNameOf } from './recipients.ts';
export { mayRead } from './policy.ts';

// Sealed content: contexts, file storage, scanning, downloads.
export { contentKeyContext, fileKeyContext, textContext } from './keys.ts';
export { appendToFile, destroyContent, drainBlobDeletions, readFile } from './storage.ts';
export type { ScanStatus } from './scan-status.ts';
export { assertServable, isServable, queueForScan } from './scan-status.ts';
export { contentDisposition, recordDownload, sendFile, sendZip } from './downloads.ts';
export { verificationCodeMail } from './mails.ts';

// The blob deletion queue (retention drains it and sweeps orphans).
export type { DrainOptions } from './blob-drain.ts';
export { deleteBlobs, drainBlobQueue } from './blob-drain.ts';
export { forgetBlobDeletions, referencedSegmentBlobs } from './store/blob-queue.ts';

// Store functions other modules call on transfers' tables.
export type { InboundReceipt } from './store/inbound.ts';
export { inboundReceipt, transferE2eMode, uploadLinkSubmissions } from './store/inbound.ts';

// Used by the privacy module's erasure of a service account.
export { deleteTransferRow, unsentDraftsOf } from './store/erasure.ts';

// Used by the department postbox's answers to incoming transfers.
export { answerE2eMode, markAnswerToPassword } from './store/answers.ts';

// The malware scan of arrived files (run by the postbox module, which tells who is concerned).
export type { ClaimedScan, QuarantineAddressees } from './store/scans.ts';
export {
  claimPendingScans,
  markScannedClean,
  quarantineAddressees,
  quarantineFileRows,
  releaseScan,
} from './store/scans.ts';

// Read by the privacy module's data export.
export type { DownloadRow, ExportFileRow, GuestRow, ReceivedRow, SentRow } from './store/export.ts';
export { downloadsBy, exportFileRows, guestDeliveriesFrom, receivedBy, sentBy } from './store/export.ts';

// Used by the department postbox when an incoming transfer is submitted and delivered.
export type { ArrivalNotice, InboundDraftRow } from './store/arrivals.ts';
export {
  arrivalNotice,
  departmentEnvelopeOf,
  fileUploadRows,
  inboundDraftRow,
  lockDraftTiming,
  lockTransferStatus,
  markInboundSent,
  recordDetectedType,
} from './store/arrivals.ts';

// End-to-end envelopes (levels 3 and 4): replies in an organisation's name (postbox).
export type { ReplyEnvelopeInput, ReplyKeys } from './services/reply-envelopes.ts';
export { replyKeys, requireReplyKeys, storeReplyEnvelopes } from './services/reply-envelopes.ts';
export { organisationReplyDraftRecipient, setSenderAccount } from './store/organisation-replies.ts';

// Used by the organisation postbox (postbox/organisation-postbox.ts, organisation-envelope.ts).
export type { OrganisationPostboxRow } from './store/organisation-postbox.ts';
export {
  organisationPostboxRows,
  organisationReceivedEnvelope,
  organisationRecipientOf,
  organisationReplyEnvelope,
  organisationSentReplyRecipient,
  senderAccountName,
} from './store/organisation-postbox.ts';
// For the organisation postbox's replies: the same envelope body as a recipient's reply.
export { replyEnvelopesBody } from './schemas.ts';
