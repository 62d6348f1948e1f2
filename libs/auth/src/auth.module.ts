import { DynamicModule, Global, Module } from '@nestjs/common';
import { TokenService } from './tokens';

@Global()
@Module({})
export class AuthModule {
  static forRoot(options: { jwtSecret: string; jwtTtlSeconds: number }): DynamicModule {
    return {
      module: AuthModule,
      providers: [{ provide: TokenService, useValue: new TokenService(options.jwtSecret, options.jwtTtlSeconds) }],
      exports: [TokenService],
    };
  }
}
