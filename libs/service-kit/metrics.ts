import { Controller, Get, Header, Injectable, type NestMiddleware } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Histogram, register } from 'prom-client';
import { Public } from '@personae/auth';

let defaultsCollected = false;

/** Process metrics once per process, whatever number of services it hosts. */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  collectDefaultMetrics({ prefix: 'personae_' });
  defaultsCollected = true;
}

const httpDuration = new Histogram({
  name: 'personae_http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});

/** Starts timing one request; the returned function records it with its route pattern and status. */
export function timeHttpRequest(): (labels: { method: string; route: string; status: string }) => void {
  const end = httpDuration.startTimer();
  return (labels) => void end(labels);
}

/** Times each request by its route pattern (not its raw path, which would explode cardinality). */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    const end = timeHttpRequest();
    response.on('finish', () => {
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      end({
        method: request.method,
        route: `${request.baseUrl}${route}`,
        status: String(response.statusCode),
      });
    });
    next();
  }
}

@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
