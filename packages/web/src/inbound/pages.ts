// Pages for what comes in: drop-off (public), upload links (public page and the caseworker's
// pages), the department postbox and its settings. Inputs are structural: the server passes
// its own objects. One file per page; this file names them all, so imports keep working.
import { transferPaths } from '@amtsbote/contracts';

export type { UploadRequestView } from './common.ts';
export type { DropoffDepartment } from './dropoff-index.ts';
export { dropoffIndexPage } from './dropoff-index.ts';
export type { ContactTargetView } from './contact.ts';
export { inboundContactPage } from './contact.ts';
export { inboundCodePage } from './code.ts';
export type { ComposeTargetView, InboundComposeInput } from './compose.ts';
export { INBOUND_FORM_ID, inboundComposePage } from './compose.ts';
export { inboundDonePage, uploadLinkClosedPage } from './done.ts';
export type { InboxEntryView } from './inbox.ts';
export { inboxPage } from './inbox.ts';
export type { InboxFileView, InboxItemView } from './inbox-item.ts';
export { inboxItemPage } from './inbox-item.ts';
export { inboxAnswerPage } from './inbox-answer.ts';
export type { SettingsDepartment } from './settings.ts';
export { inboundSettingsPage } from './settings.ts';
export type { UploadLinkView } from './upload-links.ts';
export { uploadLinksPage, uploadLinkFormPage, uploadLinkPage } from './upload-links.ts';

export { transferPaths };
