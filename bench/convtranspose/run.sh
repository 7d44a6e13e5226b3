#!/usr/bin/env bash
# Side-by-side ConvTranspose2d timing on DCGAN generator shapes (batch 64,
# float32): duboko (main.go) and torch.nn.ConvTranspose2d
# (torch_convt.py), alternating REPS times on the same machine. Prints
# every run, then per shape the median over the alternating pairs of
# torch_ms / duboko_ms (above 1: duboko is faster) for the forward pass and
# for a training step (forward + backward for input, weight and bias).
# Needs Debian's python3-torch and the OpenMP OpenBLAS.
#
#   bench/convtranspose/run.sh            # 5 alternating pairs, 2 threads
#   REPS=9 ITERS=2 BEST=3 THREADS=2 bench/convtranspose/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
REPS=${REPS:-5}
THREADS=${THREADS:-2}
ITERS=${ITERS:-2}   # calls per timed repetition
BEST=${BEST:-3}     # repetitions per run; each program keeps its best
export LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OPENBLAS_NUM_THREADS=$THREADS OMP_NUM_THREADS=$THREADS
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(lscpu | sed -n 's/^Model name: *//p'), $(nproc --all) CPUs, $(go version | cut -d' ' -f3), $THREADS threads, commit $(git rev-parse --short HEAD)"
go build -o /tmp/duboko-bench-convt ./bench/convtranspose
: > /tmp/convt-pairs.txt
for r in $(seq "$REPS"); do
  d=$(/tmp/duboko-bench-convt -threads "$THREADS" -iters "$ITERS" -reps "$BEST")
  t=$(/usr/bin/python3 bench/convtranspose/torch_convt.py --threads "$THREADS" --iters "$ITERS" --reps "$BEST" 2>/dev/null)
  echo "$d" | sed 's/^/duboko /'
  echo "$t" | sed 's/^/torch  /'
  paste <(echo "$d") <(echo "$t") | awk '{print $1, $5/$2, $6/$3}' >> /tmp/convt-pairs.txt
done
echo "# shape: median torch/duboko time ratio over $REPS pairs (forward, step); >1 = duboko faster"
for s in $(awk '{print $1}' /tmp/convt-pairs.txt | sort -u); do
  f=$(awk -v s="$s" '$1==s {print $2}' /tmp/convt-pairs.txt | sort -g | awk '{v[NR]=$1} END{print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}')
  st=$(awk -v s="$s" '$1==s {print $3}' /tmp/convt-pairs.txt | sort -g | awk '{v[NR]=$1} END{print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}')
  printf '%s forward %.2f step %.2f\n' "$s" "$f" "$st"
done
