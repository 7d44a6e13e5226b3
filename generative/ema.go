package generative

import (
	"fmt"
	"slices"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// EMA keeps an exponential moving average of a module's weights in a copy
// of it, the Shadow (Yazıcı et al., 2019, "The unusual effectiveness of
// averaging in GAN training"). After each optimizer step of the source
// module, [EMA.Update] moves every floating-point parameter and buffer of
// the shadow towards the source's:
//
//	shadow ← shadow + (1 − Decay)·(source − shadow)
//
// which is Decay·shadow + (1 − Decay)·source (PyTorch's
// shadow.lerp_(source, 1 − decay)). The buffers are averaged as the
// weights are (timm's ModelEmaV2 does the same): BatchNorm's running mean
// and variance in the shadow follow the same horizon of about 1/(1 − Decay)
// steps as its weights, rather than describing only the source's latest
// weights. Integer buffers (BatchNorm's num_batches_tracked) are copied.
// The shadow starts as a copy of the source; there is no warm-up, so for
// the first few multiples of 1/(1 − Decay) steps it still remembers the
// initial weights (at Decay 0.999, 0.999^4690 ≈ 1 % after the DCGAN
// default's 4,690 steps).
//
// The shadow is for sampling only: it is never trained, and it should be
// run in evaluation mode (see [Generate]).
type EMA struct {
	Decay  float64
	Shadow nn.Module

	pairs [][2]*tensor.Tensor // [shadow, source]
}

// NewEMA returns the average of src kept in shadow, a module of the same
// architecture (same parameter and buffer names and shapes), whose state
// it overwrites with src's. Decay must be in [0, 1).
func NewEMA(src, shadow nn.Module, decay float64) *EMA {
	if !(decay >= 0 && decay < 1) {
		panic(fmt.Sprintf("generative.NewEMA: decay %v, want 0 ≤ decay < 1", decay))
	}
	ss, sd := nn.StateDict(src), nn.StateDict(shadow)
	if len(ss) != len(sd) {
		panic(fmt.Sprintf("generative.NewEMA: the source has %d tensors, the shadow %d", len(ss), len(sd)))
	}
	e := &EMA{Decay: decay, Shadow: shadow}
	for i, p := range ss {
		q := sd[i]
		if p.Name != q.Name || !slices.Equal(p.Tensor.Shape(), q.Tensor.Shape()) || p.Tensor.DType() != q.Tensor.DType() {
			panic(fmt.Sprintf("generative.NewEMA: source tensor %q %v %v, shadow %q %v %v", p.Name, p.Tensor.Shape(), p.Tensor.DType(),
				q.Name, q.Tensor.Shape(), q.Tensor.DType()))
		}
		q.Tensor.CopyFrom(p.Tensor)
		e.pairs = append(e.pairs, [2]*tensor.Tensor{q.Tensor, p.Tensor})
	}
	return e
}

// Update moves the shadow one step towards the source's current state:
// s ← s + (1 − Decay)·(p − s) for every floating-point tensor (computed in
// the tensor's precision), a copy for integer ones.
func (e *EMA) Update() {
	a := 1 - e.Decay
	for _, pr := range e.pairs {
		s, p := pr[0], pr[1]
		switch s.DType() {
		case tensor.Float32:
			a32 := float32(a)
			sv, pv := s.Float32s(), p.Float32s()
			for i, v := range pv {
				sv[i] += a32 * (v - sv[i])
			}
		case tensor.Float64:
			sv, pv := s.Float64s(), p.Float64s()
			for i, v := range pv {
				sv[i] += a * (v - sv[i])
			}
		default:
			s.CopyFrom(p)
		}
	}
}
