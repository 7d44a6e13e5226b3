package nn

import (
	"github.com/duboko/duboko/tensor"
)

// Counter is implemented by layers that declare the scalar operations of
// their forward pass (see tensor.Counts). Every layer of this package
// does; graph.Summarize uses it, and otherwise adds up the counts its
// recorded ops declare. The built-in layers compute their counts from the
// declarations of the tensor ops they run, so a layer and its recorded ops
// agree by construction (a test checks it).
type Counter interface {
	// Counts returns the scalar operations of one forward pass on an input
	// of shape in (batch first) in the layer's current mode, and the
	// output's shape. A layer that cannot run on in returns counts with
	// Unknown set and a nil shape.
	Counts(in []int) (tensor.Counts, []int)
}

// FieldRuler is implemented by layers that declare how they change the
// receptive field of spatial positions of [N, C, H, W] inputs (see
// tensor.FieldRule): windows for convolution and pooling, FieldAll for
// fully connected layers and global pooling, FieldSame for element-wise
// and per-channel layers.
type FieldRuler interface {
	ReceptiveField() tensor.FieldRule
}

// unknownCounts is the answer of a layer that cannot count its input.
var unknownCounts = tensor.Counts{Unknown: 1}

// opCounts returns the counts that op declares for these shapes.
func opCounts(op tensor.Op, out []int, ins ...[]int) tensor.Counts {
	return op.CountsFor(out, ins)
}

func numel(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}

// Counts returns the multiplications and additions of x·Wᵀ+b.
func (l *Linear) Counts(in []int) (tensor.Counts, []int) {
	if len(in) == 0 || in[len(in)-1] != l.In {
		return unknownCounts, nil
	}
	out := append(append([]int(nil), in[:len(in)-1]...), l.Out)
	var b []int
	if l.Bias != nil {
		b = []int{l.Out}
	}
	rows := numel(in) / max(l.In, 1)
	return opCounts(tensor.Op{Kind: tensor.OpLinear}, []int{rows, l.Out}, []int{rows, l.In}, []int{l.Out, l.In}, b), out
}

// ReceptiveField returns FieldAll: every output sees the whole input.
func (l *Linear) ReceptiveField() tensor.FieldRule { return tensor.FieldRule{Kind: tensor.FieldAll} }

func (c *Conv2d) window() tensor.Window {
	return tensor.Window{Kernel: c.Kernel, Stride: c.Stride, Pad: c.Padding, Dilation: c.Dilation}
}

// windowOut returns the [N, F, OH, OW] output of window w on in [N, C, H,
// W], or nil when it does not fit.
func windowOut(in []int, f int, w tensor.Window) []int {
	if len(in) != 4 {
		return nil
	}
	out := []int{in[0], f, 0, 0}
	span := w.Span()
	for i := range 2 {
		s := max(w.Stride[i], 1)
		out[2+i] = (in[2+i]+2*w.Pad[i]-span[i])/s + 1
		if in[2+i]+2*w.Pad[i] < span[i] {
			return nil
		}
	}
	return out
}

// Counts returns the multiplications and additions of the convolution.
func (c *Conv2d) Counts(in []int) (tensor.Counts, []int) {
	out := windowOut(in, c.Out, c.window())
	if out == nil || in[1] != c.In {
		return unknownCounts, nil
	}
	var b []int
	if c.Bias != nil {
		b = []int{c.Out}
	}
	op := tensor.Op{Kind: tensor.OpConv2d, Window: c.window()}
	return opCounts(op, out, in, []int{c.Out, c.In, c.Kernel[0], c.Kernel[1]}, b), out
}

// ReceptiveField returns the convolution's window.
func (c *Conv2d) ReceptiveField() tensor.FieldRule {
	return tensor.FieldRule{Kind: tensor.FieldWindow, Window: c.window()}
}

func poolWindow(k, s, p [2]int) tensor.Window {
	return tensor.Window{Kernel: k, Stride: s, Pad: p, Dilation: [2]int{1, 1}}
}

// Counts returns the comparisons of max pooling.
func (m *MaxPool2d) Counts(in []int) (tensor.Counts, []int) {
	w := poolWindow(m.Kernel, m.Stride, m.Padding)
	if len(in) != 4 {
		return unknownCounts, nil
	}
	out := windowOut(in, in[1], w)
	if out == nil {
		return unknownCounts, nil
	}
	return opCounts(tensor.Op{Kind: tensor.OpMaxPool2d, Window: w}, out, in), out
}

