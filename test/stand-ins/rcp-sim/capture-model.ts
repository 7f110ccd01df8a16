// What the simulated RCP answers, read from the real RCP's captures (../shared/conformance/spinel) so
// the simulator cannot drift from them: the value of every property the host GETs, and whether a SET of
// a property is answered with PROP_VALUE_IS of itself or with LAST_STATUS.
import { readFileSync } from 'node:fs';
import { decodeSpinelFrame, type SpinelFrame } from '../../../src/thread/spinel/frame.js';
import { SPINEL_COMMANDS as C, SPINEL_PROPERTIES as P } from '../../../src/thread/spinel/constants.js';
import { conformancePath } from '../../helpers/conformance.js';

interface Record { dir: string; frame_hex?: string; fcs_ok?: boolean }

export interface CaptureModel {
  /** property -> payload of the RCP's PROP_VALUE_IS reply to a GET. */
  values: Map<number, Buffer>;
  /** Properties whose SET the real RCP answered with LAST_STATUS (the others: IS of the property). */
  setAnsweredByStatus: Set<number>;
  /** Payload of a transmit-done LAST_STATUS for a frame sent without an ACK request. */
  transmitDoneNoAck: Buffer;
  /** The STREAM_DEBUG texts of a framing error, as the RCP split them: prefix, then bytes and `]\n`. */
  framingErrorPrefix: string;
}

function framesOf(file: string): { dir: string; frame: SpinelFrame }[] {
  const records = JSON.parse(readFileSync(conformancePath(file), 'utf8')) as Record[];
  return records
    .filter((r) => r.frame_hex !== undefined && r.fcs_ok && (parseInt(r.frame_hex.slice(0, 2), 16) & 0xc0) === 0x80)
    .map((r) => ({ dir: r.dir, frame: decodeSpinelFrame(Buffer.from(r.frame_hex!, 'hex')) }));
}

function replyTo(frames: { dir: string; frame: SpinelFrame }[], index: number): SpinelFrame | undefined {
  const request = frames[index]!.frame;
  return frames.slice(index + 1).find((f) => f.dir === 'rcp2host' && f.frame.tid === request.tid && f.frame.iid === request.iid)?.frame;
}

export function loadCaptureModel(): CaptureModel {
  const values = new Map<number, Buffer>();
  const setAnsweredByStatus = new Set<number>();
  let transmitDoneNoAck: Buffer | undefined;
  let framingErrorPrefix = '';
  for (const file of ['spinel/probe.json', 'spinel/startup.json', 'spinel/formation.json', 'spinel/host-reset.json']) {
    const frames = framesOf(file);
    frames.forEach(({ dir, frame }, index) => {
      if (dir === 'rcp2host' && frame.property === P.STREAM_DEBUG && !framingErrorPrefix) framingErrorPrefix = Buffer.from(frame.payload).toString();
      if (dir !== 'host2rcp' || frame.tid === 0) return;
      const reply = replyTo(frames, index);
      if (!reply) return;
      if (frame.command === C.PROP_VALUE_GET && reply.property === frame.property && file === 'spinel/probe.json' && !values.has(frame.property!)) {
        values.set(frame.property!, Buffer.from(reply.payload));
      }
      if (frame.command === C.PROP_VALUE_SET && reply.property === P.LAST_STATUS) {
        setAnsweredByStatus.add(frame.property!);
        if (frame.property === P.STREAM_RAW && !transmitDoneNoAck) transmitDoneNoAck = Buffer.from(reply.payload);
      }
    });
  }
  if (!transmitDoneNoAck || !framingErrorPrefix) throw new Error('rcp-sim: the captures lack a transmit-done or a framing-error frame');
  return { values, setAnsweredByStatus, transmitDoneNoAck, framingErrorPrefix };
}
