#!/usr/bin/env bash
# Mutation testing of duboko's core packages with gremlins: each mutant (a
# flipped comparison, a changed operator, ...) is applied to a copy of the
# module and the package's tests are run; a mutant the tests do not notice
# "lives". Too slow for test.sh or CI (minutes per package on 2 cores): run
# it before resolving an issue that changes a core package. See TESTING.md.
#
# Usage:
#   tools/mutation.sh                     every core package
#   tools/mutation.sh gradcheck optim     some of them (folders; kernel:purego
#                                         means internal/kernel with -tags purego)
#
# Environment:
#   WORKERS       parallel mutants (default 1: the machine has 2 cores)
#   TIMEOUT_COEF  gremlins' timeout coefficient (default 10: a mutant's tests
#                 may take 10× the clean run before they count as timed out)
#   OUT           folder for the logs and JSON reports (default
#                 $TMPDIR/duboko-mutation)
#   TESTING_MD    file whose table is updated ("" to leave it alone;
#                 default TESTING.md)
#   KERNEL_EXCLUDE  for internal/kernel: a regexp of further files to leave
#                 out (paths relative to the package), to run it in parts
#
# Each package's row in TESTING.md's table is replaced by this run's, with
# the date and commit; rows of packages not run are kept. The survivors
# (LIVED mutants) of each package are listed in $OUT/<name>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

GREMLINS_VERSION=v0.6.0
WORKERS=${WORKERS:-1}
TIMEOUT_COEF=${TIMEOUT_COEF:-10}
OUT=${OUT:-${TMPDIR:-/tmp}/duboko-mutation}
TESTING_MD=${TESTING_MD-TESTING.md}
CORE=(tensor nn optim gradcheck safetensors data train metrics internal/kernel kernel:purego)

gremlins=$(command -v gremlins || true)
if [[ -z $gremlins ]]; then
	gremlins="$(go env GOPATH)/bin/gremlins"
	if [[ ! -x $gremlins ]]; then
		echo "installing gremlins $GREMLINS_VERSION" >&2
		go install "github.com/go-gremlins/gremlins/cmd/gremlins@$GREMLINS_VERSION"
	fi
fi

pkgs=("$@")
[[ ${#pkgs[@]} -gt 0 ]] || pkgs=("${CORE[@]}")
mkdir -p "$OUT"
today=$(date -u +%Y-%m-%d)
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT

for spec in "${pkgs[@]}"; do
	dir=${spec%%:*}
	tags=""
	if [[ $spec == *:* ]]; then
		tags=${spec#*:}
	fi
	[[ $dir == kernel ]] && dir=internal/kernel
	name=$(echo "$dir${tags:+-$tags}" | tr / -)
	args=(unleash --workers "$WORKERS" --timeout-coefficient "$TIMEOUT_COEF" -o "$OUT/$name.json")
	# Not --test-cpu: gremlins v0.6.0 passes it to go test as the single
	# argument "-cpu N", which makes every test run fail, so that every
	# mutant counts as killed. Limit the tests' threads with GOMAXPROCS.
	[[ -n $tags ]] && args+=(--tags "$tags")
	goflags=${GOFLAGS:-}
	row=$dir
	if [[ $dir == internal/kernel ]]; then
		# internal/kernel: the generators under asm/ (no mutable code of
		# the package) and the tests' reference product gemm_naive.go (the
		# oracle) are left out, plus KERNEL_EXCLUDE (a regexp of paths
		# relative to the package, e.g. '^(pool|im2col)\.go$') if set. Its
		# tests run with -short: the exhaustive GEMM sweeps leave out the
		# two largest public products (see TESTING.md), and -failfast stops
		# a killed mutant's run at its first failing test.
		args+=(-E '^asm/' -E '^gemm_naive\.go$')
		if [[ -n ${KERNEL_EXCLUDE:-} ]]; then
			args+=(-E "$KERNEL_EXCLUDE")
			row="$dir (part, KERNEL_EXCLUDE)"
		fi
		goflags="${goflags:+$goflags }-count=1 -vet=off -short -failfast"
	fi
	echo "== $dir ${tags:+(tags $tags)}" >&2
	# gremlins copies the module when this package's run starts: the commit
	# measured is the one checked out now.
	commit=$(git rev-parse --short HEAD)
	[[ -z $(git status --porcelain --untracked-files=no -- "$dir") ]] || commit="$commit+dirty"
	start=$(date +%s)
	GOFLAGS=$goflags "$gremlins" "${args[@]}" "./$dir" >"$OUT/$name.log" 2>&1 || true
	secs=$(($(date +%s) - start))
	grep -E '^ +(LIVED|TIMED OUT|NOT VIABLE)' "$OUT/$name.log" >"$OUT/$name.txt" || true
	awk -v pkg="$row" -v tags="$tags" -v date="$today" -v commit="$commit" -v secs="$secs" '
		/^Killed:/ { gsub(/,/, ""); k = $2; l = $4; nc = $7 }
		/^Timed out:/ { gsub(/,/, ""); to = $3; nv = $6 }
		/^Test efficacy:/ { eff = $3 }
		/^Mutator coverage:/ { cov = $3 }
		END {
			if (eff == "") { printf "| %s | %s | run failed: see the log | | | | | | | %s | %s | %dm%02ds |\n", pkg, tags, date, commit, secs / 60, secs % 60; exit }
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %dm%02ds |\n", pkg, tags, k, l, to, nc, nv, eff, cov, date, commit, secs / 60, secs % 60
		}' "$OUT/$name.log" | tee -a "$rows" >&2
done

[[ -n $TESTING_MD ]] || exit 0
begin='<!-- mutation table: written by tools/mutation.sh -->'
end='<!-- end of mutation table -->'
if ! grep -qF "$begin" "$TESTING_MD" 2>/dev/null; then
	printf '\n%s\n%s\n' "$begin" "$end" >>"$TESTING_MD"
fi
# Rows of this run replace those of the same package and tags.
old=$(awk -v b="$begin" -v e="$end" '$0 == b { in_ = 1; next } $0 == e { in_ = 0 } in_ && /^\| [a-z]/ && !/^\| package \|/' "$TESTING_MD")
table=$(
	{
		printf '%s\n' "$old" | awk -F'|' '
			function key() { k = $2 "|" $3; gsub(/ /, "", k); return k }
			NR == FNR { seen[key()] = 1; next }
			$0 != "" && !(key() in seen)' "$rows" -
		cat "$rows"
	} | sort -t'|' -k2,2 -k3,3
)
tmp=$(mktemp)
awk -v b="$begin" -v e="$end" -v table="$table" '
	$0 == b { print; print "| package | tags | killed | lived | timed out | not covered | not viable | efficacy | mutant coverage | date | commit | time |"; print "|---|---|---|---|---|---|---|---|---|---|---|---|"; print table; skip = 1; next }
	$0 == e { skip = 0 }
	!skip' "$TESTING_MD" >"$tmp"
mv "$tmp" "$TESTING_MD"
echo "updated $TESTING_MD" >&2
