/** Parser for the IDX format MNIST ships in: magic (0, 0, type, rank), big-endian dims, data. */
export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

const UBYTE = 0x08;

export function parseIdx(bytes: Uint8Array): IdxArray {
  if (bytes.length < 4) throw new Error('IDX file is too short for its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0) !== 0) throw new Error('not an IDX file: the magic number must start with two zero bytes');
  const type = view.getUint8(2);
  if (type !== UBYTE) throw new Error(`IDX element type 0x${type.toString(16)} is not supported (only unsigned bytes)`);
  const rank = view.getUint8(3);
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) throw new Error('IDX file is too short for its dimensions');
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const size = shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== headerBytes + size) {
    throw new Error(`IDX data holds ${bytes.length - headerBytes} bytes but its shape [${shape.join(', ')}] needs ${size}`);
  }
  return { shape, data: bytes.subarray(headerBytes) };
}
