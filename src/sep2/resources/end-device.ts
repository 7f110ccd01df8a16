import type { EndDeviceRecord } from '../devices.js';
import { leaf, link, type XmlElement } from '../xml/element.js';
import type { Page } from './list-query.js';

export function endDeviceHref(device: EndDeviceRecord): string {
  return `/edev/${device.index}`;
}

export function endDevice(device: EndDeviceRecord): XmlElement {
  const href = endDeviceHref(device);
  return {
    name: 'EndDevice',
    attributes: { href, subscribable: 0 },
    children: [
      leaf('lFDI', device.lfdi),
      leaf('sFDI', device.sfdi),
      leaf('changedTime', device.changedTime),
      leaf('enabled', device.enabled),
      device.pin !== undefined ? link('RegistrationLink', `${href}/rg`) : undefined,
    ],
  };
}

export function endDeviceList(page: Page<EndDeviceRecord>, pollRate: number): XmlElement {
  return {
    name: 'EndDeviceList',
    attributes: { href: '/edev', subscribable: 0, all: page.all, results: page.items.length, pollRate },
    children: page.items.map(endDevice),
  };
}

/** `/edev/<n>/rg`: the PIN the client checks against the one it was given out of band. */
export function registration(device: EndDeviceRecord, pin: number, pollRate: number): XmlElement {
  return {
    name: 'Registration',
    attributes: { href: `${endDeviceHref(device)}/rg`, pollRate },
    children: [leaf('dateTimeRegistered', device.changedTime), leaf('pIN', pin)],
  };
}
