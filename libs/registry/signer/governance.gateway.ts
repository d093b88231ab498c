import { BadGatewayException, HttpException, Injectable } from '@nestjs/common';
import { GovernanceClient, HttpClient, PersonaeApiError, type PackValidationView } from '@personae/sdk';
import { currentCorrelationId, ServiceUrls } from '@personae/service-kit';

/** Validation runs the pack's tests through the model port: allow it more than the default 10 s. */
const GOVERNANCE_TIMEOUT_MS = 120_000;

/**
 * The governance service's pack validation, called with the caller's own token (governance applies
 * the caller's tenant policy). In platform mode the URL is this very process.
 */
@Injectable()
export class GovernanceGateway {
  constructor(private readonly urls: ServiceUrls) {}

  async validatePack(token: string, pack: Record<string, unknown>): Promise<PackValidationView> {
    const client = new GovernanceClient(
      new HttpClient({
        baseUrl: this.urls.governance(),
        token,
        correlationId: currentCorrelationId(),
        timeoutMs: GOVERNANCE_TIMEOUT_MS,
      }),
    );
    try {
      return await client.validatePack(pack);
    } catch (error) {
      if (error instanceof PersonaeApiError) {
        const reason = error.body.message ?? error.message;
        if (error.status >= 400 && error.status < 500 && error.status !== 404)
          throw new HttpException(`governance refused to validate the pack: ${reason}`, error.status);
        throw new BadGatewayException(`governance failed to validate the pack (${error.status}): ${reason}`);
      }
      throw new BadGatewayException(`governance could not be reached: ${(error as Error).message}`);
    }
  }
}
