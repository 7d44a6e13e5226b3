package nn_test

import (
	"math"
	"strings"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestSoftplusExplicitGradExtremes checks Softplus's explicit derivative,
// σ(x), where a naive formula overflows: 1 far right, 0 far left, ½ at 0.
func TestSoftplusExplicitGradExtremes(t *testing.T) {
	x := tensor.FromFloat64([]float64{-1000, -30, 0, 30, 1000})
	l := nn.NewSoftplus()
	l.Forward(x)
	got := l.BackwardInputs(tensor.FromFloat64([]float64{1, 1, 1, 1, 1})).Values()
	want := []float64{0, 1 / (1 + math.Exp(30)), 0.5, 1 / (1 + math.Exp(-30)), 1}
	for i := range want {
		if math.IsNaN(got[i]) || math.Abs(got[i]-want[i]) > 1e-15 {
			t.Fatalf("σ(%v) = %v, want %v", x.Values()[i], got[i], want[i])
		}
	}
}

// TestGaussianKLCounts checks GaussianKL's declared operation counts over
// n elements: n+1 multiplications, 4n−1 additions, n exponentials.
func TestGaussianKLCounts(t *testing.T) {
	mu := tensor.ZerosOf(tensor.Float64, 3, 4).SetRequiresGrad(true)
	kl := nn.GaussianKL(mu, tensor.ZerosOf(tensor.Float64, 3, 4))
	c := kl.Op().CountsFor(kl.Shape(), [][]int{{3, 4}, {3, 4}})
	if c.Unknown != 0 || c.Mul != 13 || c.Add != 47 || c.Other != 12 {
		t.Fatalf("counts %+v, want 13 mul, 47 add, 12 other", c)
	}
}

// TestEmbeddingPaddingRange checks the padding index's range: −num … num−1
// (negative counted from the end, as in PyTorch); anything else panics
// with a LayerError that names it.
func TestEmbeddingPaddingRange(t *testing.T) {
	for _, p := range []int{-5, -1, 0, 4} {
		e := nn.NewEmbedding(tensor.NewRand(1), 5, 2, nn.EmbeddingPadding(p))
		if want := (p + 5) % 5; e.PaddingIdx != want {
			t.Fatalf("padding %d: index %d, want %d", p, e.PaddingIdx, want)
		}
	}
	for _, p := range []int{-6, 5} {
		func() {
			defer func() {
				le, ok := recover().(*nn.LayerError)
				if !ok || !strings.Contains(le.Error(), "padding index") {
					t.Fatalf("padding %d of 5 rows: recovered %v, want a LayerError naming the padding index", p, le)
				}
			}()
			nn.NewEmbedding(tensor.NewRand(1), 5, 2, nn.EmbeddingPadding(p))
		}()
	}
}
