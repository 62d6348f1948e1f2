import { LoginLimiter } from './login-limiter';
import { RevocationList } from './revocation-list';
import { SessionsService } from './sessions.service';

/** What login, refresh, logout and the auth guard need; they use the gateway's own NATS connection. */
export const SESSION_PROVIDERS = [RevocationList, LoginLimiter, SessionsService];
