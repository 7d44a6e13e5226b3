package nn

import (
	"fmt"

	"github.com/duboko/duboko/tensor"
)

// HingeOption configures MultiMargin and MultiClassHinge.
type HingeOption func(*float64)

// Margin sets the hinge's margin δ (default 1).
func Margin(m float64) HingeOption { return func(d *float64) { *d = m } }

// MultiMargin is the multiclass hinge loss of scores [N, C] against labels,
// an Int64 tensor [N] of classes in [0, C), as PyTorch's
// F.multi_margin_loss with its defaults (p = 1, no class weights, mean
// over the batch):
//
//	L = (1/N) Σ_n (1/C) Σ_{j≠y_n} max(0, δ − s_{n,y_n} + s_{n,j})
//
// with margin δ = 1 unless Margin sets it. The sum over classes is divided
// by C, as in PyTorch; the course's (and CS231n's) form without that
// division is C·L. The gradient is hand-derived: for each active term
// (δ − s_y + s_j > 0), +1/(N·C) to s_j and −1/(N·C) to s_y. At a hinge's
// kink (a term exactly 0) the gradient is 0, as in PyTorch.
func MultiMargin(scores, labels *tensor.Tensor, opts ...HingeOption) *tensor.Tensor {
	margin := hingeMargin(opts)
	ys := hingeLabels("MultiMargin", scores, labels)
	n, c := scores.Dim(0), scores.Dim(1)
	var active []bool
	var loss *tensor.Tensor
	tensor.NoGrad(func() {
		var v float64
		v, active = hinge(scores, ys, margin)
		loss = tensor.ScalarOf(scores.DType(), v)
	})
	return tensor.CustomOp(hingeOp, loss, []*tensor.Tensor{scores}, func(g *tensor.Tensor) []*tensor.Tensor {
		return []*tensor.Tensor{hingeGrad(scores, ys, active, g.Item()/float64(n*c))}
	})
}

// hinge returns the loss and, per score, whether its term is active
// (never for the true class).
func hinge(s *tensor.Tensor, ys []int64, margin float64) (float64, []bool) {
	n, c := s.Dim(0), s.Dim(1)
	active := make([]bool, n*c)
	var total float64
	for i := range n {
		sy := s.Flat(i*c + int(ys[i]))
		for j := range c {
			if j == int(ys[i]) {
				continue
			}
			if t := margin - sy + s.Flat(i*c+j); t > 0 {
				total += t
				active[i*c+j] = true
			}
		}
	}
	return total / float64(n*c), active
}

// hingeGrad returns scale·∂(Σ active terms)/∂s.
func hingeGrad(s *tensor.Tensor, ys []int64, active []bool, scale float64) *tensor.Tensor {
	n, c := s.Dim(0), s.Dim(1)
	g := tensor.ZerosLike(s)
	for i := range n {
		k := 0
		for j := range c {
			if active[i*c+j] {
				g.SetFlat(i*c+j, scale)
				k++
			}
		}
		g.SetFlat(i*c+int(ys[i]), -float64(k)*scale)
	}
	return g
}

// MultiClassHinge is the multiclass hinge loss through the course's
// explicit loss interface (Loss), the bonus task of lab 2: Forward and
// BackwardInputs of MultiMargin, with y either an Int64 tensor of labels
// [N] or one-hot targets [N, C] (as SoftmaxCrossEntropyWithLogits takes).
type MultiClassHinge struct {
	// Margin is δ; 0 means the default 1.
	Margin float64
}

func (h MultiClassHinge) margin() float64 {
	if h.Margin == 0 {
		return 1
	}
	return h.Margin
}

// Forward returns the mean hinge loss of scores x against y.
func (h MultiClassHinge) Forward(x, y *tensor.Tensor) float64 {
	v, _ := hinge(x, hingeTargets(x, y), h.margin())
	return v
}

