import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { AuthenticatedRequest } from './access';

/** Limits each user by account, and anonymous callers by IP. Runs after authentication. */
@Injectable()
export class UserThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const req = request as unknown as AuthenticatedRequest;
    return req.principal ? `user:${req.principal.sub}` : `ip:${req.ip}`;
  }
}
