#!/bin/sh
# PyTorch → duboko: trains the MNIST CNN briefly in PyTorch (torch.save of its
# state dict), converts the state dict to safetensors with
# torch_to_safetensors.py, and checks that `duboko eval` on the converted file
# prints the test accuracy PyTorch computed (to the printed 0.01%); the
# converted file is also read back by torch_eval.py. Then `duboko export`
# writes it as ONNX.
#
#   sh bench/interop/torch_roundtrip.sh [cnn|mlp] [train images]   # from the repository root
#
# Needs Debian's python3-torch (/usr/bin/python3; PYTHON overrides).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
model=${1:-cnn}
n=${2:-12000}
py=${PYTHON:-/usr/bin/python3}
export LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-/usr/lib/x86_64-linux-gnu/openblas-openmp}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
torch_line=$("$py" bench/interop/torch_train_cnn.py "$dir/$model.pt" "$model" "$n")
echo "$torch_line"
"$py" bench/interop/torch_to_safetensors.py "$dir/$model.pt" "$dir/$model.safetensors" --model "$model"
"$py" bench/interop/torch_eval.py "$dir/$model.safetensors" "$model"
go build -o "$dir/duboko" ./cmd/duboko
duboko_line=$("$dir/duboko" eval --checkpoint "$dir/$model.safetensors")
echo "duboko: $duboko_line"
"$dir/duboko" export --checkpoint "$dir/$model.safetensors" --format onnx --out "$dir/$model.onnx"
want=$(echo "$torch_line" | sed -n 's/.*test accuracy \([0-9.]*\)%.*/\1/p')
got=$(echo "$duboko_line" | sed -n 's/.*test accuracy: \([0-9.]*\)%.*/\1/p')
if [ -z "$want" ] || [ "$want" != "$got" ]; then
	echo "torch_roundtrip: duboko's accuracy ${got:-?}% differs from PyTorch's ${want:-?}%" >&2
	exit 1
fi
echo "torch_roundtrip: $model trained in PyTorch evaluates to ${got}% in duboko, as in PyTorch"
