import { createHmac, timingSafeEqual } from 'node:crypto';
import { isRole, type Role } from './roles';
import { isTenantId } from './tenant';

/** Longest bearer token (API key or JWT) we read; anything longer is refused before parsing. */
export const MAX_BEARER_TOKEN_LENGTH = 4096;
/** Tolerated clock difference between the token issuer and us. */
export const JWT_CLOCK_SKEW_SECONDS = 30;
const MIN_SECRET_LENGTH = 32;
const MAX_SUBJECT_LENGTH = 256;
const SEGMENT = /^[A-Za-z0-9_-]+$/;

export interface JwtClaims {
  iss: string;
  sub: string;
  tenant: string;
  role: Role;
  exp: number;
  nbf?: number;
  iat?: number;
}

/** Why a token was refused; the reason is safe to return to the caller. */
export class JwtError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'JwtError';
  }
}

export interface SignJwtOptions {
  secret: string;
  issuer: string;
  /** Lifetime from `now`; defaults to one hour. */
  expiresInSeconds?: number;
  /** Seconds since the epoch; defaults to the current time. */
  now?: number;
  notBefore?: number;
}

/** Signs an HS256 JWT for a principal (for tests, the CLI and trusted token issuers). */
export function signJwt(
  claims: { sub: string; tenant: string; role: Role },
  options: SignJwtOptions,
): string {
  if (options.secret.length < MIN_SECRET_LENGTH)
    throw new Error(`the JWT secret must be at least ${MIN_SECRET_LENGTH} characters`);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const payload: JwtClaims = {
    iss: options.issuer,
    sub: claims.sub,
    tenant: claims.tenant,
    role: claims.role,
    iat: now,
    exp: now + (options.expiresInSeconds ?? 3600),
    ...(options.notBefore === undefined ? {} : { nbf: options.notBefore }),
  };
  const signingInput = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${signingInput}.${sign(signingInput, options.secret)}`;
}

export interface VerifyJwtOptions {
  secret: string;
  issuer: string;
  /** Seconds since the epoch; defaults to the current time. */
  now?: number;
  clockSkewSeconds?: number;
}

/**
 * Verifies an HS256 JWT and returns its claims, or throws a JwtError. Only HS256 is accepted:
 * `alg` is never trusted to pick the algorithm (that is how `none` and RS/HS confusion attacks
 * work). The signature is checked before any claim is read, so claim errors are only reported
 * for tokens we issued.
 */
export function verifyJwt(token: string, options: VerifyJwtOptions): JwtClaims {
  if (token.length > MAX_BEARER_TOKEN_LENGTH) throw new JwtError('token is too long');
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) throw new JwtError('malformed token');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];

  const header = decode(headerPart);
  if (header.alg !== 'HS256') throw new JwtError('unsupported token algorithm (only HS256 is accepted)');
  if (header.typ !== undefined && header.typ !== 'JWT') throw new JwtError('unsupported token type');
  if (header.crit !== undefined) throw new JwtError('unsupported critical token header');

  const expected = Buffer.from(sign(`${headerPart}.${payloadPart}`, options.secret));
  const presented = Buffer.from(signaturePart);
  if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) {
    throw new JwtError('invalid token signature');
  }

  const claims = decode(payloadPart);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const skew = options.clockSkewSeconds ?? JWT_CLOCK_SKEW_SECONDS;
  if (claims.iss !== options.issuer) throw new JwtError('token issuer is not accepted');
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp))
    throw new JwtError('token has no expiry (exp)');
  if (now > claims.exp + skew) throw new JwtError('token has expired');
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || now + skew < claims.nbf)) {
    throw new JwtError('token is not valid yet (nbf)');
  }
  if (claims.iat !== undefined && typeof claims.iat !== 'number')
    throw new JwtError('token claim iat must be a number');
  if (typeof claims.sub !== 'string' || claims.sub.length === 0 || claims.sub.length > MAX_SUBJECT_LENGTH) {
    throw new JwtError(`token claim sub must be a string of 1 to ${MAX_SUBJECT_LENGTH} characters`);
  }
  if (!isTenantId(claims.tenant)) throw new JwtError('token claim tenant must be a lowercase slug');
  if (!isRole(claims.role)) throw new JwtError('token claim role is not a known role');
  return {
    iss: claims.iss,
    sub: claims.sub,
    tenant: claims.tenant,
    role: claims.role,
    exp: claims.exp,
    ...(typeof claims.nbf === 'number' ? { nbf: claims.nbf } : {}),
    ...(typeof claims.iat === 'number' ? { iat: claims.iat } : {}),
  };
}

function sign(signingInput: string, secret: string): string {
  return createHmac('sha256', secret).update(signingInput).digest('base64url');
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decode(segment: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new JwtError('malformed token');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new JwtError('malformed token');
  return value as Record<string, unknown>;
}