// ReceptiveField returns the pooling window.
func (m *MaxPool2d) ReceptiveField() tensor.FieldRule {
	return tensor.FieldRule{Kind: tensor.FieldWindow, Window: poolWindow(m.Kernel, m.Stride, m.Padding)}
}

// Counts returns the additions and divisions of average pooling.
func (a *AvgPool2d) Counts(in []int) (tensor.Counts, []int) {
	w := poolWindow(a.Kernel, a.Stride, a.Padding)
	if len(in) != 4 {
		return unknownCounts, nil
	}
	out := windowOut(in, in[1], w)
	if out == nil {
		return unknownCounts, nil
	}
	return opCounts(tensor.Op{Kind: tensor.OpAvgPool2d, Window: w}, out, in), out
}

// ReceptiveField returns the pooling window.
func (a *AvgPool2d) ReceptiveField() tensor.FieldRule {
	return tensor.FieldRule{Kind: tensor.FieldWindow, Window: poolWindow(a.Kernel, a.Stride, a.Padding)}
}

// Counts returns the comparisons of global max pooling.
func (g *GlobalMaxPool2d) Counts(in []int) (tensor.Counts, []int) {
	if len(in) != 4 {
		return unknownCounts, nil
	}
	out := in[:2:2]
	return opCounts(tensor.Op{Kind: tensor.OpGlobalMaxPool2d}, out, in), out
}

// ReceptiveField returns FieldAll.
func (g *GlobalMaxPool2d) ReceptiveField() tensor.FieldRule {
	return tensor.FieldRule{Kind: tensor.FieldAll}
}

// Counts returns the additions and divisions of global average pooling.
func (g *GlobalAvgPool2d) Counts(in []int) (tensor.Counts, []int) {
	if len(in) != 4 {
		return unknownCounts, nil
	}
	out := in[:2:2]
	return opCounts(tensor.Op{Kind: tensor.OpGlobalAvgPool2d}, out, in), out
}

// ReceptiveField returns FieldAll.
func (g *GlobalAvgPool2d) ReceptiveField() tensor.FieldRule {
	return tensor.FieldRule{Kind: tensor.FieldAll}
}

// Counts returns the operations of batch normalisation in the layer's
// current mode (batch statistics in training mode, running statistics in
// evaluation mode).
func (b *BatchNorm) Counts(in []int) (tensor.Counts, []int) {
	if len(in) < 2 || in[1] != b.NumFeatures {
		return unknownCounts, nil
	}
	var g, bias []int
	if b.Weight != nil {
		g = []int{b.NumFeatures}
	}
	if b.Bias != nil {
		bias = []int{b.NumFeatures}
	}
	op := tensor.Op{Kind: tensor.OpBatchNorm, Training: !b.eval, Momentum: b.Momentum, Eps: b.Eps}
	return opCounts(op, in, in, g, bias), in
}

// ReceptiveField returns FieldSame: a per-channel map.
func (b *BatchNorm) ReceptiveField() tensor.FieldRule {
	return tensor.FieldRule{Kind: tensor.FieldSame}
}

// kind returns the tensor op the activation records.
func (a *elementwise) kind() tensor.OpKind {
	switch a.name {
	case "ReLU":
		return tensor.OpReLU
	case "LeakyReLU":
		return tensor.OpLeakyReLU
	case "Sigmoid":
		return tensor.OpSigmoid
	case "Tanh":
		return tensor.OpTanh
	case "Softplus":
		return tensor.OpSoftplus
	}
	return tensor.OpNone
}

// Counts returns one function evaluation per element.
func (a *elementwise) Counts(in []int) (tensor.Counts, []int) {
	k := a.kind()
	if k == tensor.OpNone {
		return unknownCounts, nil
	}
	return opCounts(tensor.Op{Kind: k}, in, in), in
}

// ReceptiveField returns FieldSame.
func (a *elementwise) ReceptiveField() tensor.FieldRule {
	return tensor.FieldRule{Kind: tensor.FieldSame}
}

// Counts returns the exponentials, additions and divisions of the softmax.
func (s *Softmax) Counts(in []int) (tensor.Counts, []int) {
	axis := s.Axis
	if axis < 0 {
		axis += len(in)
	}
	if axis < 0 || axis >= len(in) {
		return unknownCounts, nil
	}
	return opCounts(tensor.Op{Kind: tensor.OpSoftmax, Axis: axis}, in, in), in
}

// ReceptiveField returns FieldSame over the batch or channel axis, FieldAll
// over a spatial one.
func (s *Softmax) ReceptiveField() tensor.FieldRule {
	if s.Axis == 0 || s.Axis == 1 {
		return tensor.FieldRule{Kind: tensor.FieldSame}
	}
	return tensor.FieldRule{Kind: tensor.FieldAll}
}

