package nn

import (
	"fmt"
	"slices"

	"github.com/duboko/duboko/tensor"
)

// GlobalMaxPool reduces its input to the maximum over the given axes, for
// inputs of any rank: NewGlobalMaxPool(2, 3) over the planes of
// [N,C,H,W] (as GlobalMaxPool2d), NewGlobalMaxPool(1) over the time steps
// of [N,T,D], NewGlobalMaxPool(2) over the positions of [N,C,L]. With no
// axes it reduces every axis after the channel axis (2, 3, …). The axes
// are removed unless KeepDim is set. Each output's gradient is split
// evenly among the input elements equal to its maximum, as in the course's
// max pooling and PyTorch's amax (GlobalMaxPool2d gives it to the first
// one, as PyTorch's max pooling does).
type GlobalMaxPool struct {
	noParams
	Axes    []int
	KeepDim bool

	x, y *tensor.Tensor // last input, and its maxima with the axes kept
	axes []int          // the last input's reduced axes, normalised
}

// NewGlobalMaxPool returns global max pooling over axes (default: every
// axis from 2 on).
func NewGlobalMaxPool(axes ...int) *GlobalMaxPool {
	return &GlobalMaxPool{Axes: append([]int(nil), axes...)}
}

// Forward returns the maxima over the axes.
func (g *GlobalMaxPool) Forward(x *tensor.Tensor) *tensor.Tensor {
	axes := mustPoolAxes("GlobalMaxPool", g.Axes, x.Shape())
	reduce := tensor.Amax
	if g.KeepDim {
		reduce = tensor.AmaxKeepDim
	}
	y := reduce(x, axes...)
	g.x, g.axes = x, axes
	g.y = tensor.Reshape(y.Detach(), reducedShape(x.Shape(), axes, true)...)
	return y
}

// BackwardInputs returns ∂L/∂x: each output gradient divided among the
// input elements equal to that output's maximum, zero elsewhere.
func (g *GlobalMaxPool) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	mustInput("GlobalMaxPool", g.x)
	checkGradShape("GlobalMaxPool", grad, reducedShape(g.x.Shape(), g.axes, g.KeepDim))
	var dx *tensor.Tensor
	tensor.NoGrad(func() {
		hit := tensor.Equal(g.x.Detach(), g.y)                      // 1 at every maximum
		share := tensor.Div(hit, tensor.SumKeepDim(hit, g.axes...)) // 1/ties there
		dx = tensor.Mul(share, tensor.Reshape(grad.Detach(), g.y.Shape()...))
	})
	return dx
}

// GlobalAvgPool reduces its input to the mean over the given axes, for
// inputs of any rank (see GlobalMaxPool for the axes and KeepDim).
type GlobalAvgPool struct {
	noParams
	Axes    []int
	KeepDim bool

	xShape []int
	axes   []int
}

// NewGlobalAvgPool returns global average pooling over axes (default:
// every axis from 2 on).
func NewGlobalAvgPool(axes ...int) *GlobalAvgPool {
	return &GlobalAvgPool{Axes: append([]int(nil), axes...)}
}

// Forward returns the means over the axes.
func (g *GlobalAvgPool) Forward(x *tensor.Tensor) *tensor.Tensor {
	axes := mustPoolAxes("GlobalAvgPool", g.Axes, x.Shape())
	g.xShape, g.axes = x.Shape(), axes
	if g.KeepDim {
		return tensor.MeanKeepDim(x, axes...)
	}
	return tensor.Mean(x, axes...)
}

// BackwardInputs returns ∂L/∂x: each output gradient divided by the
// number of elements averaged, spread over them.
func (g *GlobalAvgPool) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	if g.xShape == nil {
		mustInput("GlobalAvgPool", nil)
	}
	keep := reducedShape(g.xShape, g.axes, true)
	checkGradShape("GlobalAvgPool", grad, reducedShape(g.xShape, g.axes, g.KeepDim))
	var dx *tensor.Tensor
	tensor.NoGrad(func() {
		n := numel(g.xShape) / max(numel(keep), 1)
		dx = tensor.Expand(tensor.MulScalar(tensor.Reshape(grad.Detach(), keep...), 1/float64(n)), g.xShape...)
	})
	return dx
}

// poolAxes returns the normalised, sorted axes to pool over for an input
// of shape in: the given ones, or every axis from 2 on; or a
// *tensor.ShapeError naming the layer when there are none or one is out
// of range.
func poolAxes(layer string, axes, in []int) ([]int, error) {
	if len(axes) == 0 {
		if len(in) <= 2 {
			return nil, &tensor.ShapeError{Op: layer, Shapes: [][]int{in}, Msg: "no axis after the channel axis to pool over; name the axes"}
		}
		for a := 2; a < len(in); a++ {
			axes = append(axes, a)
		}
		return axes, nil
	}
	out := make([]int, len(axes))
	for i, a := range axes {
		if a < 0 {
			a += len(in)
		}
		if a < 0 || a >= len(in) {
			return nil, &tensor.ShapeError{Op: layer, Shapes: [][]int{in}, Msg: fmt.Sprintf("axis %d out of range for %d axes", axes[i], len(in))}
		}
		out[i] = a
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// mustPoolAxes is poolAxes, panicking with its error.
func mustPoolAxes(layer string, axes, in []int) []int {
	out, err := poolAxes(layer, axes, in)
	if err != nil {
		panic(err)
	}
	return out
}

// reducedShape is shape without the given (sorted) axes, or with them set
// to 1 when keep is set.
func reducedShape(shape, axes []int, keep bool) []int {
	out := []int{}
	for i, s := range shape {
		switch {
		case !slices.Contains(axes, i):
			out = append(out, s)
		case keep:
			out = append(out, 1)
		}
	}
	return out
}
