// Command graph_affine makes the course's exam network visible:
//
//	h = Wx + b,  h' = ReLU(h),  s = wᵀh',  L = BCE(σ(s), y)
//
// with W ∈ R^{m×n}. It runs one forward pass by hand (every value), the
// backward pass (every gradient), prints the Jacobian of each step with
// its shape and zero counts, the scalar operations of each op, and writes
// the forward and backward graphs as DOT (and SVG/PNG/HTML when Graphviz
// is installed) into -out.
//
//	go run ./examples/graph_affine -m 4 -n 3 -out /tmp/affine
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/duboko/duboko/graph"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

func main() {
	m := flag.Int("m", 4, "rows of W (hidden units)")
	n := flag.Int("n", 3, "columns of W (inputs)")
	out := flag.String("out", "", "folder for forward/backward graphs (DOT, and SVG, PNG, HTML with Graphviz); none if empty")
	seed := flag.Uint64("seed", 1, "random seed for x and the weights")
	flag.Parse()
	if err := run(*m, *n, *out, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "graph_affine:", err)
		os.Exit(1)
	}
}

func run(m, n int, out string, seed uint64) error {
	if m < 1 || n < 1 {
		return fmt.Errorf("-m and -n must be positive, got %d and %d", m, n)
	}
	rng := tensor.NewRand(seed)
	f64 := func(t *tensor.Tensor) *tensor.Tensor { return tensor.To(t, tensor.Float64) }
	x := f64(tensor.RandN(rng, 1, n)).SetName("x").SetRequiresGrad(true)
	W := f64(tensor.RandN(rng, m, n)).SetName("W").SetRequiresGrad(true)
	b := f64(tensor.RandN(rng, m)).SetName("b").SetRequiresGrad(true)
	w := f64(tensor.RandN(rng, m, 1)).SetName("w").SetRequiresGrad(true)
	y := tensor.FromFloat64([]float64{1}, 1, 1).SetName("y")

	h := tensor.Linear(x, W, b).SetName("h")
	h2 := tensor.ReLU(h).SetName("h'")
	s := tensor.MatMul(h2, w).SetName("s")
	p := tensor.Sigmoid(s).SetName("p")
	L := nn.BCE(p, y).SetName("L")

	g := graph.Build(L, graph.WithInputs(x))
	fmt.Printf("h = Wx + b, h' = ReLU(h), s = wᵀh', L = BCE(σ(s), y) with W ∈ R^{%d×%d}\n\n", m, n)
	if err := graph.Trace(os.Stdout, g); err != nil {
		return err
	}
	fmt.Println()
	if err := graph.TraceBackward(os.Stdout, g); err != nil {
		return err
	}

	fmt.Println("\nJacobians (|out| × |in|, structural zeros, zeros for these values)")
	for _, pair := range [][2]*tensor.Tensor{{h, x}, {h, W}, {h, b}, {h2, h}, {s, h2}, {s, w}, {p, s}, {L, p}, {L, W}, {L, x}} {
		j, err := graph.JacobianOf(pair[0], pair[1])
		if err != nil {
			return err
		}
		sz := "unknown"
		if z := j.StructuralZeros(); z >= 0 {
			sz = fmt.Sprint(z)
		}
		fmt.Printf("  ∂%s/∂%s: %d×%d %-14v structural zeros %-8s zeros %d\n", j.Of, j.Wrt, j.Rows(), j.Cols(), j.Structure.Kind, sz, j.Zeros)
	}

	fmt.Println("\nscalar operations")
	var total graph.Counts
	for _, nd := range g.Nodes {
		if nd.Kind != graph.Intermediate {
			continue
		}
		c := graph.OpCounts(nd)
		total = total.Plus(c)
		fmt.Printf("  %-12s %v\n", nd.Label(), c)
	}
	fmt.Printf("  %-12s %v\n", "total", total)
	fmt.Printf("  (affine layer: mn = %d multiplications and mn = %d additions, bias included)\n", m*n, m*n)

	if out == "" {
		return nil
	}
	return writeGraphs(g, out)
}

// writeGraphs writes forward.* and backward.* in every format; without
// Graphviz only the DOT and text files are written.
func writeGraphs(g *graph.Graph, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, backward := range []bool{false, true} {
		base := "forward"
		if backward {
			base = "backward"
		}
		for _, format := range graph.Formats {
			path := filepath.Join(dir, base+"."+map[string]string{"text": "txt"}[format])
			if format != "text" {
				path = filepath.Join(dir, base+"."+format)
			}
			f, err := os.Create(path)
			if err != nil {
				return err
			}
			err = graph.RenderWith(g, format, f, backward, graph.Options{Values: true})
			cerr := f.Close()
			if errors.Is(err, graph.ErrNoGraphviz) {
				os.Remove(path)
				fmt.Fprintln(os.Stderr, "note:", err)
				continue
			}
			if err != nil {
				return err
			}
			if cerr != nil {
				return cerr
			}
			fmt.Println("wrote", path)
		}
	}
	return nil
}