// Counts returns no operations: flattening is a view.
func (f *Flatten) Counts(in []int) (tensor.Counts, []int) {
	if len(in) == 0 {
		return tensor.Counts{}, []int{1}
	}
	return tensor.Counts{}, []int{in[0], numel(in[1:])}
}

// ReceptiveField returns FieldSame: the positions are only relabelled.
func (f *Flatten) ReceptiveField() tensor.FieldRule { return tensor.FieldRule{Kind: tensor.FieldSame} }

// Counts returns one product per element in training mode (none for P =
// 0 or in evaluation mode, where the layer is the identity).
func (d *Dropout) Counts(in []int) (tensor.Counts, []int) {
	if d.eval || d.P == 0 {
		return tensor.Counts{}, in
	}
	return opCounts(tensor.Op{Kind: tensor.OpDropout, P: d.P}, in, in), in
}

// ReceptiveField returns FieldSame.
func (d *Dropout) ReceptiveField() tensor.FieldRule { return tensor.FieldRule{Kind: tensor.FieldSame} }

// Counts returns the sum of the layers' counts, each on the previous
// layer's output shape. A layer that does not declare its counts makes
// the rest unknown.
func (s *Sequential) Counts(in []int) (tensor.Counts, []int) {
	var total tensor.Counts
	shape := in
	for _, l := range s.Layers {
		c, ok := l.(Counter)
		if !ok {
			return total.Plus(unknownCounts), nil
		}
		var k tensor.Counts
		k, shape = c.Counts(shape)
		total = total.Plus(k)
		if shape == nil {
			return total, nil
		}
	}
	return total, shape
}

// ReceptiveField composes the layers' rules in order (FieldUnknown for a
// layer that declares none).
func (s *Sequential) ReceptiveField() tensor.FieldRule {
	r := tensor.FieldRule{Kind: tensor.FieldSame}
	for _, l := range s.Layers {
		next := tensor.FieldRule{}
		if f, ok := l.(FieldRuler); ok {
			next = f.ReceptiveField()
		}
		r = r.Then(next)
	}
	return r
}

// bceOp declares the fused binary cross-entropy −mean(y·log p + (1−y)·
// log(1−p)) over n elements: 2n logs, 2n products, 3n additions (1−p,
// 1−y, the two terms), n−1 additions for the sum and one multiplication
// by 1/n. Its Jacobians are a single dense row; it has no receptive field
// of its own (a loss sees everything).
var bceOp = &tensor.OpDef{Name: "BCE", Symbol: "BCE",
	Counts: func(_ *tensor.Op, _ []int, ins [][]int) tensor.Counts {
		n := int64(numel(ins[0]))
		return tensor.Counts{Mul: 2*n + 1, Add: 4*n - 1, Other: 2 * n}
	},
	Jacobian: func(_ *tensor.Op, out []int, ins [][]int, i int) tensor.Structure {
		return tensor.NewStructure(tensor.StructDense, numel(out), numel(ins[i]), 0)
	},
	Field: func(*tensor.Op, []int, [][]int) tensor.FieldRule { return tensor.FieldRule{Kind: tensor.FieldAll} },
}

// Counts returns no operations: reshaping is a view.
func (r *Reshape) Counts(in []int) (tensor.Counts, []int) {
	out, err := r.outShape(in)
	if err != nil {
		return unknownCounts, nil
	}
	return tensor.Counts{}, out
}

// ReceptiveField returns FieldSame: the positions are only relabelled.
func (r *Reshape) ReceptiveField() tensor.FieldRule { return tensor.FieldRule{Kind: tensor.FieldSame} }

// Counts returns no operations: unflattening is a view.
func (u *Unflatten) Counts(in []int) (tensor.Counts, []int) {
	out, err := u.outShape(in)
	if err != nil {
		return unknownCounts, nil
	}
	return tensor.Counts{}, out
}

// ReceptiveField returns FieldSame: the positions are only relabelled.
func (u *Unflatten) ReceptiveField() tensor.FieldRule {
	return tensor.FieldRule{Kind: tensor.FieldSame}
}

// Counts returns the comparisons of the maxima.
func (g *GlobalMaxPool) Counts(in []int) (tensor.Counts, []int) {
	axes, err := poolAxes("", g.Axes, in)
	if err != nil {
		return unknownCounts, nil
	}
	out := reducedShape(in, axes, g.KeepDim)
	return opCounts(tensor.Op{Kind: tensor.OpAmax, Axes: axes, KeepDim: g.KeepDim}, out, in), out
}

