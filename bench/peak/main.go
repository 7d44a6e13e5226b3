// Command peak measures one core's float32 FMA peak for each kernel path
// this CPU has (AVX2: 256-bit FMAs, AVX-512: 512-bit) and single-threaded
// Sgemm on that path as a percentage of it; with -dgemm, Dgemm too, against
// half that peak (the same FMAs on half as many lanes).
//
// The peak is a register-only loop of independent FMA chains (no memory
// traffic, kernel.FMAPeakLoop). Both it and Sgemm are timed as many short single
// calls, the paths alternating call by call, so that on a shared machine
// both see the same load; the table gives the best call (what the core
// does when it has the core to itself), the median, and the median rate
// per second of this thread's CPU time (on Linux), which leaves out the
// time other processes held the core but not what they did to its caches,
// and the median of the calls during which the thread was never switched
// out ("alone"; on Linux, from getrusage's context-switch counts), with
// their number.
//
//	go run ./bench/peak [-rounds 60] [-sizes 256,1024] [-pad 0,16] [-dgemm]
//
// -pad lists extra elements per row: each size runs with leading
// dimensions n+pad, so a row stride that is a multiple of 4 KiB (n = 1024)
// can be set beside one that is not.
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
	pads := flag.String("pad", "0", "comma-separated extra elements per row (leading dimension n+pad)")
	dgemm := flag.Bool("dgemm", false, "time Dgemm too (against half the float32 peak)")
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
	peakCPU := make([][]float64, len(paths))
	for r := 0; r < *rounds; r++ {
		for i, p := range paths {
			loop, flops, _ := kernel.FMAPeakLoop(p)
			for range 30 {
				wall, cpu := timeCall(func() { loop(1 << 13) })
				peak[i] = append(peak[i], flops*(1<<13)/wall/1e9)
				peakCPU[i] = append(peakCPU[i], flops*(1<<13)/cpu/1e9)
			}
		}
	}

	type cell struct {
		name     string
		f64      bool
		n, ld    int
		perPath  [][]float64
		cpuPath  [][]float64
		alone    [][]float64
		run      func()
		flopsPer float64
	}
	var cells []*cell
	for _, sz := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(sz)
		if err != nil {
			log.Fatal(err)
		}
		for _, pd := range strings.Split(*pads, ",") {
			pad, err := strconv.Atoi(pd)
			if err != nil {
				log.Fatal(err)
			}
			ld := n + pad
			rng := rand.New(rand.NewPCG(1, 2))
			a, b, c := make([]float32, n*ld), make([]float32, n*ld), make([]float32, n*ld)
			for i := range a {
				a[i], b[i] = rng.Float32(), rng.Float32()
			}
			reps := max(1, (1<<27)/(n*n*n)) // calls per timing: at least ~0.1 GFLOP
			name := fmt.Sprintf("sgemm %d³", n)
			if pad != 0 {
				name += fmt.Sprintf(" ld %d", ld)
			}
			cells = append(cells, &cell{name: name, n: n, ld: ld, flopsPer: 2 * float64(n*n*n) * float64(reps), run: func() {
				for range reps {
					kernel.Sgemm(false, false, n, n, n, 1, a, ld, b, ld, 0, c, ld)
				}
			}})
			if *dgemm {
				a64, b64, c64 := make([]float64, n*ld), make([]float64, n*ld), make([]float64, n*ld)
				for i := range a64 {
					a64[i], b64[i] = float64(a[i]), float64(b[i])
				}
				cells = append(cells, &cell{name: "d" + name[1:], f64: true, n: n, ld: ld, flopsPer: 2 * float64(n*n*n) * float64(reps), run: func() {
					for range reps {
						kernel.Dgemm(false, false, n, n, n, 1, a64, ld, b64, ld, 0, c64, ld)
					}
				}})
			}
		}
	}
	for _, c := range cells {
		c.perPath = make([][]float64, len(paths))
		c.cpuPath = make([][]float64, len(paths))
		c.alone = make([][]float64, len(paths))
		for r := 0; r < *rounds; r++ {
			for i, p := range paths {
				kernel.SetCPUPath(p)
				if r == 0 {
					c.run()
				}
				sw := switches()
				wall, cpu := timeCall(c.run)
				if sw < 0 || switches() == sw {
					c.alone[i] = append(c.alone[i], c.flopsPer/wall/1e9)
				}
				c.perPath[i] = append(c.perPath[i], c.flopsPer/wall/1e9)
				c.cpuPath[i] = append(c.cpuPath[i], c.flopsPer/cpu/1e9)
			}
		}
	}

	fmt.Printf("%-8s %-20s %10s %8s %12s %8s %12s %8s %14s %8s\n", "path", "benchmark", "best GF/s", "% peak", "median GF/s", "% peak", "cpu med GF/s", "% best", "alone med (n)", "% best")
	for i, p := range paths {
		pb, pm, pc := slices.Max(peak[i]), median(peak[i]), median(peakCPU[i])
		fmt.Printf("%-8s %-20s %10.1f %8s %12.1f %8s %12.1f %8s\n", p, "FMA peak", pb, "100", pm, "100", pc, "100")
		for _, c := range cells {
			gb, gm, gc := slices.Max(c.perPath[i]), median(c.perPath[i]), median(c.cpuPath[i])
			div := 1.0
			if c.f64 {
				div = 0.5 // float64 FMAs do half the flops
			}
			am, an := 0.0, len(c.alone[i])
			if an > 0 {
				am = median(c.alone[i])
			}
			fmt.Printf("%-8s %-20s %10.1f %7.0f%% %12.1f %7.0f%% %12.1f %7.0f%% %14s %7.0f%%\n", p, c.name, gb, 100*gb/pb/div, gm, 100*gm/pm/div, gc, 100*gc/pb/div, fmt.Sprintf("%.1f (%d)", am, an), 100*am/pb/div)
		}
	}
}

// timeCall runs f once and returns the wall-clock and thread CPU seconds
// it took (the CPU time is the wall time where no thread clock exists).
func timeCall(f func()) (wall, cpu float64) {
	c0 := threadCPU()
	t := time.Now()
	f()
	wall = time.Since(t).Seconds()
	cpu = threadCPU() - c0
	if c0 == 0 || cpu <= 0 {
		cpu = wall
	}
	return wall, cpu
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
