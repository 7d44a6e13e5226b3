#!/bin/sh
# Accuracy parity of `duboko train --task sst` with its PyTorch twin
# (bench/sst/torch_sst.py): for each model and each seed 1..SEEDS, trains
# duboko, then PyTorch (alternating, so that load changes hit both), on the
# same vocabulary (torch_sst.py refuses to train unless its vocabulary's
# fingerprint is the one in duboko's metrics file), and prints one row per
# run and each framework's mean ± sample standard deviation of the test
# accuracy, with the mean training-epoch time of each and their ratio.
#
# Usage (from the repository root):
#   [THREADS=1] [NICE=10] [KEEP=dir] bench/sst/run.sh [SEEDS [EPOCHS [LR [MODELS]]]]
# SEEDS is a count N (seeds 1..N) or a list ("2 3"). Defaults: 3 seeds, and the job's defaults for EPOCHS and LR (read from
# `duboko train --task sst -h`), MODELS "baseline gru".
# THREADS (default 1) sets GOMAXPROCS and torch.set_num_threads alike; NICE
# (default 10) the niceness of every run. KEEP keeps the logs and metrics
# there (default: a temporary folder, removed at the end); a run whose
# results are already in KEEP is not repeated (each framework's apart), so
# an interrupted table can be completed, built over several calls, or one
# framework's side rerun after deleting its logs. MAX_TRAIN=n trains
# both on the first n training sentences only (a quick check of the script).
set -e
seeds=${1:-3}
case "$seeds" in *[!0-9]*) ;; *) seeds=$(seq -s ' ' 1 "$seeds") ;; esac
epochs=${2:-}
lr=${3:-}
models=${4:-baseline gru}
threads=${THREADS:-1}
nice=${NICE:-10}
maxtrain=${MAX_TRAIN:-0}
py=/usr/bin/python3
# glibc would mmap and unmap PyTorch's dense embedding gradient (14,806 × 300
# floats, 17.8 MB) at every step; raising its thresholds keeps the memory in
# the heap, which cut PyTorch's CPU time by ~40 % here (see BENCHMARKS.md).
export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824

work=${KEEP:-$(mktemp -d)}
mkdir -p "$work"
bin="$work/duboko"
go build -o "$bin" ./cmd/duboko
help=$("$bin" train --task sst -h 2>&1 || true)
[ -n "$epochs" ] || epochs=$(echo "$help" | sed -n '/^ *-epochs int/,/(default/s/.*(default \([^)]*\)).*/\1/p')
[ -n "$lr" ] || lr=$(echo "$help" | sed -n '/^ *-lr float/,/(default/s/.*(default \([^)]*\)).*/\1/p')
[ -n "$epochs" ] && [ -n "$lr" ] || { echo "run.sh: could not read the default epochs/lr from the job's help; give them" >&2; exit 2; }

echo "# sst parity: models $models, seeds $seeds, $epochs epochs, adam lr $lr, $threads thread(s), nice $nice"
echo "# $("$bin" --version | tr '\n' ' ')"
echo "# $($py -c 'import torch; print("torch", torch.__version__)'), started $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
for model in $models; do
	for seed in $seeds; do
		m="$work/duboko-$model-$seed.jsonl"
		if grep -q '"final":true' "$m" 2>/dev/null; then
			echo "$model seed $seed: duboko's run kept from $work"
		else
			GOMAXPROCS=$threads nice -n "$nice" /usr/bin/time -o "$work/duboko-$model-$seed.cpu" -f "%U %S %e" "$bin" train --task sst --model "$model" --epochs "$epochs" --lr "$lr" \
				--seed "$seed" --max-train "$maxtrain" --out "" --metrics "$m" >"$work/duboko-$model-$seed.log" 2>&1 ||
				{ echo "duboko $model seed $seed failed:" >&2; tail -3 "$work/duboko-$model-$seed.log" >&2; exit 1; }
		fi
		if grep -q '"test_accuracy"' "$work/torch-$model-$seed.log" 2>/dev/null; then
			echo "$model seed $seed: PyTorch's run kept from $work"
		else
			vocab=$($py -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1])["vocab"])' "$m")
			OMP_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads nice -n "$nice" \
				/usr/bin/time -o "$work/torch-$model-$seed.cpu" -f "%U %S %e" $py bench/sst/torch_sst.py --model "$model" \
				--epochs "$epochs" --lr "$lr" --seed "$seed" --max-train "$maxtrain" --threads "$threads" --vocab-fingerprint "$vocab" \
				>"$work/torch-$model-$seed.log" 2>&1 ||
				{ echo "torch $model seed $seed failed:" >&2; tail -3 "$work/torch-$model-$seed.log" >&2; exit 1; }
		fi
		$py - "$work" "$model" "$seed" <<'EOF'
