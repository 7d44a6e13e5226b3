package graph

import (
	"bytes"
	"errors"
	"math"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// exam builds the course's exam network h = Wx + b, h' = ReLU(h),
// s = wᵀh', L = BCE(σ(s), y) with W ∈ R^{m×n}.
func exam(m, n int) (L, x, W, b, w, h, h2, s *tensor.Tensor) {
	rng := tensor.NewRand(7)
	x = tensor.To(tensor.RandN(rng, 1, n), tensor.Float64).SetName("x")
	W = tensor.To(tensor.RandN(rng, m, n), tensor.Float64).SetName("W").SetRequiresGrad(true)
	b = tensor.To(tensor.RandN(rng, m), tensor.Float64).SetName("b").SetRequiresGrad(true)
	w = tensor.To(tensor.RandN(rng, m, 1), tensor.Float64).SetName("w").SetRequiresGrad(true)
	y := tensor.FromFloat64([]float64{1}, 1, 1).SetName("y")
	h = tensor.Linear(x, W, b).SetName("h")
	h2 = tensor.ReLU(h).SetName("h'")
	s = tensor.MatMul(h2, w).SetName("s")
	p := tensor.Sigmoid(s).SetName("p")
	L = nn.BCE(p, y).SetName("L")
	return
}

func TestBuildExam(t *testing.T) {
	L, x, W, _, _, h, _, _ := exam(4, 3)
	g := Build(L)
	if len(g.Nodes) != 10 {
		t.Fatalf("got %d nodes, want 10", len(g.Nodes))
	}
	if n := g.Node(x); n == nil || n.Kind != Input {
		t.Errorf("x: %+v, want input", n)
	}
	if n := g.Node(W); n.Kind != Param || n.Name != "W" {
		t.Errorf("W: %+v", n)
	}
	hn := g.Node(h)
	if hn.Label() != "(h, Wx+b)" || len(hn.Inputs) != 3 {
		t.Errorf("h: label %q, %d inputs", hn.Label(), len(hn.Inputs))
	}
	if got := g.Lookup("h'").Label(); got != "(h', ReLU)" {
		t.Errorf("h' label %q", got)
	}
	for i, n := range g.Nodes {
		for _, in := range n.Inputs {
			if in.ID >= i {
				t.Errorf("node %s before its input %s", n.Name, in.Name)
			}
		}
	}
	if len(g.Edges()) != 9 {
		t.Errorf("%d edges, want 9", len(g.Edges()))
	}
}

func TestCountsExam(t *testing.T) {
	const m, n = 5, 3
	L, _, _, _, _, h, h2, s := exam(m, n)
	g := Build(L)
	// affine: mn multiplications and mn additions (bias included)
	if c := OpCounts(g.Node(h)); c != (Counts{Mul: m * n, Add: m * n}) {
		t.Errorf("Wx+b: %v", c)
	}
	if c := OpCounts(g.Node(h2)); c != (Counts{Other: m}) {
		t.Errorf("ReLU: %v", c)
	}
	// wᵀh': m multiplications, m−1 additions
	if c := OpCounts(g.Node(s)); c != (Counts{Mul: m, Add: m - 1}) {
		t.Errorf("wᵀh': %v", c)
	}
}

func TestDOTForwardBackward(t *testing.T) {
	L, _, _, _, _, _, _, _ := exam(4, 3)
	g := Build(L)
	var f, b bytes.Buffer
	if err := Render(g, "dot", &f); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"digraph forward", `"(h, Wx+b)\n[1 4]"`, `"(h', ReLU)\n[1 4]"`, `"(s, ·)\n[1 1]"`,
		`label="W\n[4 3]", style=filled`, `label="x\n[1 3]", tooltip="input"`, "n0 -> n3;"} {
		if !strings.Contains(f.String(), want) {
			t.Errorf("forward DOT lacks %s:\n%s", want, f.String())
		}
	}
	if err := RenderBackward(g, "dot", &b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"digraph backward", `"∂L/∂h\n[1 4]"`, `"∂L/∂W\n[4 3]", style=filled`,
		`label="∂h'/∂h\n4×4 diagonal"`, `label="∂h/∂W\n4×12 sparse, 12 nz"`, `label="∂h/∂b\n4×4 identity"`, `label="∂s/∂h'\n1×4 dense"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("backward DOT lacks %s:\n%s", want, b.String())
		}
	}
	if strings.Contains(b.String(), "∂L/∂x") || strings.Contains(b.String(), "∂L/∂y") {
		t.Errorf("backward graph has gradients of data:\n%s", b.String())
	}
}

func TestTextAndTrace(t *testing.T) {
	L, _, _, _, _, _, _, _ := exam(4, 3)
	g := Build(L)
	var buf bytes.Buffer
	if err := RenderWith(g, "text", &buf, false, Options{Values: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "h   = Linear(x, W, b) [1 4] float64  [12 mul, 12 add, 0 other]") {
		t.Errorf("text:\n%s", buf.String())
	}
	buf.Reset()
	if err := RenderBackward(g, "text", &buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "∂L/∂h [1 4] = ∂L/∂h' · ∂h'/∂h [4×4 diagonal]") {
		t.Errorf("backward text:\n%s", buf.String())
	}
	buf.Reset()
	if err := Trace(&buf, g); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "h' = ReLU(h)  [1 4]") {
		t.Errorf("trace:\n%s", buf.String())
	}
	buf.Reset()
	if err := TraceBackward(&buf, g); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "∂L/∂s = ∂L/∂p·∂p/∂s  [1 1]") {
		t.Errorf("backward trace:\n%s", buf.String())
	}
}

// The gradient values of the backward graph agree with Backward.
func TestBackwardValues(t *testing.T) {
	L, _, W, _, _, _, _, _ := exam(4, 3)
	g := Build(L)
	bg := Backward(g, Options{Values: true})
	var gw *tensor.Tensor
	for _, gn := range bg.Grads {
		if gn.Of.Name == "W" {
			gw = gn.Value
		}
	}
	L.Backward()
	want := W.Grad().Values()
	for i, v := range gw.Values() {
		if math.Abs(v-want[i]) > 1e-12 {
			t.Fatalf("∂L/∂W[%d] = %g, Backward gives %g", i, v, want[i])
		}
	}
	// after Backward the graph is released: values are left out, no panic
	if bg := Backward(g, Options{Values: true}); bg.Grads[0].Value != nil {
		t.Error("values after release")
	}
}

func TestJacobianReLU(t *testing.T) {
	const n = 6
	x := tensor.FromFloat64([]float64{-2, -1, 0, 1, 2, 3}, n).SetName("x").SetRequiresGrad(true)
	y := tensor.ReLU(x)
	j, err := JacobianOf(y, x)
	if err != nil {
		t.Fatal(err)
	}
	if j.Structure.Kind != Diagonal || j.Rows() != n || j.Cols() != n {
		t.Fatalf("structure %v", j.Structure)
	}
	if j.StructuralZeros() != n*n-n {
		t.Errorf("structural zeros %d, want %d", j.StructuralZeros(), n*n-n)
	}
	if j.Zeros != n*n-3 { // three inactive units add value zeros
		t.Errorf("zeros %d", j.Zeros)
	}
	for i := range n {
		want := 0.0
		if i > 2 {
			want = 1
		}
		if j.At(i, i) != want || j.Matrix.At(i, i) != want {
			t.Errorf("J[%d,%d] = %g", i, i, j.At(i, i))
		}
	}
	// large: diagonal only, no n×n matrix
	big := tensor.ZerosOf(tensor.Float64, 5000).SetRequiresGrad(true)
	jb, err := JacobianOf(tensor.Sigmoid(big), big)
	if err != nil {
		t.Fatal(err)
	}
	if jb.Matrix != nil || len(jb.Diag) != 5000 || jb.Diag[0] != 0.25 || jb.StructuralZeros() != 5000*5000-5000 {
		t.Errorf("large diagonal: matrix %v, %d diag, %v", jb.Matrix != nil, len(jb.Diag), jb.Structure)
	}
}

func TestJacobianLinearIsW(t *testing.T) {
	_, x, W, b, _, _, _, _ := exam(4, 3)
	x.SetRequiresGrad(true)
	h := tensor.Linear(x, W, b)
	j, err := JacobianOf(h, x)
	if err != nil {
		t.Fatal(err)
	}
	if j.Structure.Kind != Dense || j.Rows() != 4 || j.Cols() != 3 {
		t.Fatalf("structure %v", j.Structure)
	}
	for r := range 4 {
		for c := range 3 {
			if j.At(r, c) != W.At(r, c) {
				t.Errorf("J[%d,%d] = %g, W = %g", r, c, j.At(r, c), W.At(r, c))
			}
		}
	}
	jw, err := JacobianOf(h, W)
	if err != nil {
		t.Fatal(err)
	}
	if jw.Rows() != 4 || jw.Cols() != 12 || jw.Structure.Kind != Sparse || jw.StructuralZeros() != 48-12 {
		t.Errorf("∂h/∂W: %v", jw.Structure)
	}
	// ∂h[i]/∂W[i,k] = x[k]
	if jw.At(2, 2*3+1) != x.At(0, 1) || jw.At(2, 1) != 0 {
		t.Errorf("∂h/∂W values wrong:\n%v", jw)
	}
}

func TestJacobianChains(t *testing.T) {
	L, _, W, _, _, h, h2, s := exam(4, 3)
	// through an intermediate: ∂h'/∂h is diagonal
	j, err := JacobianOf(h2, h)
	if err != nil || j.Structure.Kind != Diagonal {
		t.Fatalf("∂h'/∂h: %v %v", j, err)
	}
	// s = wᵀReLU(Wx+b): dense 1×12 through the sparse ∂h/∂W
	j, err = JacobianOf(s, W)
	if err != nil || j.Structure.Kind != Dense || j.Cols() != 12 {
		t.Fatalf("∂s/∂W: %v %v", j, err)
	}
	j, err = JacobianOf(L, W)
	if err != nil || j.Rows() != 1 || j.Cols() != 12 {
		t.Fatalf("∂L/∂W: %v %v", j, err)
	}
	L.Backward() // leaves' gradients untouched by JacobianOf: only this one
	for i, v := range W.Grad().Values() {
		if math.Abs(v-j.Matrix.Flat(i)) > 1e-12 {
			t.Fatalf("∂L/∂W[%d]: Jacobian %g, Backward %g", i, j.Matrix.Flat(i), v)
		}
	}
	// errors
	other := tensor.Ones(2).SetRequiresGrad(true)
	if _, err := JacobianOf(h, other); err == nil {
		t.Error("no error for a tensor outside the graph")
	}
}

func TestComposeRules(t *testing.T) {
	d := structOf(Diagonal, 4, 4, 0)
	sp := withCover(structOf(Sparse, 4, 12, 12))
	if c := compose(d, sp); c.Kind != Sparse || c.NNZ != 12 {
		t.Errorf("diag·sparse = %v", c)
	}
	if c := compose(structOf(Dense, 1, 4, 0), sp); c.Kind != Dense || c.NNZ != 12 {
		t.Errorf("dense·sparse = %v", c)
	}
	if c := union(d, structOf(Identity, 4, 4, 0)); c.Kind != Diagonal {
		t.Errorf("diag+I = %v", c)
	}
	if c := compose(structOf(Sparse, 3, 4, 3), structOf(Dense, 4, 5, 0)); c.Kind != Unknown || c.StructuralZeros() != -1 {
		t.Errorf("sparse·dense = %v", c)
	}
}

// The course's MNIST CNN at batch 50: parameters, counts, memory and the
// receptive fields derived by hand.
func TestSummaryCNN(t *testing.T) {
	m, in, err := models.New("cnn", tensor.NewRand(1))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Summarize(m, append([]int{50}, in...))
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]LayerSummary{}
	for _, l := range s.Layers {
		byName[l.Name] = l
	}
	params := map[string]int{"conv1": 16*1*5*5 + 16, "conv2": 32*16*5*5 + 32, "fc3": 1568*512 + 512, "logits": 512*10 + 10}
	want := map[string]int{"conv1": 416, "conv2": 12832, "fc3": 803328, "logits": 5130}
	for k, v := range want {
		if params[k] != v || byName[k].Params != v {
			t.Errorf("%s: %d params, want %d", k, byName[k].Params, v)
		}
	}
	if s.TotalParams != 821706 {
		t.Errorf("total params %d", s.TotalParams)
	}
	// conv2: each of 50·32·14·14 outputs takes 16·5·5 products and as many additions (bias included)
	if c := byName["conv2"].Counts; c.Mul != 50*32*14*14*400 || c.Add != c.Mul {
		t.Errorf("conv2 counts %v", c)
	}
	if c := byName["fc3"].Counts; c.Mul != 50*512*1568 || c.Add != c.Mul {
		t.Errorf("fc3 counts %v", c)
	}
	if c := byName["pool1"].Counts; c.Other != 50*16*14*14*3 {
		t.Errorf("pool1 counts %v", c)
	}
	// receptive fields: conv1 5, pool1 5+1=6 (jump 2), conv2 6+4·2 = 14, pool2 14+1·2 = 16
	for name, rf := range map[string]int{"conv1": 5, "pool1": 6, "relu1": 6, "conv2": 14, "pool2": 16} {
		if got := byName[name].RF; got.Size != [2]int{rf, rf} || got.Full {
			t.Errorf("%s receptive field %v, want %d×%d", name, got, rf, rf)
		}
	}
	if !byName["fc3"].RF.Full || byName["fc3"].RF.String() != "all" {
		t.Errorf("fc3 RF %v", byName["fc3"].RF)
	}
	// float32 activations at batch 50; Flatten is a view
	acts := map[string]int64{"conv1": 50 * 16 * 28 * 28 * 4, "pool1": 50 * 16 * 14 * 14 * 4, "conv2": 50 * 32 * 14 * 14 * 4,
		"flatten": 0, "fc3": 50 * 512 * 4, "logits": 50 * 10 * 4}
	for name, b := range acts {
		if byName[name].ActivationBytes != b {
			t.Errorf("%s: %d activation bytes, want %d", name, byName[name].ActivationBytes, b)
		}
	}
	total := int64(4 * 50 * (16*28*28 + 2*16*14*14 + 32*14*14 + 2*32*7*7 + 2*512 + 10))
	if s.ActivationBytes != total {
		t.Errorf("activation memory %d, want %d", s.ActivationBytes, total)
	}
	out := s.String()
	for _, want := range []string{"conv2 (Conv2d)", "[50 32 14 14]", "12,832", "14×14", "Total params: 821,706", "5,851,600 bytes"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	s8, _ := Summarize(m, append([]int{50}, in...), SummaryOptions{ElementSize: 8})
	if s8.ActivationBytes != 2*total {
		t.Errorf("float64 memory %d", s8.ActivationBytes)
	}
}

func TestSummaryErrorsAndNesting(t *testing.T) {
	rng := tensor.NewRand(1)
	inner := nn.NewSequential(nn.NewLinear(rng, 3, 4), nn.NewTanh())
	m := (&nn.Sequential{}).Add("block", inner).Add("out", nn.NewLinear(rng, 4, 2, nn.LinearNoBias()))
	s, err := Summarize(m, []int{2, 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Layers) != 3 || s.Layers[0].Name != "block.0" || s.Layers[1].Type != "Tanh" || s.Layers[0].Depth != 1 {
		t.Errorf("layers %+v", s.Layers)
	}
	if s.Layers[2].Counts != (Counts{Mul: 2 * 2 * 4, Add: 2 * 2 * 3}) { // no bias: m(n−1) additions per sample
		t.Errorf("no-bias counts %v", s.Layers[2].Counts)
	}
	if s.Layers[0].RF.Valid {
		t.Error("receptive field for a non-image input")
	}
	if _, err := Summarize(m, []int{2, 5}); err == nil || !strings.Contains(err.Error(), "Linear") {
		t.Errorf("shape error: %v", err)
	}
}

func TestFromModel(t *testing.T) {
	m, in, _ := models.New("cnn", tensor.NewRand(1))
	g, err := FromModel(m, append([]int{1}, in...))
	if err != nil {
		t.Fatal(err)
	}
	if n := g.Lookup("conv1.weight"); n == nil || n.Kind != Param {
		t.Errorf("conv1.weight missing")
	}
	var buf bytes.Buffer
	if err := RenderBackward(g, "dot", &buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "∂L/∂conv1.weight") {
		t.Errorf("backward graph:\n%s", buf.String())
	}
	if _, err := FromModel(m, []int{1, 3, 28, 28}); err == nil {
		t.Error("no error for a wrong input shape")
	}
}

func TestRenderErrors(t *testing.T) {
	L, _, _, _, _, _, _, _ := exam(2, 2)
	g := Build(L)
	var fe *FormatError
	if err := Render(g, "jpeg", &bytes.Buffer{}); !errors.As(err, &fe) || fe.Format != "jpeg" {
		t.Errorf("unknown format: %v", err)
	}
	old := DotCommand
	DotCommand = "/nonexistent/dot"
	defer func() { DotCommand = old }()
	for _, f := range []string{"svg", "png", "html"} {
		err := Render(g, f, &bytes.Buffer{})
		var ge *GraphvizError
		if !errors.As(err, &ge) || !errors.Is(err, ErrNoGraphviz) || !strings.Contains(err.Error(), "graphviz") {
			t.Errorf("%s without dot: %v", f, err)
		}
	}
	if err := Render(g, "dot", &bytes.Buffer{}); err != nil {
		t.Errorf("dot needs no Graphviz: %v", err)
	}
}

func TestRenderSVGPNGHTML(t *testing.T) {
	if _, err := exec.LookPath(DotCommand); err != nil {
		t.Skip("Graphviz dot not installed")
	}
	L, _, _, _, _, _, _, _ := exam(3, 2)
	g := Build(L)
	var svg, png, page bytes.Buffer
	if err := Render(g, "svg", &svg); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(svg.String(), "<svg") || !strings.Contains(svg.String(), "(h&#39;, ReLU)") && !strings.Contains(svg.String(), "(h', ReLU)") {
		t.Errorf("svg:\n%.600s", svg.String())
	}
	if err := RenderBackward(g, "png", &png); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(png.Bytes(), []byte("\x89PNG")) {
		t.Error("not a PNG")
	}
	if err := Render(g, "html", &page); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(page.String(), "<!DOCTYPE html>") || !strings.Contains(page.String(), "<svg") || strings.Contains(page.String(), "<?xml") {
		t.Errorf("html:\n%.400s", page.String())
	}
}

// TestMatMulVectorIsOneOp checks that a product with a vector operand is
// recorded as one MatMul of the operands' own shapes (no reshapes around
// it), counted as its dot products: W·x with W [m,k], x [k] takes m·k
// multiplications and m·(k−1) additions, and xᵀ·x k and k−1.
func TestMatMulVectorIsOneOp(t *testing.T) {
	const m, k = 4, 3
	W := tensor.To(tensor.RandN(tensor.NewRand(1), m, k), tensor.Float64).SetRequiresGrad(true)
	x := tensor.To(tensor.RandN(tensor.NewRand(2), k), tensor.Float64).SetRequiresGrad(true)
	for _, c := range []struct {
		name  string
		out   *tensor.Tensor
		shape []int
		want  Counts
	}{
		{"W·x", tensor.MatMul(W, x), []int{m}, Counts{Mul: m * k, Add: m * (k - 1)}},
		{"xᵀ·Wᵀ", tensor.MatMul(x, tensor.T(W)), []int{m}, Counts{Mul: m * k, Add: m * (k - 1)}},
		{"x·x", tensor.MatMul(x, x), []int{}, Counts{Mul: k, Add: k - 1}},
	} {
		g := Build(c.out, StopAt(W, x))
		n := g.Node(c.out)
		if n.Op.Kind != tensor.OpMatMul || len(n.Inputs) != 2 {
			t.Errorf("%s: recorded %v with %d inputs, want one MatMul", c.name, n.Op, len(n.Inputs))
			continue
		}
		if !slices.Equal(c.out.Shape(), c.shape) {
			t.Errorf("%s: shape %v, want %v", c.name, c.out.Shape(), c.shape)
		}
		if got := OpCounts(n); got != c.want {
			t.Errorf("%s: counts %v, want %v", c.name, got, c.want)
		}
		for _, in := range n.Inputs {
			if in.Op.Kind == tensor.OpReshape {
				t.Errorf("%s: input %s is a reshape", c.name, in.Name)
			}
		}
	}
}
