#!/bin/sh
# Alternating forward+backward timings of two builds of duboko's nn
# benchmarks (test binaries from `go test -c ./nn`, e.g. an old commit and
# the new one), on issue 11's shapes; prints each round's best-of-iterations
# wall and CPU ms for both and the ratio old / new (> 1: new faster).
# Usage: [THREADS=n] [SHAPES="..."] bench/rnn/ab.sh OLD.test NEW.test [rounds [iterations]]
# (from the repository root: the binaries run in nn/).
set -e
old=$1
new=$2
rounds=${3:-3}
iters=${4:-3}
threads=${THREADS:-2}
shapes=${SHAPES:-"LSTM_T50_B32_I300_H150_L2 GRU_T50_B32_I300_H150_L2 LSTM_T100_B64_I256_H512_L1 GRU_T100_B64_I256_H512_L1"}
best() {
	(cd nn && GOMAXPROCS=$threads "$1" -test.run XXX -test.bench "^Benchmark$2\$" -test.benchtime 1x -test.count "$iters" |
		awk '/ns\/op/ { v = $3 / 1e6; c = $5; if (b == "" || v < b) b = v; if (cb == "" || c < cb) cb = c } END { printf "%.2f %.2f", b, cb }')
}
for name in $shapes; do
	r=1
	while [ "$r" -le "$rounds" ]; do
		o=$(best "$old" "$name")
		n=$(best "$new" "$name")
		echo "$o $n" | awk -v s="$name" -v r="$r" '{ printf "%s round %s: wall old %.1f new %.1f ms (%.2f); cpu old %.1f new %.1f ms (%.2f)\n", s, r, $1, $3, $1 / $3, $2, $4, $2 / $4 }'
		r=$((r + 1))
	done
done
