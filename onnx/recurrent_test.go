package onnx

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// strAttr returns a STRING attribute's value.
func strAttr(a msg) string { return a.str(attrS) }

// gateBlocks splits rows of a gate-stacked slice into g blocks.
func gateBlocks(v []float32, g int) [][]float32 {
	n := len(v) / g
	var out [][]float32
	for i := 0; i < g; i++ {
		out = append(out, v[i*n:(i+1)*n])
	}
	return out
}

func TestExportSentimentModels(t *testing.T) {
	for _, name := range models.SSTNames() {
		t.Run(name, func(t *testing.T) {
			m, err := models.NewSST(name, tensor.NewRand(2), 30, 8)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := Export(&buf, m, []int{5}, InputIDs(30)); err != nil {
				t.Fatal(err)
			}
			d := readModel(t, buf.Bytes())
			// The lookup is a Gather of the embedding by the INT64 ids.
			g := d.nodes[0]
			if g.str(nodeOpType) != "Gather" || !slices.Equal(g.strs(nodeInput), []string{"embedding.weight", "input"}) {
				t.Errorf("first node %s%v, want Gather[embedding.weight input]", g.str(nodeOpType), g.strs(nodeInput))
			}
			in := d.graph.msgs(t, graphInput)[0]
			typ := in.msgs(t, valueInfoType)[0].msgs(t, typeTensorType)[0]
			if typ.int(ttElemType) != dataInt64 {
				t.Errorf("input elem_type %d, want INT64", typ.int(ttElemType))
			}
			if name == "baseline" {
				return
			}
			// One node per layer, with ONNX's gate order.
			kind := strings.ToUpper(name)
			var rec []msg
			for _, n := range d.nodes {
				if n.str(nodeOpType) == kind {
					rec = append(rec, n)
				}
			}
			if len(rec) != models.SSTLayers {
				t.Fatalf("%d %s nodes, want %d (one per layer): %v", len(rec), kind, models.SSTLayers, d.opTypes())
			}
			a := attrs(t, rec[0])
			if a["hidden_size"].int(attrI) != models.SSTHidden || strAttr(a["direction"]) != "forward" || a["layout"].int(attrI) != 0 {
				t.Errorf("attributes hidden_size %d, direction %q, layout %d", a["hidden_size"].int(attrI), strAttr(a["direction"]), a["layout"].int(attrI))
			}
			sd := map[string]*tensor.Tensor{}
			for _, p := range nn.StateDict(m) {
				sd[p.Name] = p.Tensor
			}
			gates := map[string][]int{"rnn": {0}, "lstm": {0, 3, 1, 2}, "gru": {1, 0, 2}}[name]
			ins := rec[1].strs(nodeInput)
			w, r, b := d.inits[ins[1]], d.inits[ins[2]], d.inits[ins[3]]
			if got := w.ints(tensorDims); !slices.Equal(got, []int64{1, int64(len(gates) * models.SSTHidden), models.SSTHidden}) {
				t.Errorf("W dims %v", got)
			}
			src := [][]float32{sd["rnn.weight_ih_l1"].Float32s(), sd["rnn.weight_hh_l1"].Float32s(), sd["rnn.bias_ih_l1"].Float32s(), sd["rnn.bias_hh_l1"].Float32s()}
			bs := gateBlocks(rawFloats(b), 2*len(gates))
			for i, pt := range gates {
				for j, got := range [][]float32{gateBlocks(rawFloats(w), len(gates))[i], gateBlocks(rawFloats(r), len(gates))[i], bs[i], bs[len(gates)+i]} {
					if !slices.Equal(got, gateBlocks(src[j], len(gates))[pt]) {
						t.Errorf("ONNX gate %d of input %d is not PyTorch's gate %d", i, j, pt)
					}
				}
			}
			// Only the re-ordered weights are written, and every
			// initializer is read by a node.
			if _, ok := d.inits["rnn.weight_ih_l0"]; ok {
				t.Error("the PyTorch-ordered rnn.weight_ih_l0 is written beside the re-ordered weights")
			}
			read := map[string]bool{}
			for _, n := range d.nodes {
				for _, in := range n.strs(nodeInput) {
					read[in] = true
				}
			}
			for init := range d.inits {
				if !read[init] {
					t.Errorf("initializer %s is read by no node", init)
				}
			}
			if name == "gru" && a["linear_before_reset"].int(attrI) != 1 {
				t.Errorf("GRU linear_before_reset %v, want 1", a["linear_before_reset"])
			}
			if name == "rnn" && a["activations"].strs(attrStringsF)[0] != "Tanh" {
				t.Errorf("RNN activations %v, want [Tanh]", a["activations"].strs(attrStringsF))
			}
		})
	}
}

