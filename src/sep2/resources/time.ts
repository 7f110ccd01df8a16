import type { ClockReading } from '../clock.js';
import { leaf, type XmlElement } from '../xml/element.js';

/** `/tm`: every required field in the schema's order; localTime = currentTime + tzOffset (+ dstOffset in DST). */
export function timeResource(clock: ClockReading, pollRate: number): XmlElement {
  const { now, zone } = clock;
  const southern = zone.dstStartTime > zone.dstEndTime;
  const inDst = zone.dstOffset !== 0 && (southern
    ? now >= zone.dstStartTime || now < zone.dstEndTime
    : now >= zone.dstStartTime && now < zone.dstEndTime);
  return {
    name: 'Time',
    attributes: { href: '/tm', pollRate },
    children: [
      leaf('currentTime', now),
      leaf('dstEndTime', zone.dstEndTime),
      leaf('dstOffset', zone.dstOffset),
      leaf('dstStartTime', zone.dstStartTime),
      leaf('localTime', now + zone.tzOffset + (inDst ? zone.dstOffset : 0)),
      leaf('quality', clock.quality),
      leaf('tzOffset', zone.tzOffset),
    ],
  };
}
