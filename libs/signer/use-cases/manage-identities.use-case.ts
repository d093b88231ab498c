import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { isUuid, uuidv7 } from '@personae/contracts';
import type { TrustedIdentityView } from '@personae/sdk';
import type { IdentityRole } from '../domain/identities';
import { trustedIdentityView } from '../domain/views';
import { TrustedIdentityRepository } from '../store/trusted-identity.repository';

const UNIQUE_VIOLATION = '23505';

/** An admin's registry of who may seal in its tenant. Everything is scoped to the admin's tenant. */
@Injectable()
export class ManageIdentitiesUseCase {
  constructor(private readonly identities: TrustedIdentityRepository) {}

  async register(
    admin: Principal,
    input: { subject: string; displayName: string; roles: IdentityRole[] },
  ): Promise<TrustedIdentityView> {
    const tenantId = admin.tenantId;
    const conflict = (): ConflictException =>
      new ConflictException(`${input.subject} is already a trusted identity in this tenant; remove it first`);
    if (await this.identities.findActive(tenantId, input.subject)) throw conflict();
    const identity = {
      id: uuidv7(),
      tenantId,
      subject: input.subject,
      displayName: input.displayName.trim(),
      roles: [...new Set(input.roles)].sort(),
      createdAt: new Date(),
      createdBy: admin.subject,
      revokedAt: null,
      revokedBy: null,
    };
    try {
      await this.identities.insert(identity);
    } catch (error) {
      // Two admins registering the same subject at once: the partial unique index decides.
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw conflict();
      throw error;
    }
    return trustedIdentityView(identity);
  }

  async list(admin: Principal): Promise<TrustedIdentityView[]> {
    return (await this.identities.list(admin.tenantId)).map(trustedIdentityView);
  }

  /** Stops the identity from sealing from now on; its past seals stay valid (revoke keys or versions for that). */
  async remove(admin: Principal, id: string): Promise<void> {
    const identity = isUuid(id) ? await this.identities.find(admin.tenantId, id) : null;
    if (!identity) throw new NotFoundException('trusted identity not found');
    await this.identities.revoke(admin.tenantId, id, admin.subject);
  }
}
