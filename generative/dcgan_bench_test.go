package generative

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/tensor"
)

// dcganBatch is a batch of n random images [n, 1, size, size] in [0, 1].
func dcganBatch(n, size int, seed uint64) *data.Batch {
	rng := tensor.NewRand(seed)
	b := &data.Batch{X: make([]float32, n*size*size), Shape: []int{n, 1, size, size}, Labels: make([]int, n), Indices: make([]int, n)}
	for i := range b.X {
		b.X[i] = float32(rng.Float64())
	}
	for i := range b.Indices {
		b.Indices[i] = i
	}
	return b
}

// BenchmarkDCGANStep64 is one DCGAN training step at batch 64 (a
// discriminator step on real and generated images, then a generator step,
// both with Adam), for the 28×28 layout without and with the extra 7×7
// generator block (size28_w32_gx1 is 'duboko train --task dcgan's
// default), at width 64, the 32×32 layout and the lab's 64×64 layout; the
// PyTorch twin is bench/dcgan/torch_dcgan.py --time. Besides wall time it
// reports cpu-ms/op, the process's CPU time (all threads) per step, which a
// loaded machine disturbs far less than wall time.
func BenchmarkDCGANStep64(b *testing.B) {
	for _, c := range []DCGANConfig{{Size: 28}, {Size: 28, GExtra: 1}, {Size: 28, Width: 64}, {Size: 32}, {Size: 64}} {
		c = c.normalize()
		name := fmt.Sprintf("size%d_w%d", c.Size, c.Width)
		if c.GExtra > 0 {
			name += fmt.Sprintf("_gx%d", c.GExtra)
		}
		b.Run(name, func(b *testing.B) {
			task := NewDCGANTask(c, 1, 0, 1, NonSaturating)
			bt := dcganBatch(64, c.Size, 2)
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := task.Step(bt); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
		})
	}
}

// cpuTime returns the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
