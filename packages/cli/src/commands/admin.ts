import {
  apiTokenFor,
  createStaffMember,
  createTenantWithDepartment,
  loginLinkFor,
} from '@amtsbote/server/operations';
import type { Io } from '../args.ts';
import { parse, required, UsageError } from '../args.ts';
import { chooseTenant, withDatabase } from './context.ts';

export const adminHelp = `Usage: amtsbote admin <command> [options]

Commands:
  create-tenant --slug SLUG --name NAME [--host HOST]... [--department NAME]
      Creates an authority (tenant). SLUG: lower-case letters, digits, hyphens.
  create-user --email EMAIL [--tenant SLUG] [--name NAME] [--admin] [--department NAME]
      Creates an active staff member. Set a password through the login link
      (admin login-link) or with AMTSBOTE_PASSWORD in the environment.
  login-link --email EMAIL [--tenant SLUG]
      Prints a one-time login link (valid 24 hours).

Works while the portal runs, on PostgreSQL and on the embedded database alike.`;

export async function admin(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'create-tenant': {
      const { values } = parse('admin create-tenant', rest, {
        slug: { type: 'string' },
        name: { type: 'string' },
        host: { type: 'string', multiple: true },
        department: { type: 'string' },
      });
      if (values.help === true) return help(io);
      const slug = required('admin create-tenant', 'slug', values.slug);
      const name = required('admin create-tenant', 'name', values.name);
      const { tenant, department } = await withDatabase(io, (db) =>
        createTenantWithDepartment(db, {
          slug,
          name,
          hostnames: values.host ?? [],
          ...(values.department === undefined ? {} : { department: values.department }),
        }),
      );
      io.out(
        `created authority ${tenant.slug} (${tenant.name})${department === undefined ? '' : ` with department "${department.name}"`}`,
      );
      return 0;
    }
    case 'create-user': {
      const { values } = parse('admin create-user', rest, {
        email: { type: 'string' },
        tenant: { type: 'string' },
        name: { type: 'string' },
        admin: { type: 'boolean' },
        department: { type: 'string' },
      });
      if (values.help === true) return help(io);
      const email = required('admin create-user', 'email', values.email);
      const password = io.env.AMTSBOTE_PASSWORD;
      const staff = await withDatabase(io, async (db, config) =>
        createStaffMember(db, await chooseTenant(db, config, values.tenant), {
          email,
          isTenantAdmin: values.admin === true,
          ...(values.name === undefined ? {} : { displayName: values.name }),
          ...(values.department === undefined ? {} : { department: values.department }),
          ...(password === undefined || password === '' ? {} : { password }),
        }),
      );
      io.out(`created ${staff.isTenantAdmin ? 'tenant admin' : 'staff member'} ${staff.email}`);
      return 0;
    }
    case 'login-link': {
      const { values } = parse('admin login-link', rest, {
        email: { type: 'string' },
        tenant: { type: 'string' },
      });
      if (values.help === true) return help(io);
      const email = required('admin login-link', 'email', values.email);
      const link = await withDatabase(io, async (db, config) =>
        loginLinkFor(db, config.publicUrl, await chooseTenant(db, config, values.tenant), email),
      );
      io.out(link);
      return 0;
    }
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      return help(io);
    default:
      throw new UsageError(`admin: unknown command "${sub}" (see amtsbote admin --help)`);
  }
}

function help(io: Io): number {
  io.out(adminHelp);
  return 0;
}

export const tokenHelp = `Usage: amtsbote token create --email EMAIL [--tenant SLUG] [--label TEXT] [--json]

Prints an API token for a staff member. It is shown once and stored only as a hash.
Use it as "Authorization: Bearer <token>". With --json: {"token": "…"}.`;

export async function token(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(tokenHelp);
    return 0;
  }
  if (sub !== 'create') throw new UsageError(`token: unknown command "${sub}" (see amtsbote token --help)`);
  const { values } = parse('token create', rest, {
    email: { type: 'string' },
    tenant: { type: 'string' },
    label: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help === true) {
    io.out(tokenHelp);
    return 0;
  }
  const email = required('token create', 'email', values.email);
  const t = await withDatabase(io, async (db, config) =>
    apiTokenFor(db, await chooseTenant(db, config, values.tenant), email, values.label),
  );
  io.out(values.json === true ? JSON.stringify({ token: t }) : t);
  return 0;
}
