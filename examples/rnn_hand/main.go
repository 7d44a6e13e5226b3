// Command rnn_hand runs the exam's plain RNN with the logistic sigmoid,
// whose hidden states the exam asks to compute by hand, and prints every
// step, so that a hand computation of h₂ can be checked by running it.
//
//	h_t = σ(W_hh · h_{t−1} + W_xh · x_t + b),   h_0 = 0,   2 hidden units
//
// Hand-set weights (rows are hidden units) and the input sequence:
//
//	W_xh = [[1], [-1]]    W_hh = [[0.5, -0.25], [0.3, 0.5]]    b = [0.1, 0]
//	x    = 1, 2
//
// One bias vector (the textbook's b; PyTorch's layer would split it into
// b_ih and b_hh). The layer is nn.RNN with nn.RNNActivation(tensor.ActSigmoid)
// and nn.OneBiasPerGate; its forward pass is run step by step (Unroll) and
// printed by graph.TraceSteps: the pre-activation a_t and h_t of each step.
// All arithmetic is float64.
//
//	go run ./examples/rnn_hand
//	go run ./examples/rnn_hand -x 1,2,-1 -digits 6
//	go run ./examples/rnn_hand -graph rnn.dot   # the graph unrolled over the steps (Graphviz DOT)
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/duboko/duboko/graph"
	"github.com/duboko/duboko/internal/atomicfile"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// The hand-set weights, [out][in].
var (
	wxh = []float64{1, -1}
	whh = [][]float64{{0.5, -0.25}, {0.3, 0.5}}
	b   = []float64{0.1, 0}
)

// config holds the program's settings.
type config struct {
	xs     []float64 // the input sequence, one scalar per step
	digits int       // decimals printed
	dot    string    // file for the unrolled graph in DOT ("": none)
}

func main() {
	var c config
	x := flag.String("x", "1,2", "the input sequence x_1,x_2,… (one number per step)")
	flag.IntVar(&c.digits, "digits", 4, "decimals printed")
	flag.StringVar(&c.dot, "graph", "", "also write the forward graph unrolled over the steps to this DOT file")
	flag.Parse()
	var err error
	if c.xs, err = parseFloats(*x); err != nil {
		fmt.Fprintln(os.Stderr, "rnn_hand: -x:", err)
		os.Exit(2)
	}
	if c.digits < 0 || c.digits > 15 {
		fmt.Fprintln(os.Stderr, "rnn_hand: -digits must be in 0..15")
		os.Exit(2)
	}
	if err := run(c, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "rnn_hand:", err)
		os.Exit(1)
	}
}

// parseFloats reads "1,2,-1".
func parseFloats(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", f)
		}
		out = append(out, v)
	}
	if len(out) == 0 || len(out) > 100 {
		return nil, fmt.Errorf("want 1 to 100 steps, got %d", len(out))
	}
	return out, nil
}

// newRNN returns the exam's RNN with the hand-set weights, in float64.
func newRNN() *nn.RNN {
	m := nn.NewRNN(tensor.NewRand(1), 1, 2, nn.RNNActivation(tensor.ActSigmoid), nn.OneBiasPerGate())
	nn.To(m, tensor.Float64)
	w := m.Weights[0][0]
	must(nn.SetValues(w.WeightIH, wxh...))
	must(nn.SetValues(w.WeightHH, whh[0][0], whh[0][1], whh[1][0], whh[1][1]))
	must(nn.SetValues(w.BiasIH, b...))
	return m
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// run prints the weights, the step trace and the hidden states h_1 … h_T.
func run(c config, w io.Writer) error {
	m := newRNN()
	x := tensor.FromFloat64(c.xs, len(c.xs), 1, 1) // [T, N = 1, I = 1]
	g, u, err := graph.Unroll(m, x)
	if err != nil {
		return err
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	fmt.Fprintln(w, "RNN with the logistic sigmoid: h_t = σ(W_hh·h_{t−1} + W_xh·x_t + b), h_0 = 0")
	fmt.Fprintf(w, "W_xh = [[%s], [%s]]   W_hh = [[%s, %s], [%s, %s]]   b = [%s, %s]\n",
		f(wxh[0]), f(wxh[1]), f(whh[0][0]), f(whh[0][1]), f(whh[1][0]), f(whh[1][1]), f(b[0]), f(b[1]))
	xs := make([]string, len(c.xs))
	for i, v := range c.xs {
		xs[i] = f(v)
	}
	fmt.Fprintf(w, "x = %s\n\n", strings.Join(xs, ", "))
	if err := graph.TraceSteps(w, u, graph.StepTraceOptions{Digits: c.digits, Gates: true}); err != nil {
		return err
	}
	fmt.Fprintln(w)
	for _, s := range u.Steps[0][0] {
		h := s.H.Values()
		fmt.Fprintf(w, "h%d = [%.*f, %.*f]\n", s.T+1, c.digits, h[0], c.digits, h[1])
	}
	if c.dot != "" {
		var buf bytes.Buffer
		if err := graph.Render(g, "dot", &buf); err != nil {
			return err
		}
		if err := atomicfile.WriteBytes(c.dot, buf.Bytes()); err != nil {
			return err
		}
		fmt.Fprintf(w, "wrote %s\n", c.dot)
	}
	return nil
}
