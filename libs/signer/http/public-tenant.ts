import { BadRequestException, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuthenticationError, Authenticator } from '@personae/auth';

/**
 * Verification material is per tenant (each tenant trusts only its own pack-signer keys and
 * revocations) and public: anyone holding a sealed pack must be able to verify it without an
 * account. The tenant is the `?tenant=` query, or else that of the bearer token if one is sent, so
 * SDK callers get their own tenant's material by default.
 */
@Injectable()
export class PublicTenant {
  constructor(private readonly authenticator: Authenticator) {}

  async resolve(tenant: string | undefined, authorization: string | undefined): Promise<string> {
    if (tenant !== undefined) return tenant;
    if (authorization === undefined || authorization.trim() === '')
      throw new BadRequestException({
        message: 'name the tenant whose material you want: ?tenant=<id>, or send a bearer token for your own',
        errors: [{ field: 'tenant', reason: 'required without a bearer token' }],
      });
    try {
      return (await this.authenticator.authenticate(authorization)).tenantId;
    } catch (error) {
      if (error instanceof AuthenticationError) throw new UnauthorizedException(error.message);
      throw error;
    }
  }
}
