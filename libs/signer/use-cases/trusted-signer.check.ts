import { ForbiddenException, Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { holdsAnyRole, type IdentityRole } from '../domain/identities';
import { TrustedIdentityRepository } from '../store/trusted-identity.repository';

/**
 * The `signer` role on a credential is not enough to seal: the principal must also be a trusted
 * signer identity its tenant's admin registered, holding one of the roles the action needs.
 */
@Injectable()
export class TrustedSignerCheck {
  constructor(private readonly identities: TrustedIdentityRepository) {}

  async require(principal: Principal, roles: readonly IdentityRole[], action: string): Promise<void> {
    const identity = await this.identities.findActive(principal.tenantId, principal.subject);
    if (identity && holdsAnyRole(identity.roles, roles)) return;
    const reason = identity
      ? `${principal.subject} is a trusted identity without the ${roles.join(' or ')} role`
      : `${principal.subject} is not a registered trusted signer in tenant ${principal.tenantId}`;
    throw new ForbiddenException(
      `${action} refused: ${reason}; an admin registers signers with POST /v1/signer/identities`,
    );
  }
}
