#!/bin/sh
# Interleaved forward+backward timings of duboko's LSTM/GRU and
# torch.nn.LSTM/GRU (THREADS threads each, default 2) on the shapes of issue 11.
# Usage: [THREADS=n] bench/rnn/run.sh [rounds [iterations]]   (from the repository root)
# THREADS (default 2) sets GOMAXPROCS and torch.set_num_threads alike.
# Each round times `iterations` passes of each library and keeps the best
# one (the least disturbed by other load); the machine is shared, so compare
# the ratio within each round.
set -e
rounds=${1:-3}
iters=${2:-5}
threads=${THREADS:-2}
export LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp
go test -c -o /tmp/duboko_nn_bench.test ./nn
for name in LSTM_T50_B32_I300_H150_L2 GRU_T50_B32_I300_H150_L2 LSTM_T100_B64_I256_H512_L1 GRU_T100_B64_I256_H512_L1; do
	r=1
	while [ "$r" -le "$rounds" ]; do
		go_ms=$(cd nn && GOMAXPROCS=$threads /tmp/duboko_nn_bench.test -test.run XXX -test.bench "^Benchmark${name}\$" -test.benchtime 1x -test.count "$iters" |
			awk '/ns\/op/ { v = $3 / 1e6; if (best == "" || v < best) best = v } END { printf "%.2f", best }')
		torch_ms=$(/usr/bin/python3 bench/rnn/torch_rnn.py "$threads" "$name" "$iters" | awk '{ print $2 }')
		echo "$name round $r: best duboko $go_ms ms, torch $torch_ms ms, speed-up $(echo "$torch_ms $go_ms" | awk '{ printf "%.2f", $1 / $2 }')"
		r=$((r + 1))
	done
done
rm -f /tmp/duboko_nn_bench.test
