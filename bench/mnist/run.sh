#!/usr/bin/env bash
# Side-by-side MNIST throughput: duboko (main.go) and PyTorch (torch_mnist.py)
# on the same machine, alternating REPS times; prints every run and the best
# of each with their ratio. Needs Debian's python3-torch and the OpenMP
# OpenBLAS (apt-get install -y python3-torch libopenblas0-openmp).
#
#   bench/mnist/run.sh            # CNN and MLP, 3 repetitions
#   REPS=5 STEPS=300 bench/mnist/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
REPS=${REPS:-3}
STEPS=${STEPS:-200}
export LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2
go build -o /tmp/duboko-bench-mnist ./bench/mnist
best() { sort -n | tail -1; }
for model in cnn mlp; do
  steps=$STEPS; [ "$model" = mlp ] && steps=$((STEPS * 10))
  : > /tmp/bench-d.txt; : > /tmp/bench-t.txt
  for r in $(seq "$REPS"); do
    d=$(/tmp/duboko-bench-mnist -model "$model" -steps "$steps"); echo "$d"
    t=$(/usr/bin/python3 bench/mnist/torch_mnist.py --model "$model" --steps "$steps"); echo "$t"
    echo "$d" | awk '{print $4, $6}' >> /tmp/bench-d.txt
    echo "$t" | awk '{print $4, $6}' >> /tmp/bench-t.txt
  done
  dt=$(awk '{print $1}' /tmp/bench-d.txt | best); di=$(awk '{print $2}' /tmp/bench-d.txt | best)
  tt=$(awk '{print $1}' /tmp/bench-t.txt | best); ti=$(awk '{print $2}' /tmp/bench-t.txt | best)
  printf '%s best of %d: train duboko %s img/s, torch %s img/s, ratio %.2f; inference duboko %s, torch %s, ratio %.2f\n' \
    "$model" "$REPS" "$dt" "$tt" "$(echo "$dt / $tt" | bc -l)" "$di" "$ti" "$(echo "$di / $ti" | bc -l)"
done
