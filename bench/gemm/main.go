// Command gemm compares duboko's Sgemm with PyTorch's torch.mm on the same
// shapes in one run and prints GFLOP/s of both and their ratio.
//
// It starts torch_mm.py as a child process and, shape by shape and round
// by round, asks it to time torch.mm and then times Sgemm itself on each
// kernel path named by -paths (all by default: the paths alternate, so
// that an AVX2 and an AVX-512 column are measured under the same machine
// load), so both see the same machine load; each side keeps its best
// round, and beside the ratio of the bests the table gives the median of
// the rounds' paired ratios (each round's path against that round's
// torch.mm) and their spread, which says more where torch's OpenMP threads
// or the machine's load swing from round to round. Run it through run.sh,
// which sets up OpenBLAS threading for PyTorch:
//
//	bench/gemm/run.sh [-rounds 3] [-shapes square,mnist] [-paths avx2,avx512]
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/duboko/duboko/internal/kernel"
)

// shape is one benchmarked product C(m×n) = op(A)(m×k)·op(B)(k×n).
type shape struct {
	name           string
	transA, transB bool
	m, n, k        int
}

// squareShapes are the square products of BenchmarkSgemm.
var squareShapes = []shape{
	{"square_64", false, false, 64, 64, 64},
	{"square_128", false, false, 128, 128, 128},
	{"square_256", false, false, 256, 256, 256},
	{"square_512", false, false, 512, 512, 512},
	{"square_1024", false, false, 1024, 1024, 1024},
	{"square_2048", false, false, 2048, 2048, 2048},
}

// mnistShapes are the MNIST CNN's GEMMs at batch 50 (as in
// BenchmarkSgemmMNIST): conv layers through im2col with the batch side by
// side, forward and both backward products.
var mnistShapes = []shape{
	{"fc_fwd_50x784x512", false, true, 50, 512, 784},
	{"fc_bwd_data_50x512x784", false, false, 50, 784, 512},
	{"fc_bwd_weight_512x50x784", true, false, 512, 784, 50},
	{"conv1_fwd_16x25x39200", false, false, 16, 39200, 25},
	{"conv1_bwd_weight_16x39200x25", false, true, 16, 25, 39200},
	{"conv1_bwd_data_25x16x39200", true, false, 25, 39200, 16},
	{"conv2_fwd_32x400x9800", false, false, 32, 9800, 400},
	{"conv2_bwd_weight_32x9800x400", false, true, 32, 400, 9800},
	{"conv2_bwd_data_400x32x9800", true, false, 400, 9800, 32},
}

