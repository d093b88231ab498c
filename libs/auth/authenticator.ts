import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@personae/config';
import { API_KEY_PREFIX } from './domain/api-key-token';
import { JwtError, MAX_BEARER_TOKEN_LENGTH, verifyJwt } from './domain/jwt';
import type { Principal } from './domain/principal';
import { ApiKeyService } from './keys/api-key.service';

/** Why a request was not authenticated; the message is safe to return to the caller. */
export class AuthenticationError extends Error {
  constructor(
    reason: string,
    /** RFC 6750: `invalid_request` for a malformed header, `invalid_token` for a refused token, none when absent. */
    readonly code?: 'invalid_request' | 'invalid_token',
  ) {
    super(reason);
    this.name = 'AuthenticationError';
  }
}

const BEARER = /^Bearer +(\S+) *$/i;

/** Turns an Authorization header into a Principal: API keys by lookup, JWTs by signature. */
@Injectable()
export class Authenticator {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: ApiKeyService,
  ) {}

  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (authorization === undefined || authorization.trim() === '') {
      throw new AuthenticationError('missing bearer token: send "Authorization: Bearer <API key or JWT>"');
    }
    if (authorization.length > MAX_BEARER_TOKEN_LENGTH + 16)
      throw new AuthenticationError('bearer token is too long', 'invalid_request');
    const match = BEARER.exec(authorization);
    if (!match)
      throw new AuthenticationError('the Authorization header must use the Bearer scheme', 'invalid_request');
    const token = match[1]!;
    if (token.length > MAX_BEARER_TOKEN_LENGTH)
      throw new AuthenticationError('bearer token is too long', 'invalid_request');

    if (token.startsWith(API_KEY_PREFIX)) {
      const principal = await this.keys.verify(token);
      // One answer for unknown, wrong-secret and revoked keys: the caller learns nothing more.
      if (!principal) throw new AuthenticationError('invalid or revoked API key', 'invalid_token');
      return principal;
    }
    if (token.split('.').length === 3) return this.verifyJwt(token);
    throw new AuthenticationError(
      'malformed bearer token: expected an API key (pk_...) or a JWT',
      'invalid_token',
    );
  }

  private verifyJwt(token: string): Principal {
    const { jwtSecret, jwtIssuer } = this.config.auth;
    if (!jwtSecret)
      throw new AuthenticationError(
        'JWT bearer tokens are not accepted by this server (no AUTH_JWT_SECRET); use an API key',
        'invalid_token',
      );
    try {
      const claims = verifyJwt(token, { secret: jwtSecret, issuer: jwtIssuer });
      return { subject: claims.sub, tenantId: claims.tenant, role: claims.role, via: 'jwt' };
    } catch (error) {
      if (error instanceof JwtError) throw new AuthenticationError(error.message, 'invalid_token');
      throw error;
    }
  }
}
