// Runs an ONNX model in ONNX Runtime (onnxruntime-node) on a raw float32
// input and writes the first output as raw little-endian float32.
//
//   node onnx_run.js model.onnx input.f32 N,C,H,W output.f32
//
// Prints the output's dims as JSON on stdout. Used by onnx_check.sh through
// the opt-in Go test TestONNXRuntime (onnx/ort_test.go); onnxruntime-node is
// found through NODE_PATH.
const fs = require('fs');
const ort = require('onnxruntime-node');

async function main() {
  const [model, input, shape, output] = process.argv.slice(2);
  if (!output) {
    console.error('usage: node onnx_run.js model.onnx input.f32 N,C,H,W output.f32');
    process.exit(2);
  }
  const dims = shape.split(',').map(Number);
  const buf = fs.readFileSync(input);
  const data = new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4);
  const session = await ort.InferenceSession.create(model);
  const feeds = {};
  feeds[session.inputNames[0]] = new ort.Tensor('float32', data, dims);
  const results = await session.run(feeds);
  const y = results[session.outputNames[0]];
  fs.writeFileSync(output, Buffer.from(y.data.buffer, y.data.byteOffset, y.data.byteLength));
  console.log(JSON.stringify({ output: session.outputNames[0], dims: y.dims, ort: ort.env.versions }));
}

main().catch((e) => { console.error(e.message || e); process.exit(1); });
