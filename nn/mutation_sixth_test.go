package nn_test

import (
	"errors"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestEmbeddingRecordJacobians checks the Jacobian structures the recorded
// Embedding op declares: one non-zero per output element with respect to
// the weight, none with respect to the indices (an integer input).
func TestEmbeddingRecordJacobians(t *testing.T) {
	e := nn.NewEmbedding(tensor.NewRand(1), 5, 3)
	idx := tensor.FromInts([]int{2, 0, 4, 2, 1, 0}, 2, 3)
	y := e.Forward(idx)
	ins := [][]int{e.Weight.Shape(), idx.Shape()}
	op := y.Op()
	if s := op.JacobianFor(y.Shape(), ins, 0); s.Kind != tensor.StructSparse || s.NNZ != 18 || s.Rows != 18 || s.Cols != 15 {
		t.Errorf("∂y/∂weight %+v, want 18×15 with 18 non-zeros", s)
	}
	if s := op.JacobianFor(y.Shape(), ins, 1); s.NNZ != 0 || s.Rows != 18 || s.Cols != 6 {
		t.Errorf("∂y/∂idx %+v, want 18×6 with no non-zeros", s)
	}
}

// TestUnflattenMinusOneFirstBesideZero checks that a −1 as the first size
// beside a size 0 is refused as ambiguous like one in any other place (a
// ShapeError of Unflatten, not a division by zero).
func TestUnflattenMinusOneFirstBesideZero(t *testing.T) {
	defer func() {
		err, _ := recover().(error)
		var se *tensor.ShapeError
		if !errors.As(err, &se) || se.Op != "Unflatten" {
			t.Errorf("recovered %v, want a ShapeError of Unflatten", err)
		}
	}()
	nn.NewUnflatten(1, -1, 0).Forward(tensor.ZerosOf(tensor.Float32, 2, 0))
}

// TestIsTrainingSlicesAndMaps checks that IsTraining looks into the
// slices, arrays and maps' values of a model struct's exported fields, and
// only into their elements (a slice's last element found, nothing past it).
func TestIsTrainingSlicesAndMaps(t *testing.T) {
	rng := tensor.NewRand(1)
	type model struct {
		Blocks []nn.Module
		Pair   [2]nn.Module
		Heads  map[string]nn.Module
	}
	drop := nn.NewDropout(rng, 0.5)
	for _, c := range []struct {
		name string
		m    *model
	}{
		{"slice", &model{Blocks: []nn.Module{nn.NewReLU(), drop}}},
		{"array", &model{Pair: [2]nn.Module{nn.NewTanh(), drop}}},
		{"map", &model{Heads: map[string]nn.Module{"a": drop}}},
	} {
		for _, training := range []bool{true, false} {
			drop.SetTraining(training)
			if tr, known := nn.IsTraining(c.m); tr != training || !known {
				t.Errorf("%s: IsTraining = %v, %v; want %v, true", c.name, tr, known, training)
			}
		}
	}
}