func main() {
	rounds := flag.Int("rounds", 3, "rounds over all shapes; each side keeps its best")
	minTime := flag.Duration("mintime", 200*time.Millisecond, "time per measurement")
	sets := flag.String("shapes", "square,mnist", "comma-separated shape sets: square, mnist")
	threads := flag.Int("threads", 2, "threads for both sides (GOMAXPROCS, torch.set_num_threads)")
	python := flag.String("python", "/usr/bin/python3", "python with torch")
	script := flag.String("script", "bench/gemm/torch_mm.py", "torch timing script")
	pathList := flag.String("paths", "", "comma-separated kernel paths to time (default: avx2 up to the path in use)")
	flag.Parse()
	runtime.GOMAXPROCS(*threads)
	fmt.Printf("# %s\n", kernel.CPUSummary())
	paths := strings.Split(*pathList, ",")
	if *pathList == "" {
		paths = []string{kernel.CPUPath()}
		if kernel.CPUPath() == "avx512" {
			paths = []string{"avx2", "avx512"}
		}
	}
	for _, p := range paths {
		if err := kernel.SetCPUPath(p); err != nil {
			log.Fatal(err)
		}
	}

	var shapes []shape
	for _, s := range strings.Split(*sets, ",") {
		switch s {
		case "square":
			shapes = append(shapes, squareShapes...)
		case "mnist":
			shapes = append(shapes, mnistShapes...)
		default:
			log.Fatalf("unknown shape set %q", s)
		}
	}

	cmd := exec.Command(*python, *script, "--threads", strconv.Itoa(*threads),
		"--min-time", strconv.FormatFloat(minTime.Seconds(), 'f', 3, 64))
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		log.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		log.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	torchOut := bufio.NewScanner(out)

	bestTorch := make([]float64, len(shapes))
	bestGo := make([][]float64, len(paths))
	ratios := make([][][]float64, len(paths)) // [path][shape][round]
	for i := range bestGo {
		bestGo[i] = make([]float64, len(shapes))
		ratios[i] = make([][]float64, len(shapes))
	}
	for r := 0; r < *rounds; r++ {
		for i, s := range shapes {
			fmt.Fprintf(in, "%s %d %d %d %d %d\n", s.name, b2i(s.transA), b2i(s.transB), s.m, s.n, s.k)
			if !torchOut.Scan() {
				log.Fatalf("torch_mm.py stopped: %v", torchOut.Err())
			}
			f := strings.Fields(torchOut.Text())
			if len(f) != 2 || f[0] != s.name {
				log.Fatalf("unexpected torch output %q", torchOut.Text())
			}
			g, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				log.Fatal(err)
			}
			bestTorch[i] = max(bestTorch[i], g)
			for j, p := range paths {
				if err := kernel.SetCPUPath(p); err != nil {
					log.Fatal(err)
				}
				gf := timeSgemm(s, *minTime)
				bestGo[j][i] = max(bestGo[j][i], gf)
				ratios[j][i] = append(ratios[j][i], gf/g)
			}
		}
	}
	in.Close()
	if err := cmd.Wait(); err != nil {
		log.Fatal(err)
	}

	fmt.Printf("%-30s %12s", "shape (m n k)", "torch GF/s")
	for _, p := range paths {
		fmt.Printf(" %12s %8s %20s", p+" GF/s", "ratio", "paired med (min-max)")
	}
	fmt.Println()
	for i, s := range shapes {
		fmt.Printf("%-30s %12.1f", s.name, bestTorch[i])
		for j := range paths {
			r := slices.Clone(ratios[j][i])
			slices.Sort(r)
			med := r[len(r)/2]
			if len(r)%2 == 0 {
				med = (r[len(r)/2-1] + r[len(r)/2]) / 2
			}
			fmt.Printf(" %12.1f %8.2f %20s", bestGo[j][i], bestGo[j][i]/bestTorch[i], fmt.Sprintf("%.2f (%.2f-%.2f)", med, r[0], r[len(r)-1]))
		}
		fmt.Println()
	}
}

// timeSgemm returns Sgemm's best GFLOP/s over five timed repetitions of
// about minTime each (as torch_mm.py does for torch.mm).
func timeSgemm(s shape, minTime time.Duration) float64 {
	rng := rand.New(rand.NewPCG(1, 2))
	a := make([]float32, s.m*s.k)
	b := make([]float32, s.k*s.n)
	c := make([]float32, s.m*s.n)
	for i := range a {
		a[i] = rng.Float32()
	}
	for i := range b {
		b[i] = rng.Float32()
	}
	lda, ldb := s.k, s.n
	if s.transA {
		lda = s.m
	}
	if s.transB {
		ldb = s.k
	}
	run := func() { kernel.Sgemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, lda, b, ldb, 0, c, s.n) }
	run()
	iters := 1
	for {
		t := time.Now()
		for i := 0; i < iters; i++ {
			run()
		}
		if d := time.Since(t); d >= minTime/4 {
			iters = max(1, int(float64(iters)*float64(minTime)/float64(d)))
			break
		}
		iters *= 2
	}
	best := time.Duration(1 << 62)
	for rep := 0; rep < 5; rep++ {
		t := time.Now()
		for i := 0; i < iters; i++ {
			run()
		}
		best = min(best, time.Since(t)/time.Duration(iters))
	}
	return 2 * float64(s.m) * float64(s.n) * float64(s.k) / best.Seconds() / 1e9
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
