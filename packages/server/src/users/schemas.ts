/** Schemas of the session and user routes (OpenAPI is generated from them). */
import { USERNAME_PATTERN } from './service.js';

/** The user roles (as in USER_ROLES), literal for the type provider. */
const USER_ROLE_ENUM = ['reviewer', 'head', 'dept-head', 'bureau', 'admin'] as const;

const nullableString = { type: 'string', nullable: true } as const;

export const userSchema = {
  type: 'object',
  properties: {
    username: { type: 'string', description: 'login name (lower-case); the actor in the trail' },
    displayName: { type: 'string', description: '姓名' },
    userRole: { type: 'string', enum: USER_ROLE_ENUM },
    role: { type: 'string', description: 'the service role the user role acts as' },
    departments: { type: 'array', items: { type: 'string' }, description: 'HIS department codes (dept-head only)' },
    disabled: { type: 'boolean' },
    lockedUntil: { ...nullableString, description: 'end of a current lockout' },
    lastLoginAt: nullableString,
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

export const sessionSchema = {
  type: 'object',
  properties: {
    authMode: { type: 'string', enum: ['session', 'key', 'none'] },
    loginRequired: { type: 'boolean' },
    identity: {
      type: 'object',
      properties: {
        actor: { type: 'string' },
        role: { type: 'string' },
        userRole: { type: 'string' },
        departments: { type: 'array', items: { type: 'string' } },
      },
    },
    user: { ...userSchema, nullable: true },
    permissions: {
      type: 'object',
      properties: {
        mayUnmask: { type: 'boolean' },
        finalDecision: { type: 'boolean' },
        review: { type: 'boolean' },
        manageUsers: { type: 'boolean' },
        rulebooks: { type: 'boolean' },
        departmentScope: { type: 'array', items: { type: 'string' }, nullable: true },
      },
    },
    csrfToken: { ...nullableString, description: 'send as x-csrf-token on POST/PUT/PATCH/DELETE' },
    expiresAt: nullableString,
  },
} as const;

export const loginBody = {
  type: 'object',
  required: ['username', 'password'],
  additionalProperties: false,
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 64 },
    password: { type: 'string', minLength: 1, maxLength: 256 },
  },
} as const;

export const changePasswordBody = {
  type: 'object',
  required: ['currentPassword', 'newPassword'],
  additionalProperties: false,
  properties: {
    currentPassword: { type: 'string', maxLength: 256 },
    newPassword: { type: 'string', maxLength: 256 },
  },
} as const;

const departments = { type: 'array', maxItems: 500, items: { type: 'string', minLength: 1, maxLength: 64 } } as const;

export const createUserBody = {
  type: 'object',
  required: ['username', 'userRole', 'password'],
  additionalProperties: false,
  properties: {
    username: { type: 'string', pattern: USERNAME_PATTERN, description: '2–64 letters (CJK too), digits, . _ -' },
    displayName: { type: 'string', minLength: 1, maxLength: 100 },
    userRole: { type: 'string', enum: USER_ROLE_ENUM },
    departments,
    password: { type: 'string', maxLength: 256 },
  },
} as const;

export const patchUserBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    displayName: { type: 'string', minLength: 1, maxLength: 100 },
    userRole: { type: 'string', enum: USER_ROLE_ENUM },
    departments,
    disabled: { type: 'boolean' },
    unlock: { type: 'boolean', const: true },
  },
} as const;

export const resetPasswordBody = {
  type: 'object',
  required: ['password'],
  additionalProperties: false,
  properties: { password: { type: 'string', maxLength: 256 } },
} as const;

export const usernameParams = { type: 'object', required: ['username'], properties: { username: { type: 'string', minLength: 1, maxLength: 64 } } } as const;

export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    q: { type: 'string', maxLength: 64 },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
  },
} as const;
