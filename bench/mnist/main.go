// Command mnist measures duboko's training and inference throughput for the
// course's MNIST models on data already in memory, the same work as
// torch_mnist.py does for PyTorch; run.sh runs both side by side.
//
//	go run ./bench/mnist -model cnn -steps 200 -batch 50
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"github.com/duboko/duboko/data/mnist"
	"github.com/duboko/duboko/internal/kernel"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
)

func main() {
	model := flag.String("model", "cnn", "cnn or mlp")
	steps := flag.Int("steps", 200, "training steps to time (after 10 warm-up steps)")
	batch := flag.Int("batch", 50, "training batch size")
	evalBatch := flag.Int("eval-batch", 1000, "inference batch size")
	evalSteps := flag.Int("eval-steps", 20, "inference batches to time")
	cpuprof := flag.String("cpuprofile", "", "write a CPU profile of the training steps")
	memprof := flag.String("memprofile", "", "write an allocation profile after the training steps")
	infprof := flag.String("inferprofile", "", "write a CPU profile of the inference batches")
	flag.Parse()

	train, _, err := mnist.Load()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	m, in, err := models.New(*model, tensor.NewRand(1))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	per := in[0] * in[1] * in[2]
	// pre-build batches in memory, as the PyTorch script does
	nb := 20
	xs := make([]*tensor.Tensor, nb)
	ys := make([][]int, nb)
	for i := range xs {
		x := make([]float32, *batch*per)
		ys[i] = make([]int, *batch)
		for j := 0; j < *batch; j++ {
			ys[i][j] = train.Sample((i**batch+j)%train.N, x[j*per:(j+1)*per])
		}
		xs[i] = tensor.FromFloat32(x, append([]int{*batch}, in...)...)
	}
	opt := optim.NewSGD(m.Params(), optim.SGDConfig{LR: 0.01})
	step := func(i int) {
		loss := nn.CrossEntropy(m.Forward(xs[i%nb]), tensor.FromInts(ys[i%nb]))
		opt.ZeroGrad()
		loss.Backward()
		opt.Step()
	}
	for i := 0; i < 10; i++ {
		step(i)
	}
	if *cpuprof != "" {
		f, _ := os.Create(*cpuprof)
		pprof.StartCPUProfile(f)
	}
	t0 := time.Now()
	for i := 0; i < *steps; i++ {
		step(i)
	}
	train1 := float64(*steps**batch) / time.Since(t0).Seconds()
	if *cpuprof != "" {
		pprof.StopCPUProfile() // the training steps only
	}
	if *memprof != "" {
		f, _ := os.Create(*memprof)
		pprof.Lookup("allocs").WriteTo(f, 0)
		f.Close()
	}

	ex := make([]float32, *evalBatch*per)
	for j := 0; j < *evalBatch; j++ {
		train.Sample(j%train.N, ex[j*per:(j+1)*per])
	}
	xe := tensor.FromFloat32(ex, append([]int{*evalBatch}, in...)...)
	m.SetTraining(false)
	var inf float64
	tensor.NoGrad(func() {
		m.Forward(xe)
		if *infprof != "" {
			f, _ := os.Create(*infprof)
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
		t0 := time.Now()
		for i := 0; i < *evalSteps; i++ {
			m.Forward(xe)
		}
		inf = float64(*evalSteps**evalBatch) / time.Since(t0).Seconds()
	})
	// The machine and kernel path go to stderr: run.sh parses stdout's one line.
	fmt.Fprintf(os.Stderr, "cpu: %s\n", kernel.CPUSummary())
	fmt.Printf("duboko %s train_img_per_s %.0f infer_img_per_s %.0f (batch %d / %d)\n", *model, train1, inf, *batch, *evalBatch)
}
