import { link, type XmlElement } from '../xml/element.js';

export interface DeviceCapabilityView {
  pollRate: number;
  endDevices: number;
  usagePoints: number;
  mirrors: number;
  /** The requesting client's own EndDevice, when it has one. */
  selfDeviceHref: string | undefined;
}

/** `/dcap`: links in the schema's order (FunctionSetAssignmentsBase links, then EndDevice, mirror, self). */
export function deviceCapability(view: DeviceCapabilityView): XmlElement {
  return {
    name: 'DeviceCapability',
    attributes: { href: '/dcap', pollRate: view.pollRate },
    children: [
      link('TimeLink', '/tm'),
      link('UsagePointListLink', '/upt', view.usagePoints),
      link('EndDeviceListLink', '/edev', view.endDevices),
      link('MirrorUsagePointListLink', '/mup', view.mirrors),
      view.selfDeviceHref ? link('SelfDeviceLink', view.selfDeviceHref) : undefined,
    ],
  };
}
