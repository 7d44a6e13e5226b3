package nn_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestDefaultInitDraws pins the default initialisation of the layers with
// PyTorch's rule: weight, then bias (A, B, C for Quadratic), each drawn in order from
// U(-1/√fan_in, 1/√fan_in) with the generator the constructor is given, so
// a seed reproduces a model exactly (fan_in of a transposed convolution is
// out·k·k, as in PyTorch's weight layout [in, out, kh, kw]).
func TestDefaultInitDraws(t *testing.T) {
	const seed = 7
	cases := []struct {
		name  string
		fanIn int
		build func(rng *rand.Rand) []*tensor.Tensor
	}{
		{"Linear", 5, func(rng *rand.Rand) []*tensor.Tensor {
			l := nn.NewLinear(rng, 5, 3)
			return []*tensor.Tensor{l.Weight, l.Bias}
		}},
		{"Conv2d", 2 * 3 * 3, func(rng *rand.Rand) []*tensor.Tensor {
			c := nn.NewConv2d(rng, 2, 4, 3)
			return []*tensor.Tensor{c.Weight, c.Bias}
		}},
		{"ConvTranspose2d", 4 * 3 * 3, func(rng *rand.Rand) []*tensor.Tensor {
			c := nn.NewConvTranspose2d(rng, 2, 4, 3)
			return []*tensor.Tensor{c.Weight, c.Bias}
		}},
		{"GRUCell (fan_in is hidden, as in PyTorch)", 3, func(rng *rand.Rand) []*tensor.Tensor {
			c := nn.NewGRUCell(rng, 5, 3)
			return []*tensor.Tensor{c.WeightIH, c.WeightHH, c.BiasIH, c.BiasHH}
		}},
		{"Quadratic", 5, func(rng *rand.Rand) []*tensor.Tensor {
			q := nn.NewQuadratic(rng, 5, 3)
			return []*tensor.Tensor{q.A, q.B, q.C}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			params := c.build(tensor.NewRand(seed))
			bound := 1 / math.Sqrt(float64(c.fanIn))
			ref := tensor.NewRand(seed)
			for k, p := range params {
				for i, got := range p.Values() {
					want := float64(float32(-bound + 2*bound*ref.Float64()))
					if got != want {
						t.Fatalf("parameter %d [%d] = %v, want %v (U(-%g, %g) drawn in order)", k, i, got, want, bound, bound)
					}
				}
			}
		})
	}
}

// TestNormalDraws pins Normal(mean, std): element i is mean + std·z_i for
// the generator's successive NormFloat64 draws.
func TestNormalDraws(t *testing.T) {
	x := tensor.ZerosOf(tensor.Float64, 40)
	nn.Normal(3, 0.5)(tensor.NewRand(9), x)
	ref := tensor.NewRand(9)
	for i, got := range x.Values() {
		if want := 3 + 0.5*ref.NormFloat64(); got != want {
			t.Fatalf("element %d = %v, want %v", i, got, want)
		}
	}
}

// TestInitializerDraws pins the initialisers to their definitions, draw by
// draw from the same generator: TruncatedNormal redraws z outside [−2, 2]
// (enough elements that some are redrawn), XavierUniform is
// U(±gain·√(6/(fan_in+fan_out))), XavierNormal N(0, gain²·2/(fan_in+fan_out)).
func TestInitializerDraws(t *testing.T) {
	const fanIn, fanOut = 6, 4 // a [4, 6] weight
	cases := []struct {
		name string
		init nn.Initializer
		want func(rng *rand.Rand) float64
	}{
		{"TruncatedNormal", nn.TruncatedNormal(1, 0.5), func(rng *rand.Rand) float64 {
			for {
				if z := rng.NormFloat64(); z >= -2 && z <= 2 {
					return 1 + 0.5*z
				}
			}
		}},
		{"XavierUniform", nn.XavierUniform(2), func(rng *rand.Rand) float64 {
			b := 2 * math.Sqrt(6.0/(fanIn+fanOut))
			return -b + 2*b*rng.Float64()
		}},
		{"XavierNormal", nn.XavierNormal(2), func(rng *rand.Rand) float64 {
			return 2 * math.Sqrt(2.0/(fanIn+fanOut)) * rng.NormFloat64()
		}},
	}
	for _, c := range cases {
		for seed := range uint64(20) { // 20 × 24 draws: some beyond ±2 for TruncatedNormal
			w := tensor.ZerosOf(tensor.Float64, fanOut, fanIn)
			c.init(tensor.NewRand(seed), w)
			ref := tensor.NewRand(seed)
			for i, got := range w.Values() {
				if want := c.want(ref); math.Abs(got-want) > 1e-15 {
					t.Fatalf("%s, seed %d, element %d = %v, want %v", c.name, seed, i, got, want)
				}
			}
		}
	}
}
