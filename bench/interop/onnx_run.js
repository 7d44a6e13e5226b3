// Runs an ONNX model in ONNX Runtime (onnxruntime-node) on a raw
// little-endian float32 (or int64: token ids) input and writes the first
// output as raw little-endian float32.
//
//   node onnx_run.js model.onnx input.bin N,C,H,W output.f32 [float32|int64 [lengths.i64]]
//
// With lengths.i64 (raw little-endian int64, one per batch entry) the
// model's second input, "lengths", is fed from it.
//
// Prints the output's dims as JSON on stdout. Used by onnx_check.sh through
// the opt-in Go test TestONNXRuntime (onnx/ort_test.go); onnxruntime-node is
// found through NODE_PATH.
const fs = require('fs');
const ort = require('onnxruntime-node');

async function main() {
  const [model, input, shape, output, dtype = 'float32', lengths] = process.argv.slice(2);
  if (!output || (dtype !== 'float32' && dtype !== 'int64')) {
    console.error('usage: node onnx_run.js model.onnx input.bin N,C,H,W output.f32 [float32|int64]');
    process.exit(2);
  }
  const dims = shape.split(',').map(Number);
  const buf = fs.readFileSync(input);
  const copy = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length); // aligned
  const data = dtype === 'int64' ? new BigInt64Array(copy) : new Float32Array(copy);
  const session = await ort.InferenceSession.create(model);
  const feeds = {};
  feeds[session.inputNames[0]] = new ort.Tensor(dtype, data, dims);
  if (lengths) {
    const lb = fs.readFileSync(lengths);
    const lc = lb.buffer.slice(lb.byteOffset, lb.byteOffset + lb.length);
    feeds.lengths = new ort.Tensor('int64', new BigInt64Array(lc), [dims[0]]);
  }
  const results = await session.run(feeds);
  const y = results[session.outputNames[0]];
  fs.writeFileSync(output, Buffer.from(y.data.buffer, y.data.byteOffset, y.data.byteLength));
  console.log(JSON.stringify({ output: session.outputNames[0], dims: y.dims, ort: ort.env.versions }));
}

main().catch((e) => { console.error(e.message || e); process.exit(1); });
