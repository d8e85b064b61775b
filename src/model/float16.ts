// An fp16 export's logits as float32. ONNX Runtime hands float16 data over as a Float16Array where the
// platform has one (recent browsers), else as the raw IEEE 754 binary16 bits in a Uint16Array (Node 20).

/** Each half widened to float32: exact, as every binary16 value is a binary32 value. */
export function widenHalves(halves: Uint16Array | ArrayLike<number>): Float32Array {
  if (!(halves instanceof Uint16Array)) return Float32Array.from(halves);
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) out[i] = halfToFloat(halves[i]);
  return out;
}

/** One binary16 bit pattern as a number: sign, 5 exponent bits (bias 15), 10 fraction bits. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // subnormal (and zero)
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
