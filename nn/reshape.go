package nn

import (
	"fmt"

	"github.com/duboko/duboko/tensor"
)

// Reshape gives each sample a new shape, keeping the batch axis: [N, ...]
// → [N, Shape...], as x.view(x.size(0), *shape) in PyTorch (Keras'
// Reshape layer). One size may be −1 and is then inferred. With Flatten
// and Unflatten it lets a Sequential move between image and vector
// layouts, as a generator's FC → [C, H, W] step does.
type Reshape struct {
	noParams
	Shape []int

	xShape []int
}

// NewReshape returns a layer reshaping each sample to shape.
func NewReshape(shape ...int) *Reshape { return &Reshape{Shape: append([]int(nil), shape...)} }

// Forward returns x viewed as [N, Shape...] (sharing x's data).
func (r *Reshape) Forward(x *tensor.Tensor) *tensor.Tensor {
	out, err := r.outShape(x.Shape())
	if err != nil {
		panic(err)
	}
	r.xShape = x.Shape()
	return tensor.Reshape(x, out...)
}

// BackwardInputs reshapes the gradient back to the input's shape.
func (r *Reshape) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	return reshapeBack("Reshape", r.xShape, r.outShape, grad)
}

// outShape returns the output shape for input shape in, or a
// *tensor.ShapeError naming the layer.
func (r *Reshape) outShape(in []int) ([]int, error) {
	if len(in) == 0 {
		return nil, &tensor.ShapeError{Op: "Reshape", Shapes: [][]int{in, r.Shape}, Msg: "want a batch axis"}
	}
	per, err := inferSizes("Reshape", numel(in[1:]), r.Shape, in)
	if err != nil {
		return nil, err
	}
	return append([]int{in[0]}, per...), nil
}

// Unflatten expands one axis of its input into several, as
// torch.nn.Unflatten(dim, sizes): NewUnflatten(1, 16, 7, 7) turns [N, 784]
// into [N, 16, 7, 7]. Axis counts the batch axis (axis 0) and may be
// negative; one size may be −1 and is then inferred.
type Unflatten struct {
	noParams
	Axis  int
	Sizes []int

	xShape []int
}

// NewUnflatten returns a layer expanding axis into sizes.
func NewUnflatten(axis int, sizes ...int) *Unflatten {
	return &Unflatten{Axis: axis, Sizes: append([]int(nil), sizes...)}
}

// Forward returns x with the axis expanded (sharing x's data).
func (u *Unflatten) Forward(x *tensor.Tensor) *tensor.Tensor {
	out, err := u.outShape(x.Shape())
	if err != nil {
		panic(err)
	}
	u.xShape = x.Shape()
	return tensor.Reshape(x, out...)
}

// BackwardInputs reshapes the gradient back to the input's shape.
func (u *Unflatten) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	return reshapeBack("Unflatten", u.xShape, u.outShape, grad)
}

// outShape returns the output shape for input shape in, or a
// *tensor.ShapeError naming the layer.
func (u *Unflatten) outShape(in []int) ([]int, error) {
	a := u.Axis
	if a < 0 {
		a += len(in)
	}
	if a < 0 || a >= len(in) {
		return nil, &tensor.ShapeError{Op: "Unflatten", Shapes: [][]int{in}, Msg: fmt.Sprintf("axis %d out of range for %d axes", u.Axis, len(in))}
	}
	sizes, err := inferSizes("Unflatten", in[a], u.Sizes, in)
	if err != nil {
		return nil, err
	}
	out := append(append(append([]int(nil), in[:a]...), sizes...), in[a+1:]...)
	return out, nil
}

// inferSizes returns sizes with a −1 replaced so that their product is n,
// or a *tensor.ShapeError for op when they cannot hold n elements.
func inferSizes(op string, n int, sizes, in []int) ([]int, error) {
	out := append([]int(nil), sizes...)
	infer, known := -1, 1
	for i, s := range out {
		switch {
		case s == -1 && infer < 0:
			infer = i
		case s < 0:
			return nil, &tensor.ShapeError{Op: op, Shapes: [][]int{in, sizes}, Msg: "invalid sizes (at most one −1, others ≥ 0)"}
		default:
			known *= s
		}
	}
	if infer >= 0 && known == 0 {
		return nil, &tensor.ShapeError{Op: op, Shapes: [][]int{in, sizes}, Msg: "a −1 beside a size 0 is ambiguous"}
	}
	if infer >= 0 && n%known == 0 { // known > 0 here
		out[infer] = n / known
		known = n
	}
	if known != n {
		return nil, &tensor.ShapeError{Op: op, Shapes: [][]int{in, sizes}, Msg: fmt.Sprintf("%d elements do not fit the sizes", n)}
	}
	return out, nil
}

// reshapeBack is the explicit backward pass of a reshaping layer whose
// last input had shape xShape: grad, checked against the output shape,
// reshaped to xShape (a copy, so that the caller's grad is never shared).
func reshapeBack(layer string, xShape []int, outShape func([]int) ([]int, error), grad *tensor.Tensor) *tensor.Tensor {
	if xShape == nil {
		mustInput(layer, nil)
	}
	want, _ := outShape(xShape)
	checkGradShape(layer, grad, want)
	return tensor.Reshape(grad.Clone(), xShape...)
}
