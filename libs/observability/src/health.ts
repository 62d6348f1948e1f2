import { Controller, Get, Headers, HttpCode, Inject, Injectable, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@cg/auth';
import { timingSafeEqual } from 'node:crypto';
import { SERVICE_CONFIG, ServiceConfig } from './config';
import { Metrics } from './metrics';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
  /** Reported but not deciding: when only optional checks fail the app stays in rotation, `degraded`. */
  optional?: boolean;
}

export type ReadinessStatus = 'up' | 'degraded' | 'down';

export interface Readiness {
  status: ReadinessStatus;
  /** `up`, or `down: <reason>`, by check name. */
  checks: Record<string, string>;
}

/** Each backbone piece (NATS, database) registers the check that says it is usable. */
@Injectable()
export class HealthRegistry {
  private readonly checks: ReadinessCheck[] = [];
  private draining = false;

  /** The instance is shutting down: readiness answers 503 from now on, so no new traffic is sent here. */
  startDraining(): void {
    this.draining = true;
  }

  register(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  async readiness(timeoutMs = 2000): Promise<Readiness> {
    const results = await Promise.all(
      this.checks.map(async ({ name, check, optional = false }) => {
        try {
          await Promise.race([
            check(),
            new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), timeoutMs).unref()),
          ]);
          return { name, optional, state: 'up' };
        } catch (error) {
          return { name, optional, state: `down: ${(error as Error).message}` };
        }
      }),
    );
    if (this.draining) results.push({ name: 'shutdown', optional: false, state: 'down: draining before shutdown' });
    return {
      status: readinessStatus(results.map(({ optional, state }) => ({ optional, up: state === 'up' }))),
      checks: Object.fromEntries(results.map(({ name, state }) => [name, state])),
    };
  }
}

/** Required checks decide whether the app takes traffic; a failing optional one only degrades it. */
export function readinessStatus(results: { optional: boolean; up: boolean }[]): ReadinessStatus {
  if (results.some((r) => !r.optional && !r.up)) return 'down';
  return results.some((r) => !r.up) ? 'degraded' : 'up';
}

/** Whether an Authorization header carries exactly `Bearer <token>`, compared in constant time. */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const given = Buffer.from(authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

@ApiExcludeController()
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthRegistry,
    private readonly metrics: Metrics,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Get('health/live')
  @HttpCode(200)
  live(): { status: 'up' } {
    return { status: 'up' };
  }

  @Get('health/ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const readiness = await this.health.readiness();
    await reply.code(readiness.status === 'down' ? 503 : 200).send(readiness);
  }

  @Get('metrics')
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const { metricsToken } = this.config;
    if (metricsToken && !bearerMatches(authorization, metricsToken)) {
      await reply
        .code(401)
        .header('content-type', 'application/problem+json')
        .header('www-authenticate', 'Bearer')
        .send({
          type: 'https://errors.co-governance.local/UNAUTHENTICATED',
          title: 'Unauthorized',
          status: 401,
          code: 'UNAUTHENTICATED',
          detail: 'Metrics need the metrics bearer token',
          instance: '/metrics',
        });
      return;
    }
    await reply
      .header('content-type', this.metrics.registry.contentType)
      .send(await this.metrics.registry.metrics());
  }
}
