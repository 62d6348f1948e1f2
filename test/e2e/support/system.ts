import { INestApplication } from '@nestjs/common';
import { ServiceName } from '@cg/contracts';
import { startServiceApp } from '@cg/messaging';
import { ServiceConfig } from '@cg/observability';
import type { GatewayConfig } from '../../../apps/api-gateway/src/config';
import { runId, testServiceConfig } from '@cg/testing';
import { loadGatewayConfig } from '../../../apps/api-gateway/src/config';
import { startGateway } from '../../../apps/api-gateway/src/gateway-app';
import { ActivitiesAppModule } from '../../../apps/activities/src/app.module';
import { GridAppModule } from '../../../apps/grid/src/app.module';
import { MembershipAppModule } from '../../../apps/membership/src/app.module';
import { PropertyAppModule } from '../../../apps/property/src/app.module';
import { NotificationsAppModule } from '../../../apps/notifications/src/app.module';

export const ADMIN = { username: 'district.admin', password: 'admin-password-e2e' };

/** Every app of the system in this process, on real NATS and the real database, each with its own database. */
export class TestSystem {
  readonly id = runId();
  readonly jwtSecret = `e2e-secret-${this.id}-0123456789`;
  membership?: INestApplication;
  grid?: INestApplication;
  activities?: INestApplication;
  property?: INestApplication;
  notifications?: INestApplication;
  gateway?: INestApplication;
  baseUrl = '';

  config(service: string): ServiceConfig {
    // The production RPC timeout (3 s): a test that needs longer has found a slow path.
    return testServiceConfig(service, this.id, { jwtSecret: this.jwtSecret, rpcTimeoutMs: 3000 });
  }

  async start(gateway: Partial<GatewayConfig> = {}): Promise<this> {
    await this.startMembership();
    await this.startGrid();
    this.activities = await startServiceApp(
      ActivitiesAppModule.register(this.config(ServiceName.Activities)),
      this.config(ServiceName.Activities),
    );
    this.property = await startServiceApp(
      PropertyAppModule.register(this.config(ServiceName.Property)),
      this.config(ServiceName.Property),
    );
    this.notifications = await startServiceApp(
      NotificationsAppModule.register(this.config(ServiceName.Notifications)),
      this.config(ServiceName.Notifications),
    );
    this.gateway = await startGateway({
      ...loadGatewayConfig({ ...process.env, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      ...this.config(ServiceName.Gateway),
      corsOrigins: ['http://localhost:5173'],
      rateLimitPerMinute: 10_000,
      sectionTimeoutMs: 1500,
      bodyLimitBytes: 64 * 1024,
      ...gateway,
    });
    this.baseUrl = (await this.gateway.getUrl()).replace('[::1]', '127.0.0.1');
    return this;
  }

  async startMembership(): Promise<void> {
    this.membership = await startServiceApp(
      MembershipAppModule.register(this.config(ServiceName.Membership), ADMIN),
      this.config(ServiceName.Membership),
    );
  }

  async startGrid(): Promise<void> {
    this.grid = await startServiceApp(GridAppModule.register(this.config(ServiceName.Grid)), this.config(ServiceName.Grid));
  }

  async stopGrid(): Promise<void> {
    await this.grid?.close();
    this.grid = undefined;
  }

  /** Stops one service, as when its process dies; `start*` again to bring it back. */
  async stopService(name: 'membership' | 'grid' | 'activities' | 'property'): Promise<void> {
    await this[name]?.close();
    this[name] = undefined;
  }

  async stop(): Promise<void> {
    await this.gateway?.close();
    await this.grid?.close();
    await this.activities?.close();
    await this.property?.close();
    await this.notifications?.close();
    await this.membership?.close();
  }
}

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small HTTP client over fetch: real requests to the listening gateway. */
export function client(baseUrl: string, token?: string) {
  const call = async <T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(token && { authorization: `Bearer ${token}` }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: response.status, body: parsed as T, headers: response.headers } satisfies HttpResult<T>;
  };
  return {
    call,
    get: <T = any>(path: string, headers?: Record<string, string>) => call<T>('GET', path, undefined, headers),
    post: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => call<T>('POST', path, body, headers),
    put: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => call<T>('PUT', path, body, headers),
  };
}

export const IMPORT_ENDED = ['completed', 'rejected', 'failed'];

/**
 * Submits a residents file through the gateway and follows the import until it ends. Answers the submit's result
 * when the file was refused at once (400), else the import as it ended.
 */
export async function importResidents(
  api: ReturnType<typeof client>,
  communityId: string,
  csv: string,
  options: { json?: boolean; timeoutMs?: number } = {},
): Promise<HttpResult> {
  const path = `/api/v1/communities/${communityId}/residents/imports`;
  const submitted = options.json
    ? await api.post(path, { csv })
    : await api.post(path, csv, { 'content-type': 'text/csv' });
  if (submitted.status !== 202) return submitted;
  expect(submitted.headers.get('location')).toBe(`${path}/${submitted.body.id}`);
  expect(submitted.body).toMatchObject({ status: 'queued', attempts: 0 });
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  for (;;) {
    const now = await api.get(`${path}/${submitted.body.id}`);
    if (now.status !== 200 || IMPORT_ENDED.includes(now.body.status)) return now;
    if (Date.now() > deadline) throw new Error(`import still ${now.body.status}: ${JSON.stringify(now.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
