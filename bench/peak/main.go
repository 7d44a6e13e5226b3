// Command peak measures one core's float32 FMA peak for each kernel path
// this CPU has (AVX2: 256-bit FMAs, AVX-512: 512-bit) and single-threaded
// Sgemm on that path as a percentage of it.
//
// The peak is a register-only loop of independent FMA chains (no memory
// traffic, kernel.FMAPeakLoop). Both it and Sgemm are timed as many short single
// calls, the paths alternating call by call, so that on a shared machine
// both see the same load; the table gives the best call (what the core
// does when it has the core to itself) and the median.
//
//	go run ./bench/peak [-rounds 60] [-sizes 256,1024]
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/duboko/duboko/internal/kernel"
)

func main() {
	rounds := flag.Int("rounds", 60, "timed calls per path and size")
	sizes := flag.String("sizes", "256,1024", "comma-separated square Sgemm sizes")
	pathList := flag.String("paths", "", "comma-separated kernel paths (default: avx2 up to the path in use)")
	flag.Parse()
	runtime.GOMAXPROCS(1)
	runtime.LockOSThread()
	fmt.Printf("# %s\n# %s, %s, GOMAXPROCS=1, %d calls per cell\n", kernel.CPUSummary(), time.Now().UTC().Format("2006-01-02T15:04Z"), runtime.Version(), *rounds)

	paths := strings.Split(*pathList, ",")
	if *pathList == "" {
		paths = []string{kernel.CPUPath()}
		if kernel.CPUPath() == "avx512" {
			paths = []string{"avx2", "avx512"}
		}
	}
	for _, p := range paths {
		if _, _, ok := kernel.FMAPeakLoop(p); !ok {
			log.Fatalf("no FMA peak loop for path %q", p)
		}
		if err := kernel.SetCPUPath(p); err != nil {
			log.Fatal(err)
		}
	}

	// Peak: calls of 1<<13 iterations (about 30–70 µs), 30 per round.
	peak := make([][]float64, len(paths))
	for r := 0; r < *rounds; r++ {
		for i, p := range paths {
			loop, flops, _ := kernel.FMAPeakLoop(p)
			for range 30 {
				t := time.Now()
				loop(1 << 13)
				peak[i] = append(peak[i], flops*(1<<13)/time.Since(t).Seconds()/1e9)
			}
		}
	}

	var ns []int
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(s)
		if err != nil {
			log.Fatal(err)
		}
		ns = append(ns, n)
	}
	gemm := make([][][]float64, len(ns))
	for si, n := range ns {
		rng := rand.New(rand.NewPCG(1, 2))
		a, b, c := make([]float32, n*n), make([]float32, n*n), make([]float32, n*n)
		for i := range a {
			a[i], b[i] = rng.Float32(), rng.Float32()
		}
		gemm[si] = make([][]float64, len(paths))
		reps := max(1, (1<<27)/(n*n*n)) // calls per timing: at least ~0.1 GFLOP
		for r := 0; r < *rounds; r++ {
			for i, p := range paths {
				kernel.SetCPUPath(p)
				if r == 0 {
					kernel.Sgemm(false, false, n, n, n, 1, a, n, b, n, 0, c, n)
				}
				t := time.Now()
				for range reps {
					kernel.Sgemm(false, false, n, n, n, 1, a, n, b, n, 0, c, n)
				}
				gemm[si][i] = append(gemm[si][i], 2*float64(n*n*n)*float64(reps)/time.Since(t).Seconds()/1e9)
			}
		}
	}

	fmt.Printf("%-8s %-12s %10s %8s %12s %8s\n", "path", "benchmark", "best GF/s", "% peak", "median GF/s", "% peak")
	for i, p := range paths {
		pb, pm := slices.Max(peak[i]), median(peak[i])
		fmt.Printf("%-8s %-12s %10.1f %8s %12.1f %8s\n", p, "FMA peak", pb, "100", pm, "100")
		for si, n := range ns {
			gb, gm := slices.Max(gemm[si][i]), median(gemm[si][i])
			fmt.Printf("%-8s %-12s %10.1f %7.0f%% %12.1f %7.0f%%\n", p, fmt.Sprintf("sgemm %d³", n), gb, 100*gb/pb, gm, 100*gm/pm)
		}
	}
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
