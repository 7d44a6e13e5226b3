package graph_test

import (
	"fmt"
	"os"

	"github.com/duboko/duboko/graph"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// The exam's affine layer and ReLU, listed with shapes and counts.
func Example() {
	x := tensor.FromFloat64([]float64{1, 2}, 1, 2).SetName("x")
	W := tensor.FromFloat64([]float64{1, -1, 0.5, 1, -2, 0}, 3, 2).SetName("W").SetRequiresGrad(true)
	b := tensor.FromFloat64([]float64{0, 1, 0}, 3).SetName("b").SetRequiresGrad(true)
	h := tensor.Linear(x, W, b).SetName("h")
	h2 := tensor.ReLU(h).SetName("h'")
	g := graph.Build(h2)
	graph.WriteText(os.Stdout, g, graph.Options{Values: true})
	// Output:
	// forward graph: 5 nodes (1 inputs, 2 parameters, 0 constants, 2 operations)
	//   x   input [1 2] float64
	//         [1 2]
	//   W   param [3 2] float64
	//         [1 -1 0.5 1 -2 0]
	//   b   param [3] float64
	//         [0 1 0]
	//   h   = Linear(x, W, b) [1 3] float64  [6 mul, 6 add, 0 other]
	//         [-1 3.5 -2]
	//   h'  = ReLU(h) [1 3] float64  [0 mul, 0 add, 3 other]
	//         [0 3.5 0]
	// total: 6 mul, 6 add, 3 other
}

// The backward graph: one gradient per tensor, edges labelled with the
// Jacobian they apply.
func ExampleRenderBackward() {
	x := tensor.FromFloat64([]float64{1, 2}, 1, 2).SetName("x")
	W := tensor.FromFloat64([]float64{1, -1, 0.5, 1, -2, 0}, 3, 2).SetName("W").SetRequiresGrad(true)
	h := tensor.ReLU(tensor.Linear(x, W, nil).SetName("h")).SetName("h'")
	L := tensor.Sum(h).SetName("L")
	graph.RenderBackward(graph.Build(L), "text", os.Stdout)
	// Output:
	// backward graph of L: 4 gradients
	//   ∂L/∂L [] = 1 (seed)
	//   ∂L/∂h' [1 3] = ∂L/∂L · ∂L/∂h' [1×3 dense]
	//   ∂L/∂h [1 3] = ∂L/∂h' · ∂h'/∂h [3×3 diagonal]
	//   ∂L/∂W [3 2] = ∂L/∂h · ∂h/∂W [3×6 sparse, 6 nz]
}

func ExampleJacobianOf() {
	x := tensor.FromFloat64([]float64{-1, 2, 3}, 3).SetName("x").SetRequiresGrad(true)
	y := tensor.ReLU(x).SetName("y")
	j, _ := graph.JacobianOf(y, x)
	fmt.Println(j)
	// Output:
	// ∂y/∂x: 3×3 ([3] → [3]), diagonal, 6 structural zeros, 7 zeros in value
	//   [0 0 0]
	//   [0 1 0]
	//   [0 0 1]
}

func ExampleSummarize() {
	rng := tensor.NewRand(1)
	m := (&nn.Sequential{}).
		Add("fc1", nn.NewLinear(rng, 4, 3)).
		Add("relu", nn.NewReLU()).
		Add("fc2", nn.NewLinear(rng, 3, 1))
	s, _ := graph.Summarize(m, []int{10, 4})
	for _, l := range s.Layers {
		fmt.Println(l.Name, l.Type, l.OutShape, l.Params, l.Counts, l.ActivationBytes)
	}
	fmt.Println(s.TotalParams, s.Total)
	// Output:
	// fc1 Linear [10 3] 15 120 mul, 120 add, 0 other 120
	// relu ReLU [10 3] 0 0 mul, 0 add, 30 other 120
	// fc2 Linear [10 1] 4 30 mul, 30 add, 0 other 40
	// 19 150 mul, 150 add, 30 other
}

// Each node carries its op's typed record; counts come from the op's
// declaration, and an op recorded without one (tensor.Custom) counts as
// unknown.
func ExampleOpCounts() {
	x := tensor.Ones(1, 1, 4, 4).SetRequiresGrad(true)
	p := tensor.MaxPool2d(x, [2]int{2, 2}, [2]int{2, 2}, [2]int{})
	var d *tensor.Tensor
	tensor.NoGrad(func() { d = tensor.MulScalar(p, 2) })
	d = tensor.Custom("Double", d, []*tensor.Tensor{p}, func(g *tensor.Tensor) []*tensor.Tensor {
		return []*tensor.Tensor{tensor.MulScalar(g, 2)}
	})
	g := graph.Build(d)
	for _, n := range g.Nodes[1:] {
		fmt.Printf("%s {%s}: %v\n", n.Label(), n.Op.Attrs(), graph.OpCounts(n))
	}
	// Output:
	// (v1, maxpool) {kernel 2×2, stride 2×2, pad 0×0}: 0 mul, 0 add, 12 other
	// (v2, Double) {}: ? mul, ? add, ? other (1 op unknown)
}
