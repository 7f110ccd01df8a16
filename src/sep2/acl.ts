import type { ClientRole } from './config.js';
import type { EndDeviceRecord } from './devices.js';

/** What a client may read and post; `own` means only resources of its own LFDI. */
export interface Permissions {
  endDevices: 'all' | 'own';
  usagePoints: boolean;
  mirrors: 'all' | 'own';
  postMirrors: 'any' | 'own' | 'none';
}

export const ROLE_PERMISSIONS: Readonly<Record<ClientRole, Permissions>> = {
  utility: { endDevices: 'all', usagePoints: true, mirrors: 'all', postMirrors: 'any' },
  customer: { endDevices: 'own', usagePoints: true, mirrors: 'own', postMirrors: 'none' },
  device: { endDevices: 'own', usagePoints: false, mirrors: 'own', postMirrors: 'own' },
};

/** A client that is not listed (registration pending): DeviceCapability, Time and its own EndDevice only. */
export const UNREGISTERED: Permissions = { endDevices: 'own', usagePoints: false, mirrors: 'own', postMirrors: 'none' };

export function permissionsOf(device: EndDeviceRecord): Permissions {
  return device.role && device.enabled ? ROLE_PERMISSIONS[device.role] : UNREGISTERED;
}

export function mayReadDevice(permissions: Permissions, client: EndDeviceRecord, target: EndDeviceRecord): boolean {
  return permissions.endDevices === 'all' || client.lfdi === target.lfdi;
}

export function mayReadMirror(permissions: Permissions, client: EndDeviceRecord, deviceLfdi: string): boolean {
  return permissions.mirrors === 'all' || client.lfdi === deviceLfdi;
}

export function mayPostMirror(permissions: Permissions, client: EndDeviceRecord, deviceLfdi: string): boolean {
  return permissions.postMirrors === 'any' || (permissions.postMirrors === 'own' && client.lfdi === deviceLfdi);
}
