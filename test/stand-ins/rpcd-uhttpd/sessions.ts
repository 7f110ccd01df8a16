import { randomBytes, timingSafeEqual } from 'node:crypto';
import { aclAllows, buildSessionAcl, type AclGroup, type LoginUser, type SessionAcl } from './acl.js';

export const ZERO_SID = '00000000000000000000000000000000';
const DEFAULT_TIMEOUT_S = 300;

export interface Session {
  id: string;
  username: string | undefined;
  acl: SessionAcl;
  timeoutS: number;
  expiresAt: number;
  data: Record<string, unknown>;
}

/** rpcd's `session` object state: logins, per-session ACLs and expiry. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly zero: Session;

  constructor(
    private readonly groups: () => Map<string, AclGroup>,
    private readonly users: () => LoginUser[],
    private readonly now: () => number = Date.now,
  ) {
    this.zero = { id: ZERO_SID, username: undefined, acl: buildSessionAcl(groups(), ['unauthenticated'], []), timeoutS: 0, expiresAt: Infinity, data: {} };
  }

  /** A live session, refreshing its expiry like rpcd does on every use; undefined when unknown or expired. */
  get(id: unknown): Session | undefined {
    if (typeof id !== 'string') return undefined;
    if (id === ZERO_SID) return this.zero;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    session.expiresAt = this.now() + session.timeoutS * 1000;
    return session;
  }

  login(username: unknown, password: unknown, timeoutS?: unknown): Session | undefined {
    if (typeof username !== 'string' || typeof password !== 'string') return undefined;
    const user = this.users().find((candidate) => candidate.username === username);
    if (!user || !samePassword(user.password, password)) return undefined;
    const timeout = typeof timeoutS === 'number' && timeoutS > 0 ? timeoutS : DEFAULT_TIMEOUT_S;
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      username,
      acl: buildSessionAcl(this.groups(), user.read, user.write),
      timeoutS: timeout,
      expiresAt: this.now() + timeout * 1000,
      data: { username },
    };
    this.sessions.set(session.id, session);
    return session;
  }

  destroy(id: string): boolean {
    return this.sessions.delete(id);
  }

  allowed(session: Session, scope: string, object: string, fn: string): boolean {
    return aclAllows(session.acl, scope, object, fn);
  }

  /** What `session.login` answers. */
  describe(session: Session): Record<string, unknown> {
    const remaining = Math.max(0, Math.round((session.expiresAt - this.now()) / 1000));
    return { ubus_rpc_session: session.id, timeout: session.timeoutS, expires: remaining, acls: session.acl, data: session.data };
  }
}

function samePassword(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
