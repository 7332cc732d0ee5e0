// Organisation accounts (Amt24 rules): list, create (with consent), the shared postbox and its
// messages, members and invitations, settings (profile, data release), deletion, and the page
// behind an invitation link. One file per page in organisations/; this is their public face.
export type { OrganisationRole, OrganisationSummary } from './organisations/common.ts';
export { orgHeader } from './organisations/common.ts';
export {
  organisationCreatePage,
  organisationInvitationPage,
  organisationsPage,
} from './organisations/list.ts';
export type { NoticeView, PostboxItemView } from './organisations/postbox.ts';
export { organisationNoticePage, organisationPage } from './organisations/postbox.ts';
export type { OrganisationTransferInput } from './organisations/transfer.ts';
export { organisationTransferPage } from './organisations/transfer.ts';
export type { MembersPageInput } from './organisations/members.ts';
export { organisationMembersPage } from './organisations/members.ts';
export { organisationDeletePage, organisationSettingsPage } from './organisations/settings.ts';
