#!/bin/sh
# Which random draws carry the SST GRU's accuracy difference between duboko and PyTorch?
# Every run below uses duboko's engine (bench/sst/steps), which trains exactly as PyTorch's
# twin does from the same initial weights and batch order (BENCHMARKS.md, "a controlled
# comparison"), and differs only in where the draws come from:
#
#   order      for seeds S: each framework's initialisation crossed with each framework's batch
#              order, and duboko's initialisation with duboko's order of seed S+100;
#   groups     for seeds S: PyTorch's initialisation and duboko's order, with one parameter group
#              (embedding, rnn, fc) taken from duboko's initialisation of the same seed;
#   embedding  for seeds S: PyTorch's initialisation and duboko's order, with the embedding drawn
#              for seed S+10 by duboko, then by PyTorch.
#
# Usage (from the repository root): [DIR=/tmp/sst-draws] bench/sst/draws.sh order|groups|embedding [SEEDS]
# SEEDS defaults to "1 2 3 4 5"; each run is 2 epochs of the GRU at Adam 1e-3, one thread,
# and prints its validation and test accuracy. Finished runs in DIR are not repeated.
set -e
what=${1:?usage: $0 order|groups|embedding [SEEDS]}
seeds=${2:-1 2 3 4 5}
dir=${DIR:-/tmp/sst-draws}
py=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir"
go build -o "$dir/steps" ./bench/sst/steps
cd "$dir"

dinit() { # duboko's initialisation of seed $1 (and its order), without training
	[ -f "d$1/init.safetensors" ] || GOMAXPROCS=1 ./steps -model gru -seed "$1" -steps 1 -save "" -dir "d$1" >/dev/null
}
tinit() { [ -f "t$1.safetensors" ] || $py "$here/torch_steps.py" --save-init "t$1.safetensors" --model gru --seed "$1" >/dev/null 2>&1; }
torder() { [ -f "t$1-order.json" ] || $py "$here/torch_steps.py" --save-order "t$1-order.json" --seed "$1" --epochs 2 >/dev/null 2>&1; }
run() { # run NAME SEED [steps flags]: train 2 epochs, print the accuracies
	name=$1 seed=$2
	shift 2
	[ -f "$name/duboko.json" ] && grep -q test_accuracy "$name/duboko.json" ||
		GOMAXPROCS=1 ./steps -model gru -seed "$seed" -steps 0 -epochs 2 -save "" -eval -dir "$name" "$@" >/dev/null
	$py -c 'import json,sys; r=json.load(open(sys.argv[1])); print("%-40s val %.2f %%  test %.2f %%" % (sys.argv[2], 100*r["val_accuracy"], 100*r["test_accuracy"]))' "$name/duboko.json" "$name"
}

for s in $seeds; do
	case "$what" in
	order)
		tinit "$s"; torder "$s"; dinit $((s + 100))
		run "seed$s-torchinit-torchorder" "$s" -init "t$s.safetensors" -order "t$s-order.json"
		run "seed$s-torchinit-dubokoorder" "$s" -init "t$s.safetensors"
		run "seed$s-dubokoinit-torchorder" "$s" -order "t$s-order.json"
		run "seed$s-dubokoinit-dubokoorder$((s + 100))" "$s" -order "d$((s + 100))/order.json"
		run "seed$s-dubokoinit-dubokoorder" "$s"
		;;
	groups)
		tinit "$s"; dinit "$s"
		for g in embedding rnn fc; do
			$py "$here/swap_init.py" "t$s.safetensors" "d$s/init.safetensors" "t$s-$g.safetensors" "$g" 2>/dev/null
			run "seed$s-torchinit-duboko-$g" "$s" -init "t$s-$g.safetensors"
		done
		;;
	embedding)
		o=$((s + 10))
		tinit "$s"; tinit "$o"; dinit "$o"
		$py "$here/swap_init.py" "t$s.safetensors" "d$o/init.safetensors" "t$s-emb-d$o.safetensors" embedding 2>/dev/null
		$py "$here/swap_init.py" "t$s.safetensors" "t$o.safetensors" "t$s-emb-t$o.safetensors" embedding 2>/dev/null
		run "seed$s-torchinit-embedding-duboko$o" "$s" -init "t$s-emb-d$o.safetensors"
		run "seed$s-torchinit-embedding-torch$o" "$s" -init "t$s-emb-t$o.safetensors"
		;;
	*)
		echo "usage: $0 order|groups|embedding [SEEDS]" >&2
		exit 2
		;;
	esac
done
