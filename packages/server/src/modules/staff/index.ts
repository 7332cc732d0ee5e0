// The staff module's public surface: other modules import from here, never from its files.
export type { Staff, StaffStatus } from './store.ts';
export {
  activateInvitedStaff,
  activateStaff,
  activeStaffDomains,
  createStaff,
  departmentMemberCounts,
  departmentsOf,
  findStaffByEmail,
  getStaff,
  listStaff,
  normaliseEmail,
  noteStaffLogin,
  staffPasswordHash,
  updateStaffRole,
} from './store.ts';
export { activeAdminEmails, neverSignedInStaff } from './store.ts';

// Used by postbox: who works in a department.
export { activeDepartmentStaff, departmentStaffEmails, memberDepartmentIds } from './store.ts';