// BackwardInputs returns ∂L/∂x: 1/(N·C) at every score inside the margin
// of its sample's true class, minus their number times 1/(N·C) at the
// true class.
func (h MultiClassHinge) BackwardInputs(x, y *tensor.Tensor) *tensor.Tensor {
	ys := hingeTargets(x, y)
	_, active := hinge(x, ys, h.margin())
	return hingeGrad(x, ys, active, 1/float64(x.Len()))
}

// hingeTargets returns the labels of y, given as Int64 labels [N] or as
// one-hot rows [N, C] (the class of each row's largest entry).
func hingeTargets(x, y *tensor.Tensor) []int64 {
	if y.DType() == tensor.Int64 {
		return hingeLabels("MultiClassHinge", x, y)
	}
	lossShapes("MultiClassHinge", x, y)
	if x.NDim() != 2 {
		panic(&tensor.ShapeError{Op: "MultiClassHinge", Shapes: [][]int{x.Shape()}, Msg: "want scores [N, C]"})
	}
	var idx *tensor.Tensor
	tensor.NoGrad(func() { idx = tensor.Argmax(y.Detach(), 1) })
	return idx.Int64s()
}

// hingeLabels checks scores [N, C] and Int64 labels [N] in [0, C) and
// returns the labels.
func hingeLabels(op string, scores, labels *tensor.Tensor) []int64 {
	if scores.NDim() != 2 || labels.NDim() != 1 || scores.Dim(0) != labels.Dim(0) {
		panic(&tensor.ShapeError{Op: op, Shapes: [][]int{scores.Shape(), labels.Shape()}, Msg: "want scores [N, C] and labels [N]"})
	}
	if labels.DType() != tensor.Int64 {
		panic(&tensor.DTypeError{Op: op, DTypes: []tensor.DType{labels.DType()}, Shapes: [][]int{labels.Shape()},
			Msg: "labels must be an Int64 tensor; build them with tensor.FromInts or convert with tensor.To(y, tensor.Int64)"})
	}
	if !scores.DType().IsFloat() {
		panic(&tensor.DTypeError{Op: op, DTypes: []tensor.DType{scores.DType()}, Shapes: [][]int{scores.Shape()},
			Msg: "scores must be float; convert with tensor.To(x, tensor.Float32)"})
	}
	c := scores.Dim(1)
	ys := labels.Int64s()
	for i, l := range ys {
		if l < 0 || l >= int64(c) {
			panic(&tensor.ShapeError{Op: op, Shapes: [][]int{scores.Shape()}, Msg: fmt.Sprintf("label %d of sample %d is outside [0, %d)", l, i, c)})
		}
	}
	return ys
}

func hingeMargin(opts []HingeOption) float64 {
	m := 1.0
	for _, o := range opts {
		o(&m)
	}
	return m
}

// hingeOp declares MultiMargin over scores [N, C]: per sample C−1 terms
// δ − s_y + s_j (2 additions each) clamped at 0 (one comparison each) and
// summed (C−2 additions), the N sums added (N−1) and scaled by 1/(N·C)
// (one multiplication). Its Jacobian is one dense row; a loss sees every
// position.
var hingeOp = &tensor.OpDef{Name: "MultiMargin", Symbol: "hinge",
	Counts: func(_ *tensor.Op, _ []int, ins [][]int) tensor.Counts {
		n, c := int64(ins[0][0]), int64(ins[0][1])
		return tensor.Counts{Mul: 1, Add: n*(2*(c-1)+c-2) + n - 1, Other: n * (c - 1)}
	},
	Jacobian: func(_ *tensor.Op, out []int, ins [][]int, i int) tensor.Structure {
		return tensor.NewStructure(tensor.StructDense, numel(out), numel(ins[i]), 0)
	},
	Field: func(*tensor.Op, []int, [][]int) tensor.FieldRule { return tensor.FieldRule{Kind: tensor.FieldAll} },
}
