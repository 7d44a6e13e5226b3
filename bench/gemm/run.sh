#!/bin/sh
# Compare duboko's Sgemm with PyTorch's torch.mm (Debian python3-torch on
# OpenMP OpenBLAS) on the same shapes, interleaved in one run.
# Usage, from anywhere: bench/gemm/run.sh [-rounds N] [-threads T] [-shapes square,mnist] [-mintime 100ms] [-paths avx2,avx512]
# Every kernel path the CPU has is timed (paths alternate shape by shape;
# DUBOKO_CPU or -paths narrows them); the header names CPU and paths.
# Each side keeps its best repetition over all rounds, so more rounds
# ride out load from other processes on a shared machine.
set -e
cd "$(dirname "$0")/../.."
THREADS=2
prev=""
for arg in "$@"; do
	[ "$prev" = "-threads" ] && THREADS=$arg
	prev=$arg
done
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, $(go version), $THREADS threads"
export LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp
export OPENBLAS_NUM_THREADS=$THREADS OMP_NUM_THREADS=$THREADS
exec go run ./bench/gemm "$@"
