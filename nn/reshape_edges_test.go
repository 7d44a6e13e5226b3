package nn_test

import (
	"errors"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestUnflattenEdges checks Unflatten's refusals: an axis one past the
// last, and a −1 beside a size 0 (any size would do, as PyTorch says); both
// are ShapeErrors naming the layer, not index or division panics.
func TestUnflattenEdges(t *testing.T) {
	for _, c := range []struct {
		name string
		l    *nn.Unflatten
		x    *tensor.Tensor
	}{
		{"axis 2 of 2", nn.NewUnflatten(2, 1, 3), tensor.ZerosOf(tensor.Float32, 2, 3)},
		{"sizes (0, −1) of 0 elements", nn.NewUnflatten(1, 0, -1), tensor.ZerosOf(tensor.Float32, 2, 0)},
	} {
		func() {
			defer func() {
				err, _ := recover().(error)
				var se *tensor.ShapeError
				if !errors.As(err, &se) || se.Op != "Unflatten" {
					t.Errorf("%s: recovered %v, want a ShapeError of Unflatten", c.name, err)
				}
			}()
			c.l.Forward(c.x)
		}()
	}
	if got := nn.NewUnflatten(0, 2, 1).Forward(tensor.ZerosOf(tensor.Float32, 2, 3)).Shape(); len(got) != 3 || got[0] != 2 || got[1] != 1 {
		t.Fatalf("Unflatten(0, 2, 1) of [2 3]: %v", got)
	}
	if got := nn.NewUnflatten(-1, 1, -1).Forward(tensor.ZerosOf(tensor.Float32, 2, 3)).Shape(); len(got) != 3 || got[2] != 3 {
		t.Fatalf("Unflatten(−1, 1, −1) of [2 3]: %v", got)
	}
}
