import { ServiceUnavailableException } from '@nestjs/common';

/**
 * A key exists but this process cannot use it, e.g. KEY_ENCRYPTION_KEYS lacks the KEK that wraps it.
 * 503, never a fresh key: silently replacing a signing key would fork the signer's identity.
 */
export class KeyUnavailableError extends ServiceUnavailableException {
  constructor(reason: string) {
    super(`signing is unavailable: ${reason}`);
    this.name = 'KeyUnavailableError';
  }
}
