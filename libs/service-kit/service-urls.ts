import type { Server } from 'node:http';
import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '@personae/config';

/**
 * Where the other services answer. Configured URLs win (services mode); otherwise the
 * service is in this very process (platform mode) and we call our own listening address,
 * so the code path is the same HTTP call either way.
 */
@Injectable()
export class ServiceUrls {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  signer(): string {
    return this.config.serviceUrls.signer ?? this.self();
  }

  registry(): string {
    return this.config.serviceUrls.registry ?? this.self();
  }

  /** Knowledge snapshots (hosted by the synthesis pipeline). */
  knowledge(): string {
    return this.config.serviceUrls.knowledge ?? this.self();
  }

  /** This process' own base URL, read from the listening socket (works with PORT=0). */
  self(): string {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('the HTTP server is not listening yet');
    const host = this.config.host === '0.0.0.0' || this.config.host === '::' ? '127.0.0.1' : this.config.host;
    return `http://${host}:${address.port}`;
  }
}

@Global()
@Module({ providers: [ServiceUrls], exports: [ServiceUrls] })
export class ServiceUrlsModule {}