func TestExportBidirectionalIsOneNode(t *testing.T) {
	rng := tensor.NewRand(3)
	l := nn.NewGRU(rng, 3, 4, nn.Bidirectional(), nn.NumLayers(2))
	x := tensor.RandN(rng, 6, 2, 3).SetRequiresGrad(true)
	h0 := tensor.RandN(rng, 4, 2, 4)
	var buf bytes.Buffer
	if err := ExportTrace(&buf, x, l.ForwardN(x, h0)[0], nn.Prefixed("gru", l.Params())); err != nil {
		t.Fatal(err)
	}
	d := readModel(t, buf.Bytes())
	var grus []msg
	for _, n := range d.nodes {
		if n.str(nodeOpType) == "GRU" {
			grus = append(grus, n)
		}
	}
	if len(grus) != 2 {
		t.Fatalf("%d GRU nodes, want 2 (one per layer): %v", len(grus), d.opTypes())
	}
	for _, g := range grus {
		if dir := strAttr(attrs(t, g)["direction"]); dir != "bidirectional" {
			t.Errorf("direction %q, want bidirectional", dir)
		}
		if ins := g.strs(nodeInput); len(ins) != 6 || ins[4] != "" || ins[5] == "" {
			t.Errorf("inputs %q, want X, W, R, B, no sequence_lens, initial_h", ins)
		}
	}
	w := d.inits[grus[1].strs(nodeInput)[1]]
	if got := w.ints(tensorDims); !slices.Equal(got, []int64{2, 12, 8}) {
		t.Fatalf("layer 1 W dims %v, want [2 12 8]", got)
	}
	// W[1] is the reverse direction's weight_ih, gates z, r, h.
	rev := gateBlocks(l.Weights[1][1].WeightIH.Float32s(), 3)
	got := gateBlocks(rawFloats(w)[12*8:], 3)
	for i, pt := range []int{1, 0, 2} {
		if !slices.Equal(got[i], rev[pt]) {
			t.Errorf("reverse W gate %d is not PyTorch's gate %d", i, pt)
		}
	}
}

func TestExportRecurrentWithLengthsIsAnError(t *testing.T) {
	rng := tensor.NewRand(3)
	l := nn.NewLSTM(rng, 3, 4)
	x := tensor.RandN(rng, 6, 2, 3).SetRequiresGrad(true)
	y := l.ForwardN(x, nil, nil, tensor.FromInts([]int{6, 3}, 2))[0]
	err := ExportTrace(&bytes.Buffer{}, x, y, nn.Prefixed("lstm", l.Params()))
	var ue *UnsupportedError
	if !errors.As(err, &ue) || ue.Kind != tensor.OpLSTM || !strings.Contains(err.Error(), "lengths") {
		t.Fatalf("error %v, want an *UnsupportedError for the LSTM naming the lengths", err)
	}
}

// TestExportRNNReadsTheRecord exports plain RNNs run with each
// nonlinearity, one of them reversed, and checks that each node's
// activation and direction are the ones the record holds; an activation of
// the user's is an *UnsupportedError naming it.
func TestExportRNNReadsTheRecord(t *testing.T) {
	for _, act := range []tensor.Activation{tensor.ActTanh, tensor.ActReLU, tensor.ActSigmoid} {
		rng := tensor.NewRand(5)
		l := nn.NewRNN(rng, 3, 4, nn.RNNActivation(act), nn.Bidirectional())
		x := tensor.RandN(rng, 5, 2, 3).SetRequiresGrad(true)
		var buf bytes.Buffer
		if err := ExportTrace(&buf, x, l.ForwardN(x)[0], nn.Prefixed("rnn", l.Params())); err != nil {
			t.Fatalf("%s: %v", act.Name, err)
		}
		d := readModel(t, buf.Bytes())
		n := 0
		for _, node := range d.nodes {
			if node.str(nodeOpType) != "RNN" {
				continue
			}
			n++
			a := attrs(t, node)
			want := onnxActivations[act.Name]
			if got := a["activations"].strs(attrStringsF); !slices.Equal(got, []string{want, want}) {
				t.Errorf("%s: activations %q, want %s twice", act.Name, got, want)
			}
			if dir := strAttr(a["direction"]); dir != "bidirectional" {
				t.Errorf("%s: direction %q, want bidirectional", act.Name, dir)
			}
		}
		if n != 1 {
			t.Errorf("%s: %d RNN nodes, want 1: %v", act.Name, n, d.opTypes())
		}
	}
	rng := tensor.NewRand(5)
	soft := tensor.Activation{Name: "softsign", F: func(x float64) float64 { return x / (1 + math.Abs(x)) },
		D: func(x, _ float64) float64 { return 1 / ((1 + math.Abs(x)) * (1 + math.Abs(x))) }}
	l := nn.NewRNN(rng, 3, 4, nn.RNNActivation(soft))
	x := tensor.RandN(rng, 5, 2, 3).SetRequiresGrad(true)
	err := ExportTrace(&bytes.Buffer{}, x, l.ForwardN(x)[0], nn.Prefixed("rnn", l.Params()))
	var ue *UnsupportedError
	if !errors.As(err, &ue) || ue.Kind != tensor.OpRNN || !strings.Contains(err.Error(), "nonlinearity") {
		t.Fatalf("error %v, want an *UnsupportedError for the RNN naming its nonlinearity", err)
	}
}

