#!/usr/bin/env bash
# Side-by-side MNIST throughput: duboko (main.go) and PyTorch (torch_mnist.py)
# on the same machine, alternating REPS times; prints every run, the best of
# each with their ratio, and the median ratio of the alternating pairs.
# Needs Debian's python3-torch and the OpenMP OpenBLAS
# (apt-get install -y python3-torch libopenblas0-openmp).
#
#   bench/mnist/run.sh            # CNN and MLP, 3 repetitions
#   REPS=5 STEPS=300 EVAL=50 bench/mnist/run.sh
#
# STEPS is the CNN's training steps per run (the MLP's is 10×); EVAL is the
# inference batches of 1,000 per run (default 20 for the CNN, 100 for the
# MLP, whose batches take a few milliseconds).
set -euo pipefail
cd "$(dirname "$0")/../.."
REPS=${REPS:-3}
STEPS=${STEPS:-200}
EVAL=${EVAL:-}
export LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2
go build -o /tmp/duboko-bench-mnist ./bench/mnist
best() { sort -n | tail -1; }
median() { sort -g | awk '{v[NR]=$1} END{print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
for model in cnn mlp; do
  steps=$STEPS; [ "$model" = mlp ] && steps=$((STEPS * 10))
  eval_steps=${EVAL:-20}; [ "$model" = mlp ] && eval_steps=${EVAL:-100}
  : > /tmp/bench-d.txt; : > /tmp/bench-t.txt
  for r in $(seq "$REPS"); do
    d=$(/tmp/duboko-bench-mnist -model "$model" -steps "$steps" -eval-steps "$eval_steps"); echo "$d"
    t=$(/usr/bin/python3 bench/mnist/torch_mnist.py --model "$model" --steps "$steps" --eval-steps "$eval_steps"); echo "$t"
    echo "$d" | awk '{print $4, $6}' >> /tmp/bench-d.txt
    echo "$t" | awk '{print $4, $6}' >> /tmp/bench-t.txt
  done
  dt=$(awk '{print $1}' /tmp/bench-d.txt | best); di=$(awk '{print $2}' /tmp/bench-d.txt | best)
  tt=$(awk '{print $1}' /tmp/bench-t.txt | best); ti=$(awk '{print $2}' /tmp/bench-t.txt | best)
  printf '%s best of %d: train duboko %s img/s, torch %s img/s, ratio %.2f; inference duboko %s, torch %s, ratio %.2f\n' \
    "$model" "$REPS" "$dt" "$tt" "$(echo "$dt / $tt" | bc -l)" "$di" "$ti" "$(echo "$di / $ti" | bc -l)"
  # Each duboko run is paired with the torch run right after it; the
  # median of the pairs' ratios is less sensitive to one lucky run.
  paste /tmp/bench-d.txt /tmp/bench-t.txt | awk '{print $1/$3, $2/$4}' > /tmp/bench-r.txt
  mt=$(awk '{print $1}' /tmp/bench-r.txt | median); mi=$(awk '{print $2}' /tmp/bench-r.txt | median)
  printf '%s median paired ratio: train %.2f, inference %.2f\n' "$model" "$mt" "$mi"
done
