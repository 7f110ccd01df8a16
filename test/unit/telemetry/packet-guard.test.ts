import mqttPacket, { type Packet } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { PacketGuard, type OversizedPublish } from '../../../src/telemetry/local/packet-guard.js';

function run(packets: Packet[], maxPacketBytes: number, chunkBytes: number) {
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  const parsed: Packet[] = [];
  const oversized: OversizedPublish[] = [];
  const errors: string[] = [];
  parser.on('packet', (packet: Packet) => parsed.push(packet));
  const guard = new PacketGuard({ maxPacketBytes, forward: (chunk) => parser.parse(chunk), onOversized: (p) => oversized.push(p), onError: (m) => errors.push(m) });
  const stream = Buffer.concat(packets.map((packet) => mqttPacket.generate(packet)));
  for (let at = 0; at < stream.length; at += chunkBytes) guard.push(stream.subarray(at, at + chunkBytes));
  return { parsed, oversized, errors, guard };
}

const publish = (topic: string, bytes: number, messageId: number): Packet => ({ cmd: 'publish', topic, payload: Buffer.alloc(bytes, 0x61), qos: 1, messageId, retain: false, dup: false });

describe('PacketGuard', () => {
  for (const [chunkBytes, bigBytes] of [[1, 100_000], [7, 20 * 1024 * 1024], [1500, 20 * 1024 * 1024], [1 << 20, 20 * 1024 * 1024]] as const) {
    it(`passes small packets, skips a ${bigBytes}-byte PUBLISH holding at most its head (chunks of ${chunkBytes} bytes)`, () => {
      const big = 'telemetry/r/d/big';
      const packets = [publish('telemetry/r/d/a', 100, 1), publish(big, bigBytes, 2), { cmd: 'pingresp' } as Packet, publish('telemetry/r/d/b', 2000, 3)];
      const { parsed, oversized, errors, guard } = run(packets, 4096, chunkBytes);
      expect(errors).toEqual([]);
      expect(parsed.map((p) => p.cmd)).toEqual(['publish', 'pingresp', 'publish']);
      expect(parsed.map((p) => (p as { messageId?: number }).messageId)).toEqual([1, undefined, 3]);
      expect(oversized).toHaveLength(1);
      expect(oversized[0]).toMatchObject({ topic: big, qos: 1, messageId: 2, packetBytes: bigBytes + 2 + big.length + 2 });
      expect(oversized[0]!.head).toEqual(Buffer.alloc(1024, 0x61));
      expect(guard.heldMax).toBeLessThanOrEqual(2 + big.length + 2 + 1024);
    });
  }

  it('an oversized packet that is not a PUBLISH is a protocol error', () => {
    const { errors } = run([{ cmd: 'suback', messageId: 1, granted: Array.from({ length: 5000 }, () => 1) } as Packet], 4096, 100);
    expect(errors).toEqual(['packet of 5002 bytes exceeds 4096']);
  });
});
