package nn_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// chain returns a Sequential of n Linear(2, 2) layers named l0, l1, …
// (2n tensors).
func chain(n int) *nn.Sequential {
	s := &nn.Sequential{}
	for i := range n {
		s.Add(fmt.Sprintf("l%d", i), nn.NewLinear(tensor.NewRand(uint64(i)), 2, 2))
	}
	return s
}

// TestCheckpointMissingListsFileNames checks the error for a tensor the
// file lacks: it lists the file's names, all of them up to eight and the
// first eight then "..." beyond.
func TestCheckpointMissingListsFileNames(t *testing.T) {
	for _, c := range []struct {
		layers   int // in the file: 2·layers tensors
		ellipsis bool
	}{{4, false}, {5, true}} {
		path := filepath.Join(t.TempDir(), "m.safetensors")
		if err := nn.Save(path, chain(c.layers), nil); err != nil {
			t.Fatal(err)
		}
		_, err := nn.Load(path, chain(c.layers+1))
		if err == nil {
			t.Fatalf("%d layers: a model with one more layer loaded", c.layers)
		}
		msg := err.Error()
		if !strings.Contains(msg, `missing tensor "l`) || !strings.Contains(msg, "l0.bias l0.weight") {
			t.Fatalf("%d layers: %v", c.layers, msg)
		}
		if got := strings.Contains(msg, "..."); got != c.ellipsis {
			t.Fatalf("%d layers (%d names): ellipsis %v, want %v: %v", c.layers, 2*c.layers, got, c.ellipsis, msg)
		}
	}
}
