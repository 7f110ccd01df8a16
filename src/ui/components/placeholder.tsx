import type { PageProps } from './app.js';
import { Alert, Section, ValueRow } from './cbi.js';
import { StateBadge } from './service-state.js';
import { usePoll } from './use-poll.js';
import { duration, pick, text } from '../lib/format.js';
import { _ } from '../lib/i18n.js';
import { serviceStatus, type ServiceName } from '../lib/services.js';

/** The page of a service whose UI is not written yet: its ubus status, nothing to change. */
export function placeholderPage(name: ServiceName, title: string) {
  return function Placeholder(props: PageProps) {
    const poll = usePoll(() => serviceStatus(props.rpc, name), props.pollS);
    const status = poll.data?.status;
    return (
      <Section title={_(title)}>
        {pick(status, 'state') === 'not-implemented' && <Alert kind="notice">{_('This service is installed but not implemented yet.')}</Alert>}
        <ValueRow title={_('State')}><StateBadge state={pick(status, 'state')} /></ValueRow>
        <ValueRow title={_('Uptime')}>{duration(pick(status, 'uptime'))}</ValueRow>
        <ValueRow title={_('Last error')}>{text(poll.data?.error ?? pick(status, 'last_error'))}</ValueRow>
      </Section>
    );
  };
}
