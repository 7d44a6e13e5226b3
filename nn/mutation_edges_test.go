package nn_test

import (
	"errors"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestCrossEntropyLabelRange checks that a label equal to the number of
// classes is refused by CrossEntropy itself, naming the loss.
func TestCrossEntropyLabelRange(t *testing.T) {
	logits := tensor.ZerosOf(tensor.Float64, 2, 3)
	for _, l := range []int{3, -1} {
		func() {
			defer func() {
				err, _ := recover().(error)
				var se *tensor.ShapeError
				if !errors.As(err, &se) || se.Op != "CrossEntropy" {
					t.Errorf("label %d of 3 classes: recovered %v, want a ShapeError of CrossEntropy", l, err)
				}
			}()
			nn.CrossEntropy(logits, tensor.FromInts([]int{0, l}))
		}()
	}
	if v := nn.CrossEntropy(logits, tensor.FromInts([]int{0, 2})).Item(); v <= 0 {
		t.Fatalf("loss %v", v)
	}
}

// TestAsMultiSelectRoundTrip checks the documented identity
// AsMulti(Select(AsMulti(l), 0)) = AsMulti(l).
func TestAsMultiSelectRoundTrip(t *testing.T) {
	m := nn.AsMulti(nn.NewReLU())
	if got := nn.AsMulti(nn.Select(m, 0)); got != m {
		t.Fatalf("AsMulti(Select(m, 0)) = %v, want m itself", got)
	}
}
