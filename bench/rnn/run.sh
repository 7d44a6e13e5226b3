#!/bin/sh
# Interleaved forward+backward timings of duboko's LSTM/GRU and
# torch.nn.LSTM/GRU (THREADS threads each, default 2) on the shapes of issue 11.
# Usage: [THREADS=n] [SHAPES="..."] bench/rnn/run.sh [rounds [iterations]]   (from the repository root)
# THREADS (default 2) sets GOMAXPROCS and torch.set_num_threads alike.
# Each round times `iterations` passes of each library and keeps the best
# one (the least disturbed by other load), both in wall time and in CPU time
# (user + system of the process, all threads: a loaded shared machine
# disturbs it far less, but it counts spinning threads as work); the
# machine is shared, so compare the ratios within each round.
set -e
rounds=${1:-3}
iters=${2:-5}
threads=${THREADS:-2}
shapes=${SHAPES:-"LSTM_T50_B32_I300_H150_L2 GRU_T50_B32_I300_H150_L2 LSTM_T100_B64_I256_H512_L1 GRU_T100_B64_I256_H512_L1"}
export LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp
bin=$(mktemp /tmp/duboko_nn_bench.XXXXXX)
trap 'rm -f "$bin"' EXIT
go test -c -o "$bin" ./nn
for name in $shapes; do
	r=1
	while [ "$r" -le "$rounds" ]; do
		go_ms=$(cd nn && GOMAXPROCS=$threads "$bin" -test.run XXX -test.bench "^Benchmark${name}\$" -test.benchtime 1x -test.count "$iters" |
			awk '/ns\/op/ { v = $3 / 1e6; c = $5; if (best == "" || v < best) best = v; if (cbest == "" || c < cbest) cbest = c } END { printf "%.2f %.2f", best, cbest }')
		torch_ms=$(/usr/bin/python3 bench/rnn/torch_rnn.py "$threads" "$name" "$iters" | awk '{ print $2, $4 }')
		echo "$go_ms $torch_ms" | awk -v n="$name" -v r="$r" '{ printf "%s round %s: wall duboko %.1f ms, torch %.1f ms, speed-up %.2f; cpu duboko %.1f ms, torch %.1f ms, speed-up %.2f\n", n, r, $1, $3, $3 / $1, $2, $4, $4 / $2 }'
		r=$((r + 1))
	done
done
