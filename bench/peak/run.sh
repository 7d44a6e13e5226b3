#!/bin/sh
# One core's float32 FMA peak beside single-threaded Sgemm at 1024³ (and
# 256³), for each kernel path this CPU has, as % of that path's peak.
# The peak is BenchmarkFMAPeak (register-only loops of independent FMAs,
# internal/kernel/gemm_peak_amd64.s); Sgemm is BenchmarkSgemm1T. Paths
# alternate round by round (DUBOKO_CPU=avx2, then avx512, ...) so that both
# see the same load on a shared machine; the table gives medians.
# Usage, from anywhere: REPS=5 PATHS="avx2 avx512" bench/peak/run.sh
set -e
cd "$(dirname "$0")/../.."
REPS=${REPS:-5}
PATHS=${PATHS:-"avx2 avx512"}
BIN=$(mktemp -d)/kernel.test
go test -c -o "$BIN" ./internal/kernel
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(go version), $REPS rounds"
"$BIN" -test.run '^TestCPUSummary$' -test.v | sed -n 's/^ *cpu_test.go:[0-9]*: /# /p'
OUT=$(mktemp)
r=0
while [ $r -lt "$REPS" ]; do
	for p in $PATHS; do
		DUBOKO_CPU=$p "$BIN" -test.run '^$' -test.bench "^BenchmarkFMAPeak/$p\$|^BenchmarkSgemm1T/(256|1024)\$" -test.benchtime 300ms |
			awk -v p="$p" '/^Benchmark/ { name = $1; sub(/-[0-9]+$/, "", name); sub(/^Benchmark/, "", name); sub(/\/(avx2|avx512)$/, "", name); print p, name, $(NF-1) }' >>"$OUT"
	done
	r=$((r + 1))
done
printf '%-8s %14s %16s %8s %16s %8s\n' path "peak GF/s" "sgemm1024 GF/s" "% peak" "sgemm256 GF/s" "% peak"
for p in $PATHS; do
	med() { grep "^$p $1 " "$OUT" | awk '{print $3}' | sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
	pk=$(med FMAPeak); s1=$(med Sgemm1T/1024); s2=$(med Sgemm1T/256)
	awk -v p="$p" -v pk="$pk" -v s1="$s1" -v s2="$s2" 'BEGIN { printf "%-8s %14.1f %16.1f %7.0f%% %16.1f %7.0f%%\n", p, pk, s1, 100*s1/pk, s2, 100*s2/pk }'
done
rm -f "$OUT" "$BIN"
