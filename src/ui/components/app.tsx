import type { ComponentChildren, ComponentType } from 'preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { _ } from '../lib/i18n.js';
import { Alert } from './cbi.js';
import { Rpc, type RpcEnv } from '../lib/rpc.js';
import type { ApplyTimings } from '../lib/apply.js';

/** What the LuCI view module hands over from `L.env`. */
export interface PageEnv extends RpcEnv, Partial<ApplyTimings> {
  pollinterval?: number;
  nodespec?: { readonly?: boolean };
}

export interface PageProps {
  rpc: Rpc;
  env: PageEnv;
  timings: ApplyTimings;
  pollS: number;
}

/** The parts of LuCI's runtime (`L`) the bundles use when the page runs inside LuCI. */
export interface LuciRuntime {
  Poll?: { add(fn: () => unknown, intervalS: number): boolean; remove(fn: () => unknown): boolean };
  notifySessionExpiry?(): void;
}

declare global {
  interface Window {
    SmartGrid?: Record<string, { mount(element: HTMLElement, env: PageEnv): void }>;
    L?: LuciRuntime;
  }
}

/** LuCI's "Session expired" dialog (it raises after showing it), and a note above the stale values. */
function SessionFrame(props: { rpc: Rpc; children: ComponentChildren }) {
  const [expired, setExpired] = useState(props.rpc.sessionExpired);
  useEffect(() => props.rpc.whenSessionExpires(() => {
    setExpired(true);
    try { window.L?.notifySessionExpiry?.(); } catch { /* LuCI raises SessionError after showing its dialog */ }
  }), [props.rpc]);
  return (
    <>
      {expired && (
        <Alert kind="warning" id="sg-session-expired">
          {_('The login session has expired: the values below are no longer updated.')} <a href={window.location.pathname}>{_('Log in again')}</a>
        </Alert>
      )}
      {props.children}
    </>
  );
}

/** Registers `window.SmartGrid[name].mount`, which the thin LuCI view module calls. */
export function registerPage(name: string, Page: ComponentType<PageProps>): void {
  const registry = (window.SmartGrid = window.SmartGrid ?? {});
  registry[name] = {
    mount(element, env) {
      const props: PageProps = {
        rpc: new Rpc({ ubuspath: env.ubuspath || '/ubus/', sessionid: env.sessionid }),
        env,
        timings: { apply_rollback: env.apply_rollback ?? 90, apply_holdoff: env.apply_holdoff ?? 4 },
        pollS: Math.max(1, env.pollinterval ?? 5),
      };
      render(<SessionFrame rpc={props.rpc}><Page {...props} /></SessionFrame>, element);
    },
  };
}

/**
 * What this session may do, from `session.access` (a read-only login gets no working buttons).
 * Undefined while unknown, so nothing writable flashes up before the answer.
 */
export function useAccess(rpc: Rpc, checks: Record<string, [scope: string, object: string, fn: string]>): Record<string, boolean> | undefined {
  const [access, setAccess] = useState<Record<string, boolean> | undefined>(undefined);
  useEffect(() => {
    let alive = true;
    void Promise.all(Object.entries(checks).map(async ([key, [scope, object, fn]]) => [key, await rpc.allowed(scope, object, fn)] as const))
      .then((entries) => { if (alive) setAccess(Object.fromEntries(entries)); });
    return () => { alive = false; };
  }, [rpc]);
  return access;
}
