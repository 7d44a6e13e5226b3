package graph

import (
	"regexp"
	"strings"
	"testing"

	"github.com/duboko/duboko/internal/optest"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestEveryOpKnown runs every public tensor op (internal/optest, which the
// tensor tests keep complete) and checks that the graph package knows the
// recorded op's symbol, counts and Jacobian structure from its record, and
// that the declared structure holds for the Jacobian's values: no more
// non-zeros than declared, none off the diagonal of a diagonal one. An op
// recorded by Custom declares nothing and must read as unknown.
func TestEveryOpKnown(t *testing.T) {
	for _, c := range optest.Cases() {
		out, _ := c.Run()
		g := Build(out)
		n := g.Node(out)
		counts := OpCounts(n)
		if c.Func == "Custom" {
			if counts.Known() || !strings.Contains(counts.String(), "?") {
				t.Errorf("Custom: counts %v, want unknown", counts)
			}
			if s := OpJacobian(n, 0); s.Kind != Unknown {
				t.Errorf("Custom: Jacobian %v, want unknown", s)
			}
			continue
		}
		if !counts.Known() || strings.Contains(counts.String(), "?") {
			t.Errorf("%s: counts %v", c.Func, counts)
		}
		if n.Op.Symbol() == "" || !strings.Contains(n.Label(), n.Op.Symbol()) {
			t.Errorf("%s: symbol %q, label %q", c.Func, n.Op.Symbol(), n.Label())
		}
		for i, in := range n.Inputs {
			s := OpJacobian(n, i)
			if s.Kind == Unknown || s.Rows != n.Len() || s.Cols != in.Len() || s.NNZ < 0 {
				t.Errorf("%s: ∂/∂input %d: %v", c.Func, i, s)
				continue
			}
			if !in.Tensor.RequiresGrad() {
				continue
			}
			// the Jacobian's values, row by row through vector-Jacobian products
			rows, cols := n.Len(), in.Len()
			var nz int64
			for r := range rows {
				e := tensor.ZerosOf(out.DType(), out.Shape()...)
				e.SetFlat(r, 1)
				row := tensor.VJP(out, e, in.Tensor)[0]
				for col := 0; row != nil && col < cols; col++ {
					if v := row.Flat(col); v != 0 {
						nz++
						if (s.Kind == Diagonal || s.Kind == Identity) && r != col {
							t.Errorf("%s: ∂/∂input %d declared %v, element (%d,%d) = %g", c.Func, i, s, r, col, v)
						}
					}
				}
			}
			if nz > s.NNZ {
				t.Errorf("%s: ∂/∂input %d has %d non-zeros, declared %v", c.Func, i, nz, s)
			}
		}
	}
}

// TestCustomOpDeclares checks that a custom op's declaration reaches the
// graph: its symbol, counts and Jacobian.
func TestCustomOpDeclares(t *testing.T) {
	for _, c := range optest.Cases() {
		if c.Func != "CustomOp" {
			continue
		}
		out, _ := c.Run()
		n := Build(out).Node(out)
		if n.Label() != "(v1, 2·)" || OpCounts(n) != (Counts{Mul: 6}) || OpJacobian(n, 0).Kind != Diagonal || n.Op.String() != "Double" {
			t.Errorf("custom op: label %q, counts %v, Jacobian %v, name %q", n.Label(), OpCounts(n), OpJacobian(n, 0), n.Op.String())
		}
		return
	}
	t.Fatal("no CustomOp case")
}

// countedLayers are nn layers with an input shape each, in both modes
// where it matters.
func countedLayers() []struct {
	name  string
	layer nn.Module
	in    []int
} {
	rng := tensor.NewRand(3)
	bnEval := nn.NewBatchNorm2d(3)
	bnEval.SetTraining(false)
	dropEval := nn.NewDropout(rng, 0.3)
	dropEval.SetTraining(false)
	return []struct {
		name  string
		layer nn.Module
		in    []int
	}{
		{"Linear", nn.NewLinear(rng, 5, 4), []int{3, 5}},
		{"Linear no bias 3-D", nn.NewLinear(rng, 5, 4, nn.LinearNoBias()), []int{2, 3, 5}},
		{"Conv2d", nn.NewConv2d(rng, 2, 3, 3, nn.ConvPadding(1)), []int{2, 2, 6, 6}},
		{"Conv2d strided dilated", nn.NewConv2d(rng, 2, 3, 3, nn.ConvStride(2), nn.ConvDilation(2)), []int{1, 2, 9, 8}},
		{"MaxPool2d", nn.NewMaxPool2d(3, nn.PoolStride(2), nn.PoolPadding(1)), []int{2, 2, 7, 7}},
		{"AvgPool2d", nn.NewAvgPool2d(2), []int{2, 2, 6, 6}},
		{"GlobalMaxPool2d", nn.NewGlobalMaxPool2d(), []int{2, 3, 4, 4}},
		{"GlobalAvgPool2d", nn.NewGlobalAvgPool2d(), []int{2, 3, 4, 4}},
		{"BatchNorm2d training", nn.NewBatchNorm2d(3), []int{2, 3, 4, 4}},
		{"BatchNorm2d eval", bnEval, []int{2, 3, 4, 4}},
		{"BatchNorm1d", nn.NewBatchNorm1d(4), []int{5, 4}},
		{"ReLU", nn.NewReLU(), []int{2, 3, 4, 4}},
		{"LeakyReLU", nn.NewLeakyReLU(0.2), []int{2, 5}},
		{"Sigmoid", nn.NewSigmoid(), []int{2, 5}},
		{"Tanh", nn.NewTanh(), []int{2, 5}},
		{"Softmax", nn.NewSoftmax(1), []int{2, 5}},
		{"Flatten", nn.NewFlatten(), []int{2, 3, 4, 4}},
		{"Dropout training", nn.NewDropout(rng, 0.3), []int{2, 5}},
		{"Dropout eval", dropEval, []int{2, 5}},
		{"Sequential", nn.NewSequential(nn.NewConv2d(rng, 1, 2, 3), nn.NewMaxPool2d(2), nn.NewReLU(),
			nn.NewFlatten(), nn.NewLinear(rng, 2*3*3, 4)), []int{2, 1, 8, 8}},
		{"Reshape", nn.NewReshape(4, -1), []int{2, 3, 4, 4}},
		{"Unflatten", nn.NewUnflatten(1, 3, 2, 2), []int{2, 12}},
		{"GlobalMaxPool", nn.NewGlobalMaxPool(), []int{2, 3, 4, 4}},
		{"GlobalMaxPool time axis", nn.NewGlobalMaxPool(1), []int{2, 5, 3}},
		{"GlobalAvgPool", nn.NewGlobalAvgPool(), []int{2, 3, 4, 4}},
		{"GlobalAvgPool channels", nn.NewGlobalAvgPool(1), []int{2, 3, 4, 4}},
		{"Quadratic", nn.NewQuadratic(rng, 5, 4), []int{3, 5}},
		{"Swish", nn.NewSwish(1), []int{2, 5}},
		{"Swish β", nn.NewSwish(0.5), []int{2, 3, 2, 2}},
	}
}

// TestLayerCountsMatchOps checks every nn layer's declared counts, output
// shape and receptive-field rule against what its recorded ops declare.
func TestLayerCountsMatchOps(t *testing.T) {
	for _, c := range countedLayers() {
		x := tensor.ZerosOf(tensor.Float32, c.in...).SetRequiresGrad(true)
		y := c.layer.Forward(x)
		g := Build(y, StopAt(x))
		var fromOps Counts
		for _, n := range g.Nodes {
			fromOps = fromOps.Plus(OpCounts(n))
		}
		counter, ok := c.layer.(nn.Counter)
		if !ok {
			t.Errorf("%s does not declare its counts", c.name)
			continue
		}
		declared, out := counter.Counts(c.in)
		if declared != fromOps || !declared.Known() {
			t.Errorf("%s: layer declares %v, its ops %v", c.name, declared, fromOps)
		}
		if !slicesEqual(out, y.Shape()) {
			t.Errorf("%s: layer declares output %v, got %v", c.name, out, y.Shape())
		}
		if f, ok := c.layer.(nn.FieldRuler); !ok {
			t.Errorf("%s declares no receptive-field rule", c.name)
		} else if len(c.in) == 4 {
			want := graphField(g, g.Node(x), g.Node(y))
			got := f.ReceptiveField()
			if got.Kind != want.Kind || got.Kind == tensor.FieldWindow && (got.Window.Span() != want.Window.Span() || got.Window.Stride != want.Window.Stride) {
				t.Errorf("%s: layer's field rule %+v, its ops' %+v", c.name, got, want)
			}
		}
	}
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// doubler is a hand-written layer (no declared counts): y = 2x.
type doubler struct{}

func (doubler) Forward(x *tensor.Tensor) *tensor.Tensor {
	var y *tensor.Tensor
	tensor.NoGrad(func() { y = tensor.MulScalar(x, 2) })
	return y
}
func (doubler) BackwardInputs(g *tensor.Tensor) *tensor.Tensor { return tensor.MulScalar(g, 2) }
func (doubler) BackwardParams(g *tensor.Tensor) []nn.ParamGrad { return nil }

// TestSummaryBatchNormAndUnknown checks that BatchNorm2d has real counts
// (it read 0 mul, 0 add before ops were typed) and that a wrapped
// hand-written layer's counts and receptive field show as unknown, never 0.
func TestSummaryBatchNormAndUnknown(t *testing.T) {
	rng := tensor.NewRand(1)
	m := nn.NewSequential(nn.NewConv2d(rng, 1, 2, 3, nn.ConvPadding(1)), nn.NewBatchNorm2d(2), doubler{}, nn.NewMaxPool2d(2))
	s, err := Summarize(m, []int{4, 1, 6, 6})
	if err != nil {
		t.Fatal(err)
	}
	n, c := int64(4*2*6*6), int64(2)
	// eval mode: 1/√(σ²+eps) per channel, then (x−μ)·s·γ + β per element
	if bn := s.Layers[1].Counts; bn != (Counts{Mul: c + 2*n, Add: c + 2*n, Other: c}) {
		t.Errorf("BatchNorm2d counts %v", bn)
	}
	if u := s.Layers[2].Counts; u.Known() || u.Total() != 0 {
		t.Errorf("wrapped layer counts %v, want unknown", u)
	}
	if !s.Layers[2].RF.Unknown || s.Layers[3].RF.String() != "?" || s.Layers[1].RF.String() != "3×3" {
		t.Errorf("receptive fields %v %v %v", s.Layers[1].RF, s.Layers[2].RF, s.Layers[3].RF)
	}
	if s.Total.Unknown != 1 {
		t.Errorf("total %v", s.Total)
	}
	out := s.String()
	for _, want := range []string{"doubler", "?", "≥", "Unknown counts", "declare none"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`(?m)^2 \(graph\.doubler\) +\[4 2 6 6\] +0 +\? +\? +\? `).MatchString(out) {
		t.Errorf("wrapped layer's row lacks ? counts:\n%s", out)
	}
}
