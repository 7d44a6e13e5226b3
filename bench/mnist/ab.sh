#!/usr/bin/env bash
# A/B of two commits' MNIST throughput on the same machine: builds bench/mnist
# at BASE (default: the previous commit) and at the working tree, then runs
# them alternately REPS times, the new one on the AVX2 path (DUBOKO_CPU=avx2)
# and on its best path, printing train and inference img/s per run and the
# median ratio to BASE per column.
#
#   BASE=14e753b REPS=5 bench/mnist/ab.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BASE=${BASE:-HEAD~1}
REPS=${REPS:-5}
STEPS=${STEPS:-150}
tmp=$(mktemp -d)
trap 'git worktree remove --force "$tmp/base" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
git worktree add -q "$tmp/base" "$BASE"
(cd "$tmp/base" && go build -o "$tmp/mnist-base" ./bench/mnist)
go build -o "$tmp/mnist-new" ./bench/mnist
median() { sort -g | awk '{v[NR]=$1} END{print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
for model in cnn mlp; do
  steps=$STEPS; [ "$model" = mlp ] && steps=$((STEPS * 10))
  : > "$tmp/r.txt"
  for r in $(seq "$REPS"); do
    b=$("$tmp/mnist-base" -model "$model" -steps "$steps" 2>/dev/null | awk '{print $4, $6}')
    n=$(DUBOKO_CPU=avx2 "$tmp/mnist-new" -model "$model" -steps "$steps" 2>/dev/null | awk '{print $4, $6}')
    x=$("$tmp/mnist-new" -model "$model" -steps "$steps" 2>/dev/null | awk '{print $4, $6}')
    echo "$model base: $b  new-avx2: $n  new-best: $x"
    echo "$b $n $x" | awk '{print $3/$1, $4/$2, $5/$1, $6/$2}' >> "$tmp/r.txt"
  done
  printf '%s medians of ratios to base: avx2 train %s infer %s; best path train %s infer %s\n' "$model" \
    "$(awk '{print $1}' "$tmp/r.txt" | median)" "$(awk '{print $2}' "$tmp/r.txt" | median)" \
    "$(awk '{print $3}' "$tmp/r.txt" | median)" "$(awk '{print $4}' "$tmp/r.txt" | median)"
done
