import { formBody } from '../../http/schemas.ts';

/** A department as the forms and the API take it. */
export const departmentInput = formBody(
  {
    name: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
    description: { type: 'string', maxLength: 2000 },
  },
  ['name'],
);

export const departmentSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, name: { type: 'string' }, description: { type: ['string', 'null'] } },
} as const;

export const staffSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    displayName: { type: ['string', 'null'] },
    isTenantAdmin: { type: 'boolean' },
    status: { type: 'string', enum: ['invited', 'active', 'disabled'] },
    departments: { type: 'array', items: { type: 'string' } },
  },
} as const;
