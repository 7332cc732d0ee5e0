// The organisations module's public surface: other modules import from here, never from its files.
export type { OrganisationKeyState } from './keys.ts';
export { isP256Envelope, keyState } from './keys.ts';
export type { Notice, NoticeBody } from './notices.ts';
export { listNotices } from './notices.ts';
export { notifyOrganisation, organisationMemberMayUpload } from './postbox-delivery.ts';
export { isMember, requireAdmin, requireMember } from './policy.ts';
export { runYearlyMembershipReports, startOfYearBerlin } from './report.ts';
export { organisationRoutes } from './routes/index.ts';
export type { ProfileInput } from './service.ts';
export { createOrganisation, organisationsOf } from './service.ts';
export { invitationsFor } from './services/invitations.ts';
export { leaveAllOrganisations, leaveOrganisation } from './services/membership.ts';
export { listMembers, logGrant, soleAdminOf } from './store/members.ts';
export type { Member } from './store/members.ts';
export type { Organisation, OrganisationAccess, Role } from './store/organisations.ts';
export { deleteOrganisationRow, makeAdmin, removeMembership, successorOf } from './store/erasure.ts';
// For the privacy module's data export.
export { exportGrantLogAbout, exportInvitationsFor, exportMembershipsOf } from './store/export.ts';
// For the retention module's inactivity rule for organisations.
export { lockOrganisationOrSkip } from './store/organisations.ts';
export { adminAddressesByEmail, keepOrganisationActive } from './store/inactivity.ts';
// For the keys module's recipient key lookup and the transfers module's end-to-end replies.
export { organisationKeysFor } from './store/contact-keys.ts';
export { organisationPublicKey } from './store/keys.ts';
