package nn

import (
	"fmt"
	"math"

	"github.com/duboko/duboko/tensor"
)

func lossShapes(op string, a, b *tensor.Tensor) {
	sa, sb := a.Shape(), b.Shape()
	if len(sa) != len(sb) {
		panic(&tensor.ShapeError{Op: op, Shapes: [][]int{sa, sb}, Msg: "prediction and target shapes differ"})
	}
	for i := range sa {
		if sa[i] != sb[i] {
			panic(&tensor.ShapeError{Op: op, Shapes: [][]int{sa, sb}, Msg: "prediction and target shapes differ"})
		}
	}
}

// MSE is the mean squared error mean((pred − target)²) over all elements.
func MSE(pred, target *tensor.Tensor) *tensor.Tensor {
	lossShapes("MSE", pred, target)
	return tensor.Mean(tensor.Square(tensor.Sub(pred, target)))
}

// BCE is the binary cross-entropy of probabilities p against targets y in
// [0, 1]: −mean(y·log p + (1−y)·log(1−p)). As in PyTorch, each log is
// clamped to ≥ −100 so that p = 0 or 1 gives a finite loss, and the
// gradient is PyTorch's (p − y)/max(p(1−p), 1e-12)/N, which stays finite
// where p is exactly 0 or 1 (a saturated float32 sigmoid); the gradient
// with respect to y is (log(1−p) − log p)/N with the clamped logs.
func BCE(p, y *tensor.Tensor) *tensor.Tensor {
	const bceEps = float64(float32(1e-12)) // PyTorch's EPSILON, as its kernel rounds it
	lossShapes("BCE", p, y)
	var loss, lp, lq *tensor.Tensor
	tensor.NoGrad(func() {
		one := tensor.FullOf(p.DType(), 1)
		lp = tensor.Clamp(tensor.Log(p), -100, math.Inf(1))
		lq = tensor.Clamp(tensor.Log(tensor.Sub(one, p)), -100, math.Inf(1))
		loss = tensor.Neg(tensor.Mean(tensor.Add(tensor.Mul(y, lp), tensor.Mul(tensor.Sub(one, y), lq))))
	})
	n := float64(p.Len())
	return tensor.CustomOp(bceOp, loss, []*tensor.Tensor{p, y}, func(g *tensor.Tensor) []*tensor.Tensor {
		gs := g.Item() / n
		var gp, gy *tensor.Tensor
		if p.RequiresGrad() {
			gp = tensor.ZerosLike(p)
			for i := range p.Len() {
				pv, yv := p.Flat(i), y.Flat(i)
				gp.SetFlat(i, gs*(pv-yv)/math.Max(pv*(1-pv), bceEps))
			}
		}
		if y.RequiresGrad() {
			gy = tensor.ZerosLike(y)
			for i := range y.Len() {
				gy.SetFlat(i, gs*(lq.Flat(i)-lp.Flat(i)))
			}
		}
		return []*tensor.Tensor{gp, gy}
	})
}

// BCEWithLogits is BCE(σ(s), y) computed stably from logits s:
// mean(softplus(s) − s·y).
func BCEWithLogits(s, y *tensor.Tensor) *tensor.Tensor {
	lossShapes("BCEWithLogits", s, y)
	return tensor.Mean(tensor.Sub(tensor.Softplus(s), tensor.Mul(s, y)))
}

// CrossEntropy is the softmax cross-entropy of logits [N, C] against
// labels, an Int64 tensor [N] of classes in [0, C) (tensor.FromInts makes
// one from []int), averaged over the batch: −mean_n log softmax(s_n)[y_n].
func CrossEntropy(logits, labels *tensor.Tensor) *tensor.Tensor {
	if logits.NDim() != 2 || labels.NDim() != 1 || logits.Dim(0) != labels.Dim(0) {
		panic(&tensor.ShapeError{Op: "CrossEntropy", Shapes: [][]int{logits.Shape(), labels.Shape()}, Msg: "want logits [N, C] and labels [N]"})
	}
	if labels.DType() != tensor.Int64 {
		panic(&tensor.DTypeError{Op: "CrossEntropy", DTypes: []tensor.DType{labels.DType()}, Shapes: [][]int{labels.Shape()},
			Msg: "labels must be an Int64 tensor; build them with tensor.FromInts or convert with tensor.To(y, tensor.Int64)"})
	}
	c := logits.Dim(1)
	for i, l := range labels.Int64s() {
		if l < 0 || l >= int64(c) {
			panic(&tensor.ShapeError{Op: "CrossEntropy", Shapes: [][]int{logits.Shape()}, Msg: fmt.Sprintf("label %d of sample %d is outside [0, %d)", l, i, c)})
		}
	}
	return tensor.Neg(tensor.Mean(tensor.Gather(tensor.LogSoftmax(logits, 1), 1, labels)))
}

// CrossEntropyOneHot is CrossEntropy with one-hot (or soft) targets
// [N, C]: −mean_n Σ_c y_nc log softmax(s_n)_c.
func CrossEntropyOneHot(logits, y *tensor.Tensor) *tensor.Tensor {
	lossShapes("CrossEntropyOneHot", logits, y)
	if logits.NDim() != 2 {
		panic(&tensor.ShapeError{Op: "CrossEntropyOneHot", Shapes: [][]int{logits.Shape()}, Msg: "want logits [N, C]"})
	}
	per := tensor.Sum(tensor.Mul(y, tensor.LogSoftmax(logits, 1)), 1)
	return tensor.Neg(tensor.Mean(per))
}

// L2 returns λ·Σ_p ‖p‖² over the given parameters. Convention: the
// penalty is λ‖w‖² (not λ/2‖w‖²), so its gradient is 2λw; SGD's
// weight_decay wd corresponds to λ = wd/2.
func L2(lambda float64, params ...*tensor.Tensor) *tensor.Tensor {
	if len(params) == 0 {
		return tensor.Scalar(0)
	}
	var s *tensor.Tensor
	for _, p := range params {
		t := tensor.Sum(tensor.Square(p))
		if s == nil {
			s = t
		} else {
			s = tensor.Add(s, t)
		}
	}
	return tensor.MulScalar(s, lambda)
}

// Regularized returns dataLoss plus every regulariser term.
func Regularized(dataLoss *tensor.Tensor, terms ...*tensor.Tensor) *tensor.Tensor {
	for _, t := range terms {
		dataLoss = tensor.Add(dataLoss, t)
	}
	return dataLoss
}
