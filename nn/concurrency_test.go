package nn_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// convNet builds a small CNN touching the shared machinery: convolution
// (scratch free lists, parallel loops), batch norm, pooling, and
// Linear+ReLU pairs that Sequential fuses into reused buffers under NoGrad.
func convNet(seed uint64) *nn.Sequential {
	rng := tensor.NewRand(seed)
	s := nn.NewSequential()
	s.Add("conv", nn.NewConv2d(rng, 1, 4, 3, nn.ConvPadding(1)))
	s.Add("bn", nn.NewBatchNorm2d(4))
	s.Add("relu1", nn.NewReLU())
	s.Add("pool", nn.NewMaxPool2d(2))
	s.Add("flat", nn.NewFlatten())
	s.Add("fc1", nn.NewLinear(rng, 4*4*4, 16))
	s.Add("relu2", nn.NewReLU())
	s.Add("fc2", nn.NewLinear(rng, 16, 16))
	s.Add("relu3", nn.NewReLU())
	s.Add("fc3", nn.NewLinear(rng, 16, 10))
	return s
}

// trainSteps runs steps of plain SGD on m and returns every parameter's
// gradient at every step, flattened.
func trainSteps(m *nn.Sequential, steps int) [][]float32 {
	var grads [][]float32
	for step := range steps {
		x := tensor.RandN(tensor.NewRand(uint64(100+step)), 8, 1, 8, 8)
		g := tensor.RandN(tensor.NewRand(uint64(200+step)), 8, 10)
		nn.ZeroGrad(m)
		tensor.Sum(tensor.Mul(tensor.Tanh(m.Forward(x)), g)).Backward()
		for _, p := range m.Params() {
			grads = append(grads, slices.Clone(p.Tensor.Grad().Float32s()))
			w, d := p.Tensor.Float32s(), p.Tensor.Grad().Float32s()
			for i := range w {
				w[i] -= 0.1 * d[i]
			}
		}
	}
	return grads
}

// TestTrainWhileEvaluating trains model A on one goroutine (and a copy of
// A on a second) while another goroutine evaluates model B under NoGrad
// in a loop (the models share no layer, only the packages' global state:
// grad mode, scratch buffers, the GEMM team). A's gradients must equal
// those of a run on its own, and B's outputs must not change. Run it with
// -race.
func TestTrainWhileEvaluating(t *testing.T) {
	const steps = 4
	want := trainSteps(convNet(1), steps)

	b := convNet(2)
	b.SetTraining(false)
	xb := tensor.RandN(tensor.NewRand(3), 8, 1, 8, 8)
	var ref []float32
	tensor.NoGrad(func() { ref = slices.Clone(b.Forward(xb).Float32s()) })

	stop, started := make(chan struct{}), make(chan struct{})
	evalErr := make(chan error, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(evalErr)
		for n := 0; ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			var y []float32
			recording := false
			tensor.NoGrad(func() {
				if n == 0 {
					close(started) // training starts while this scope is open
				}
				recording = tensor.GradEnabled()
				y = b.Forward(xb).Float32s()
			})
			if recording {
				evalErr <- fmt.Errorf("recording on inside NoGrad")
				return
			}
			if !slices.Equal(y, ref) {
				evalErr <- fmt.Errorf("evaluation %d of model B changed its output", n)
				return
			}
		}
	}()
	<-started
	var other [][]float32 // a second trainer of its own copy of A
	var trainer sync.WaitGroup
	trainer.Go(func() { other = trainSteps(convNet(1), steps) })
	got := trainSteps(convNet(1), steps)
	trainer.Wait()
	close(stop)
	wg.Wait()
	if err := <-evalErr; err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d gradients, want %d", len(got), len(want))
	}
	for i := range want {
		if !slices.Equal(got[i], want[i]) || !slices.Equal(other[i], want[i]) {
			t.Fatalf("gradient %d of a concurrent run differs from the run alone", i)
		}
	}
}
