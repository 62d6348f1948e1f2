import { Controller, DynamicModule, Module, Type } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { HealthRpc } from '@cg/contracts';

/** The app's own module plus the `<service>.health.ping` handler the gateway's readiness asks. */
export function withHealthPing(module: Type<unknown> | DynamicModule, service: string): DynamicModule {
  @Controller()
  class HealthPingController {
    @MessagePattern(HealthRpc.ping(service).subject)
    ping(): { service: string } {
      return { service };
    }
  }

  @Module({})
  class ServiceAppModule {}

  return { module: ServiceAppModule, imports: [module], controllers: [HealthPingController] };
}
