#!/bin/sh
# DCGAN: duboko against its PyTorch twin (bench/dcgan/torch_dcgan.py), same recipe.
#
#   bench/dcgan/run.sh quality [EPOCHS [MAX_TRAIN]]   train both, score both with duboko's MNIST classifier
#   bench/dcgan/run.sh speed [ROUNDS]                  one training step at batch 64, alternating duboko and PyTorch (width 32: 28×28 without and with the extra generator block, 32×32),
#                                                      2 threads then 1 (both print CPU time per step beside wall time)
#
# Long runs: nice -n 10, one at a time. Outputs go to $OUT (default /tmp/dcgan-bench).
set -eu
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/dcgan-bench}
PY=/usr/bin/python3
mkdir -p "$OUT"
go run ./cmd/duboko --version | head -3

case "${1:-quality}" in
quality)
	EPOCHS=${2:-5}
	MAX=${3:-0}
	go build -o "$OUT/duboko" ./cmd/duboko
	nice -n 10 "$OUT/duboko" train --task dcgan --epochs "$EPOCHS" --max-train "$MAX" --seed 1 \
		--out "$OUT/go" --metrics "$OUT/go.jsonl"
	go run ./bench/dcgan/samples --checkpoint "$OUT/go/checkpoint.safetensors" --out "$OUT/go_samples.safetensors"
	nice -n 10 $PY bench/dcgan/torch_dcgan.py --train --epochs "$EPOCHS" --max-train "$MAX" --seed 1 --threads 1 \
		--samples "$OUT/torch"
	for f in "$OUT/go_samples.safetensors" "$OUT/torch-epoch$EPOCHS.safetensors"; do
		"$OUT/duboko" score --samples "$f"
	done
	;;
speed)
	ROUNDS=${2:-3}
	export LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp
	go test -c -o "$OUT/generative.test" ./generative/
	i=0
	while [ "$i" -lt "$ROUNDS" ]; do
		for t in 2 1; do
			echo "round $((i + 1)), $t thread(s), load $(cut -d' ' -f1 /proc/loadavg)"
			# The 28×28 layout without and with the extra 7×7 generator block, and the 32×32 layout.
			for l in 28:0 28:1 32:0; do
				size=${l%:*} gx=${l#*:}
				b="DCGANStep64/size${size}_w32\$"
				[ "$gx" = 0 ] || b="DCGANStep64/size${size}_w32_gx$gx\$"
				GOMAXPROCS=$t "$OUT/generative.test" -test.run XXX -test.bench "$b" -test.benchtime 20x | grep Benchmark
				$PY bench/dcgan/torch_dcgan.py --time --steps 20 --size "$size" --width 32 --g-extra "$gx" --threads "$t"
			done
		done
		i=$((i + 1))
	done
	;;
*)
	echo "usage: $0 quality [EPOCHS [MAX_TRAIN]] | speed [ROUNDS]" >&2
	exit 2
	;;
esac