func TestExportRestoresTrainingMode(t *testing.T) {
	rng := tensor.NewRand(3)
	m := nn.NewSequential(nn.NewLinear(rng, 4, 3), nn.NewDropout(rng, 0.5))
	for _, training := range []bool{true, false} {
		m.SetTraining(training)
		if err := Export(&bytes.Buffer{}, m, []int{4}); err != nil {
			t.Fatal(err)
		}
		if got, _ := nn.IsTraining(m); got != training {
			t.Errorf("after Export of a model in training=%v: training=%v", training, got)
		}
	}
}

func TestExportFrozenEmbedding(t *testing.T) {
	rng := tensor.NewRand(3)
	m, err := models.NewSST("baseline", rng, 20, 6)
	if err != nil {
		t.Fatal(err)
	}
	m.Embedding().SetFrozen(true)
	var buf bytes.Buffer
	if err := Export(&buf, m, []int{4}, InputIDs(20)); err != nil {
		t.Fatal(err)
	}
	if m.Embedding().Weight.RequiresGrad() {
		t.Error("the frozen embedding's weight requires a gradient after Export")
	}
	if got := readModel(t, buf.Bytes()).opTypes(); got[0] != "Gather" {
		t.Errorf("nodes %v, want a Gather first", got)
	}
}

func TestExportBatchDependentConstantIsAnError(t *testing.T) {
	rng := tensor.NewRand(1)
	lin := nn.NewLinear(rng, 4, 3)
	x := tensor.RandN(rng, 2, 4).SetRequiresGrad(true)
	// Rows equal: one row is exported and broadcasts over any batch.
	same := tensor.Div(lin.Forward(x), tensor.FromFloat32([]float32{3, 3}, 2, 1))
	var buf bytes.Buffer
	if err := ExportTrace(&buf, x, same, nn.StateDict(lin)); err != nil {
		t.Fatal(err)
	}
	d := readModel(t, buf.Bytes())
	div := d.nodes[len(d.nodes)-1]
	if c := d.inits[div.strs(nodeInput)[1]]; !slices.Equal(c.ints(tensorDims), []int64{1, 1}) || rawFloats(c)[0] != 3 {
		t.Errorf("divisor dims %v values %v, want [1 1] [3]", c.ints(tensorDims), rawFloats(c))
	}
	// Rows differ: the constant depends on the batch.
	diff := tensor.Div(lin.Forward(x), tensor.FromFloat32([]float32{3, 4}, 2, 1))
	err := ExportTrace(&bytes.Buffer{}, x, diff, nn.StateDict(lin))
	var ue *UnsupportedError
	if !errors.As(err, &ue) || ue.Kind != tensor.OpDiv || !strings.Contains(err.Error(), "batch") {
		t.Fatalf("error %v, want an *UnsupportedError for the Div naming the batch", err)
	}
}

func TestExportTextWritesSequenceLengths(t *testing.T) {
	m, err := models.NewSST("lstm", tensor.NewRand(2), 30, 8)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ExportText(&buf, m, 6, 30); err != nil {
		t.Fatal(err)
	}
	d := readModel(t, buf.Bytes())
	var names []string
	for _, in := range d.graph.msgs(t, graphInput) {
		name, dims := shapeOf2(t, in)
		names = append(names, name+fmt.Sprint(dims))
	}
	if !slices.Equal(names, []string{"input[N 6]", "lengths[N]"}) {
		t.Errorf("graph inputs %v, want input[N 6] and lengths[N]", names)
	}
	n := 0
	for _, node := range d.nodes {
		if node.str(nodeOpType) == "LSTM" {
			n++
			if ins := node.strs(nodeInput); len(ins) < 5 || ins[4] != "lengths_int32" {
				t.Errorf("LSTM inputs %q, want sequence_lens lengths_int32", ins)
			}
		}
	}
	if n != models.SSTLayers {
		t.Errorf("%d LSTM nodes, want %d", n, models.SSTLayers)
	}

	// The baseline divides by the lengths in Go: a constant per sequence.
	b, _ := models.NewSST("baseline", tensor.NewRand(2), 30, 8)
	err = ExportText(&bytes.Buffer{}, b, 6, 30)
	var ue *UnsupportedError
	if !errors.As(err, &ue) || ue.Kind != tensor.OpDiv {
		t.Fatalf("error %v, want an *UnsupportedError for the baseline's Div by the lengths", err)
	}
}

// shapeOf2 is shapeOf for a value of any element type.
func shapeOf2(t *testing.T, v msg) (string, []string) {
	typ := v.msgs(t, valueInfoType)[0].msgs(t, typeTensorType)[0]
	var dims []string
	for _, dm := range typ.msgs(t, ttShape)[0].msgs(t, shapeDim) {
		if p := dm.str(dimParam); p != "" {
			dims = append(dims, p)
		} else {
			dims = append(dims, fmt.Sprint(dm.int(dimValue)))
		}
	}
	return v.str(valueInfoName), dims
}
