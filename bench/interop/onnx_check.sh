#!/bin/sh
# Checks duboko's ONNX export with the real runtime: installs ONNX Runtime's
# Node.js package (CPU binaries included) into bench/interop/.ort (ignored by
# git), exports, with fresh random weights, every named model (MNIST cnn and
# mlp), the four sentiment models (sst-baseline, -rnn, -gru, -lstm: Int64
# token ids in), the VAE (reconstruction, encoder, decoder), a BatchNorm /
# pooling / activation mix, a small ConvTranspose generator, recurrent layers
# in other configurations (bidirectional LSTM, time-first GRU + ReLU RNN,
# sigmoid RNN with initial states) and a traced function of the other ops,
# runs each in ONNX Runtime on the same input as duboko (batch 5; the export
# traced batch 2) and compares outputs (float32, relative 1e-4 of the largest
# output). Then, where Debian's python3-onnx is installed,
# onnx.checker.check_model(full_check=True) validates each file. .ci/run runs
# it when node and npm are present.
#
#   sh bench/interop/onnx_check.sh            # from the repository root
#
# Needs node and npm (apt-get install nodejs npm) and network access for the
# first install.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
ort="$root/bench/interop/.ort"
out="$ort/models"
command -v node >/dev/null || { echo "onnx_check: node is not installed (apt-get install nodejs npm)" >&2; exit 1; }
if [ ! -f "$ort/node_modules/onnxruntime-node/package.json" ]; then
	mkdir -p "$ort"
	(cd "$ort" && ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --silent onnxruntime-node >&2)
fi
echo "node $(node --version), onnxruntime-node $(node -p "require('$ort/node_modules/onnxruntime-node/package.json').version")"
cd "$root"
status=0
DUBOKO_ONNXRUNTIME="$ort/node_modules" DUBOKO_ONNX_OUT="$out" \
	go test ./onnx -run '^TestONNXRuntime$' -count=1 -v >"$ort/test.log" 2>&1 || status=$?
grep -vE '^(=== RUN|=== PAUSE|=== CONT)' "$ort/test.log"
[ "$status" -eq 0 ] || { echo "onnx_check: ONNX Runtime comparison failed" >&2; exit "$status"; }
# Python is run from the output folder: the repository's onnx/ folder would
# shadow the onnx package.
cd "$out"
py=${PYTHON:-/usr/bin/python3} # Debian's python3-onnx lives there
if "$py" -c 'import onnx; onnx.checker' 2>/dev/null; then
	"$py" - ./*.onnx <<'PY'
import sys
import onnx
for path in sys.argv[1:]:
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    print("onnx %s checker: %s ok (opset %d, IR %d, %d nodes)" % (onnx.__version__, path.rsplit("/", 1)[-1],
          m.opset_import[0].version, m.ir_version, len(m.graph.node)))
PY
else
	echo "python3-onnx not installed: skipping onnx.checker (apt-get install python3-onnx)"
fi
