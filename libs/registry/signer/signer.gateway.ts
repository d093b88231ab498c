import { BadGatewayException, HttpException, Injectable } from '@nestjs/common';
import {
  HttpClient,
  PersonaeApiError,
  SignerClient,
  type RevokedVersionView,
  type SealRequest,
  type SealResult,
} from '@personae/sdk';
import { currentCorrelationId, ServiceUrls } from '@personae/service-kit';

/** Seals and revocations take a signature and a log append: allow them more than the default 10 s. */
const SIGNER_TIMEOUT_MS = 20_000;

/**
 * The signer service's HTTP API, called with the caller's own bearer token: the signer checks that the
 * caller may seal, and records who did. In platform mode the URL is this very process.
 */
@Injectable()
export class SignerGateway {
  constructor(private readonly urls: ServiceUrls) {}

  seal(token: string, request: SealRequest): Promise<SealResult> {
    return this.call('seal', (client) => client.seal(request), token);
  }

  revokeVersion(
    token: string,
    request: { packName: string; version: number; digest: string; reason: string },
  ): Promise<RevokedVersionView> {
    return this.call('revocation', (client) => client.revokeVersion(request), token);
  }

  private async call<T>(
    what: string,
    action: (client: SignerClient) => Promise<T>,
    token: string,
  ): Promise<T> {
    const client = new SignerClient(
      new HttpClient({
        baseUrl: this.urls.signer(),
        token,
        correlationId: currentCorrelationId(),
        timeoutMs: SIGNER_TIMEOUT_MS,
      }),
    );
    try {
      return await action(client);
    } catch (error) {
      throw signerFailure(what, error);
    }
  }
}

/**
 * The signer's refusals of the caller (401, 403, 409, 422…) keep their status; a 404 or a 5xx means the
 * signer is missing or broken, which is not the caller's fault: 502.
 */
export function signerFailure(what: string, error: unknown): HttpException {
  if (error instanceof PersonaeApiError) {
    const reason = error.body.message ?? error.message;
    if (error.status >= 400 && error.status < 500 && error.status !== 404)
      return new HttpException(`the signer refused the ${what}: ${reason}`, error.status);
    return new BadGatewayException(`the signer failed the ${what} (${error.status}): ${reason}`);
  }
  return new BadGatewayException(
    `the signer could not be reached for the ${what}: ${(error as Error).message}`,
  );
}