// ReceptiveField returns FieldAll when the pooled axes include a spatial
// one (2 or more), else FieldSame.
func (g *GlobalMaxPool) ReceptiveField() tensor.FieldRule { return poolField(g.Axes) }

// Counts returns the additions of the sums and the products by 1/n.
func (g *GlobalAvgPool) Counts(in []int) (tensor.Counts, []int) {
	axes, err := poolAxes("", g.Axes, in)
	if err != nil {
		return unknownCounts, nil
	}
	out := reducedShape(in, axes, g.KeepDim)
	sum := opCounts(tensor.Op{Kind: tensor.OpSum, Axes: axes, KeepDim: g.KeepDim}, out, in)
	return sum.Plus(opCounts(tensor.Op{Kind: tensor.OpMul}, out, out, []int{})), out
}

// ReceptiveField returns FieldAll when the pooled axes include a spatial
// one (2 or more), else FieldSame.
func (g *GlobalAvgPool) ReceptiveField() tensor.FieldRule { return poolField(g.Axes) }

// poolField is the receptive-field rule of global pooling over axes
// (none: the spatial axes).
func poolField(axes []int) tensor.FieldRule {
	if len(axes) == 0 {
		return tensor.FieldRule{Kind: tensor.FieldAll}
	}
	for _, a := range axes {
		if a >= 2 || a < 0 {
			return tensor.FieldRule{Kind: tensor.FieldAll}
		}
	}
	return tensor.FieldRule{Kind: tensor.FieldSame}
}

// Counts returns the square, the two products and the sum of
// (x∘x)·Aᵀ + x·Bᵀ + c.
func (q *Quadratic) Counts(in []int) (tensor.Counts, []int) {
	if len(in) != 2 || in[1] != q.In {
		return unknownCounts, nil
	}
	out := []int{in[0], q.Out}
	w := []int{q.Out, q.In}
	c := opCounts(tensor.Op{Kind: tensor.OpSquare}, in, in)
	c = c.Plus(opCounts(tensor.Op{Kind: tensor.OpLinear}, out, in, w, nil))
	c = c.Plus(opCounts(tensor.Op{Kind: tensor.OpLinear}, out, in, w, []int{q.Out}))
	return c.Plus(opCounts(tensor.Op{Kind: tensor.OpAdd}, out, out, out)), out
}

// ReceptiveField returns FieldAll: every output sees the whole input.
func (q *Quadratic) ReceptiveField() tensor.FieldRule { return tensor.FieldRule{Kind: tensor.FieldAll} }

// Counts returns the sigmoid, the product and (β ≠ 1) the scaling per
// element.
func (s *Swish) Counts(in []int) (tensor.Counts, []int) {
	c := opCounts(tensor.Op{Kind: tensor.OpSigmoid}, in, in).Plus(opCounts(tensor.Op{Kind: tensor.OpMul}, in, in, in))
	if s.Beta != 1 {
		c = c.Plus(opCounts(tensor.Op{Kind: tensor.OpMul}, in, in, []int{}))
	}
	return c, in
}

// ReceptiveField returns FieldSame.
func (s *Swish) ReceptiveField() tensor.FieldRule { return tensor.FieldRule{Kind: tensor.FieldSame} }

// Counts returns the operations of the recurrent ops (tensor.Recurrent)
// of every layer and direction for an input x of shape in ([T, N, I], or
// [N, T, I] batch first), in evaluation mode, and the output's shape.
func (r *recurrent) Counts(in []int) (tensor.Counts, []int) {
	if len(in) != 3 || in[2] != r.InputSize {
		return unknownCounts, nil
	}
	T, N := in[0], in[1]
	if r.BatchFirst {
		T, N = N, T
	}
	kind := map[tensor.RecurrentCell]tensor.OpKind{tensor.CellRNN: tensor.OpRNN, tensor.CellLSTM: tensor.OpLSTM, tensor.CellGRU: tensor.OpGRU}[r.cell]
	var c tensor.Counts
	for _, ws := range r.Weights {
		for _, w := range ws {
			var bhh []int
			if w.BiasHH != nil {
				bhh = w.BiasHH.Shape()
			}
			c = c.Plus(opCounts(tensor.Op{Kind: kind}, nil, []int{T, N, w.WeightIH.Dim(1)}, w.WeightIH.Shape(), w.WeightHH.Shape(), w.BiasIH.Shape(), bhh, nil, nil))
		}
	}
	return c, []int{in[0], in[1], r.dirs() * r.HiddenSize}
}
