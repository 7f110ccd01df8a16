// The proto's `dataset` option (hex TLVs of an active operational dataset, MeshCoP types from the Thread
// specification) decoded into the REST JSON body of the agent stand-in, which takes no hex TLV bodies.
const CHANNEL = 0, PAN_ID = 1, EXT_PAN_ID = 2, NETWORK_NAME = 3, PSKC = 4, NETWORK_KEY = 5, MESH_LOCAL_PREFIX = 7, ACTIVE_TIMESTAMP = 14;

function prefix(bytes: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 8; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return `${groups.join(':')}::/64`;
}

export function datasetFromTlvs(hex: string): Record<string, unknown> {
  const data = Buffer.from(hex, 'hex');
  const body: Record<string, unknown> = {};
  for (let at = 0; at + 2 <= data.length;) {
    const type = data[at]!, length = data[at + 1]!;
    const value = data.subarray(at + 2, at + 2 + length);
    at += 2 + length;
    if (type === CHANNEL) body.Channel = value.readUInt16BE(1);
    else if (type === PAN_ID) body.PanId = value.readUInt16BE(0);
    else if (type === EXT_PAN_ID) body.ExtPanId = value.toString('hex').toUpperCase();
    else if (type === NETWORK_NAME) body.NetworkName = value.toString('utf8');
    else if (type === PSKC) body.PSKc = value.toString('hex').toUpperCase();
    else if (type === NETWORK_KEY) body.NetworkKey = value.toString('hex').toUpperCase();
    else if (type === MESH_LOCAL_PREFIX) body.MeshLocalPrefix = prefix(value);
    else if (type === ACTIVE_TIMESTAMP) body.ActiveTimestamp = { Seconds: Number(value.readBigUInt64BE(0) >> 16n), Ticks: (value.readUInt16BE(6) >> 1), Authoritative: (value[7]! & 1) === 1 };
  }
  return body;
}

/** The other way, for tests that write the proto's `dataset` option. */
export function tlvsFromDataset(dataset: { channel: number; panId: number; extPanId: string; networkName: string; networkKey: string; meshLocalPrefix: string }): string {
  const tlv = (type: number, value: Buffer): string => Buffer.concat([Buffer.of(type, value.length), value]).toString('hex');
  const u16 = (n: number): Buffer => { const b = Buffer.alloc(2); b.writeUInt16BE(n); return b; };
  const mlp = Buffer.alloc(8);
  dataset.meshLocalPrefix.split('::')[0]!.split(':').forEach((group, i) => mlp.writeUInt16BE(parseInt(group, 16), i * 2));
  const timestamp = Buffer.alloc(8);
  timestamp.writeBigUInt64BE(1n << 16n);
  return [tlv(ACTIVE_TIMESTAMP, timestamp), tlv(CHANNEL, Buffer.concat([Buffer.of(0), u16(dataset.channel)])), tlv(PAN_ID, u16(dataset.panId)), tlv(EXT_PAN_ID, Buffer.from(dataset.extPanId, 'hex')),
    tlv(NETWORK_NAME, Buffer.from(dataset.networkName)), tlv(NETWORK_KEY, Buffer.from(dataset.networkKey, 'hex')), tlv(MESH_LOCAL_PREFIX, mlp)].join('');
}