import json, sys
w, model, seed = sys.argv[1:]
d = [json.loads(l) for l in open(f"{w}/duboko-{model}-{seed}.jsonl").read().splitlines()]
t = json.loads(open(f"{w}/torch-{model}-{seed}.log").read().splitlines()[-1])
ds = [e["seconds"] for e in d if not e.get("final")]
dc, tc = (sum(map(float, open(f"{w}/{f}-{model}-{seed}.cpu").read().split()[:2])) for f in ("duboko", "torch"))
print(f"{model:8s} seed {seed}: duboko {100 * d[-1]['test_accuracy']:.2f}%  torch {100 * t['test_accuracy']:.2f}%   "
      f"epoch s: duboko {sum(ds) / len(ds):.1f}  torch {sum(t['epoch_seconds']) / len(t['epoch_seconds']):.1f}   "
      f"run CPU s: duboko {dc:.1f}  torch {tc:.1f}", flush=True)
EOF
	done
done
echo "# finished $(date -u '+%H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
$py - "$work" "$seeds" $models <<'EOF'
import json, statistics, sys
work, seeds, models = sys.argv[1], [int(s) for s in sys.argv[2].split()], sys.argv[3:]
def cpu(f):
    return sum(map(float, open(f).read().split()[:2]))  # user + system seconds of the whole run
def ms(xs):
    return f"{statistics.mean(xs):.2f} ± {statistics.stdev(xs) if len(xs) > 1 else 0:.2f}"
print("\n| model | seed | duboko test acc % | PyTorch test acc % | duboko s/epoch | PyTorch s/epoch | duboko run CPU s | PyTorch run CPU s |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
summary = []
for model in models:
    da, ta, dt, tt, dc, tc = [], [], [], [], [], []
    for s in seeds:
        d = [json.loads(l) for l in open(f"{work}/duboko-{model}-{s}.jsonl").read().splitlines()]
        t = json.loads(open(f"{work}/torch-{model}-{s}.log").read().splitlines()[-1])
        da.append(100 * d[-1]["test_accuracy"]); ta.append(100 * t["test_accuracy"])
        dt += [e["seconds"] for e in d if not e.get("final")]; tt += t["epoch_seconds"]
        dc.append(cpu(f"{work}/duboko-{model}-{s}.cpu")); tc.append(cpu(f"{work}/torch-{model}-{s}.cpu"))
        print(f"| {model} | {s} | {da[-1]:.2f} | {ta[-1]:.2f} | {statistics.mean(dt[-len(t['epoch_seconds']):]):.1f} | "
              f"{statistics.mean(t['epoch_seconds']):.1f} | {dc[-1]:.1f} | {tc[-1]:.1f} |")
    summary.append((model, da, ta, dt, tt, dc, tc))
print("\n| model | duboko mean ± sd | PyTorch mean ± sd | difference (points) | epoch wall time PyTorch / duboko | run CPU time PyTorch / duboko |")
print("|---|---:|---:|---:|---:|---:|")
for model, da, ta, dt, tt, dc, tc in summary:
    print(f"| {model} | {ms(da)} | {ms(ta)} | {statistics.mean(da) - statistics.mean(ta):+.2f} | "
          f"{statistics.mean(tt) / statistics.mean(dt):.2f} ({statistics.mean(tt):.1f} / {statistics.mean(dt):.1f} s) | "
          f"{sum(tc) / sum(dc):.2f} ({statistics.mean(tc):.1f} / {statistics.mean(dc):.1f} s) |")
EOF
[ -n "$KEEP" ] || rm -rf "$work"
