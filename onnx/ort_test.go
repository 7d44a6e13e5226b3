package onnx

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// ortTolerance bounds |duboko − ONNX Runtime| relative to the largest
// output magnitude of each model (float32 throughout).
const ortTolerance = 1e-4

// ortCase is one model checked against ONNX Runtime: how to export it and
// how duboko computes it, for an input of the given shape per sample.
type ortCase struct {
	input   []int
	export  func(w *bytes.Buffer) error
	forward func(x *tensor.Tensor) *tensor.Tensor
	ids     int // > 0: the input is Int64 ids in [0, ids)
	// text, when set, replaces forward: the model takes the input and
	// random lengths [N] in 1..input[0], its second input "lengths".
	text func(x, lengths *tensor.Tensor) *tensor.Tensor
}

// moduleCase exports a module with Export and computes it in evaluation
// mode (Export puts a model in training mode back in it).
func moduleCase(name string, m nn.Module, input []int) ortCase {
	return ortCase{input: input,
		export: func(w *bytes.Buffer) error { return Export(w, m, input, GraphName(name)) },
		forward: func(x *tensor.Tensor) *tensor.Tensor {
			m.SetTraining(false)
			return m.Forward(x)
		}}
}

// traceCase exports the function f of a float input [2, input...] with
// ExportTrace, the parameters named by state.
func traceCase(name string, input []int, state []nn.Param, f func(x *tensor.Tensor) *tensor.Tensor) ortCase {
	return ortCase{input: input,
		export: func(w *bytes.Buffer) error {
			x := tensor.RandN(tensor.NewRand(1), append([]int{2}, input...)...).SetRequiresGrad(true)
			return ExportTrace(w, x, f(x), state, GraphName(name))
		},
		forward: f}
}

// sstVocab and sstSteps are the vocabulary and sentence length the
// sentiment models are checked with (the embedding dimension and hidden
// size are the lab's, 300 and 150).
const sstVocab, sstSteps = 60, 7

// ortCases are the models checked against ONNX Runtime: every named model
// (MNIST cnn and mlp); the four sentiment models (embedding → mean or a
// 2-layer batch-first RNN/GRU/LSTM → FC), their input Int64 token ids;
// the VAE's encoder (μ and log σ²), decoder and reconstruction; one model
// that exercises BatchNorm (with non-trivial running statistics), padded
// average pooling, dilated strided convolution, LeakyReLU, Tanh, Sigmoid,
// global pooling, Dropout and Softmax; a small generator with transposed
// convolutions; recurrent layers in the other configurations
// (bidirectional, time first with a dynamic sequence length, ReLU and
// sigmoid RNNs, one bias per gate, initial states computed from the
// input); and a traced function (ExportTrace) that runs the other
// translated ops.
func ortCases(t *testing.T) map[string]ortCase {
	out := map[string]ortCase{}
	for _, name := range models.Names() {
		m, in, err := models.New(name, tensor.NewRand(7))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = moduleCase(name, m, in)
	}
	for _, name := range models.SSTNames() {
		m, err := models.NewSST(name, tensor.NewRand(8), sstVocab, models.SSTEmbedDim)
		if err != nil {
			t.Fatal(err)
		}
		out["sst-"+name] = ortCase{input: []int{sstSteps}, ids: sstVocab,
			export: func(w *bytes.Buffer) error {
				return Export(w, m, []int{sstSteps}, GraphName("sst-"+name), InputIDs(sstVocab))
			},
			forward: m.Forward}
		if name != "baseline" { // its mean divides by lengths computed in Go
			out["sst-"+name+"-lengths"] = ortCase{input: []int{sstSteps}, ids: sstVocab,
				export: func(w *bytes.Buffer) error {
					return ExportText(w, m, sstSteps, sstVocab, GraphName("sst-"+name+"-lengths"))
				},
				text: m.ForwardText}
		}
	}
	vae := models.NewVAE(tensor.NewRand(9), 20)
	out["vae"] = moduleCase("vae", vae, []int{784})
	out["vae-decoder"] = moduleCase("vae-decoder", vae.Dec, []int{20})
	out["vae-encoder"] = traceCase("vae-encoder", []int{784}, nn.StateDict(vae), func(x *tensor.Tensor) *tensor.Tensor {
		mu, logVar := vae.Encode(x)
		return tensor.Concat(1, mu, logVar)
	})
	for name, c := range recurrentCases() {
		out[name] = c
	}
	rng := tensor.NewRand(11)
	bn := nn.NewBatchNorm2d(4)
	copy(bn.RunningMean.Float32s(), tensor.RandN(rng, 4).Float32s())
	copy(bn.RunningVar.Float32s(), tensor.RandU(rng, 0.5, 2, 4).Float32s())
	copy(bn.Weight.Float32s(), tensor.RandU(rng, 0.5, 1.5, 4).Float32s())
	copy(bn.Bias.Float32s(), tensor.RandN(rng, 4).Float32s())
	mix := nn.NewSequential(
		nn.NewConv2d(rng, 3, 4, 3, nn.ConvPadding(1), nn.ConvStride(2)), bn, nn.NewLeakyReLU(0.2),
		nn.NewAvgPool2d(3, nn.PoolStride(1), nn.PoolPadding(1)), nn.NewTanh(),
		nn.NewConv2d(rng, 4, 6, 3, nn.ConvDilation(2)), nn.NewSigmoid(),
		nn.NewGlobalMaxPool2d(), nn.NewDropout(rng, 0.5), nn.NewLinear(rng, 6, 5), nn.NewSoftmax(1))
	out["mix"] = moduleCase("mix", mix, []int{3, 13, 11})

	// A small generator: Linear → Reshape → strided, padded, output-padded
	// ConvTranspose2d → ReLU → dilated ConvTranspose2d without bias → Tanh.
	gen := nn.NewSequential(
		nn.NewLinear(rng, 8, 6*4*4), nn.NewReshape(6, 4, 4),
		nn.NewConvTranspose2d(rng, 6, 5, 3, nn.ConvTransposeStride(2), nn.ConvTransposePadding(1), nn.ConvTransposeOutputPadding(1)),
		nn.NewReLU(),
		nn.NewConvTranspose2d(rng, 5, 2, 3, nn.ConvTransposeDilation(2), nn.ConvTransposeNoBias()),
		nn.NewTanh())
	out["generator"] = moduleCase("generator", gen, []int{8})

	params := []nn.Param{
		{Name: "w1", Tensor: tensor.RandN(rng, 16, 24).SetRequiresGrad(true)},
		{Name: "b1", Tensor: tensor.RandN(rng, 16).SetRequiresGrad(true)},
		{Name: "w2", Tensor: tensor.RandN(rng, 3, 8).SetRequiresGrad(true)},
		{Name: "v", Tensor: tensor.RandN(rng, 4, 1).SetRequiresGrad(true)},
	}
	out["ops"] = traceCase("ops", []int{4, 6}, params, func(x *tensor.Tensor) *tensor.Tensor { return opsTrace(x, params) })
	return out
}

// recurrentCases are recurrent layers in the configurations the sentiment
// models do not use.
func recurrentCases() map[string]ortCase {
	rng := tensor.NewRand(12)
	out := map[string]ortCase{}
	// Bidirectional 2-layer LSTM, batch first: out [N, T, 2H] and the
	// final states, flattened and concatenated.
	bi := nn.NewLSTM(rng, 5, 6, nn.NumLayers(2), nn.Bidirectional(), nn.BatchFirst(), nn.InterLayerDropout(0.3))
	bi.SetTraining(false)
	out["bilstm"] = traceCase("bilstm", []int{4, 5}, nn.Prefixed("lstm", bi.Params()), func(x *tensor.Tensor) *tensor.Tensor {
		r := bi.ForwardN(x)
		n := x.Dim(0)
		states := tensor.Concat(1, tensor.Permute(r[1], 1, 0, 2), tensor.Permute(r[2], 1, 0, 2)) // [N, 2·L·D, H]
		return tensor.Concat(1, tensor.Reshape(r[0], n, 4*12), tensor.Reshape(states, n, 8*6))
	})
	// The same with sequence lengths, declared with SequenceLengths.
	biLen := func(x, lengths *tensor.Tensor) *tensor.Tensor {
		r := bi.ForwardN(x, nil, nil, lengths)
		n := x.Dim(0)
		states := tensor.Concat(1, tensor.Permute(r[1], 1, 0, 2), tensor.Permute(r[2], 1, 0, 2))
		return tensor.Concat(1, tensor.Reshape(r[0], n, 4*12), tensor.Reshape(states, n, 8*6))
	}
	out["bilstm-lengths"] = ortCase{input: []int{4, 5}, text: biLen,
		export: func(w *bytes.Buffer) error {
			x := tensor.RandN(tensor.NewRand(1), 2, 4, 5).SetRequiresGrad(true)
			lengths := tensor.FromInts([]int{4, 2}, 2)
			return ExportTrace(w, x, biLen(x, lengths), nn.Prefixed("lstm", bi.Params()), GraphName("bilstm-lengths"), SequenceLengths(lengths))
		}}
	// Time first, so the dynamic axis is the sequence length T: a
	// bidirectional GRU with one bias per gate and initial states, then a
	// ReLU RNN.
	gru := nn.NewGRU(rng, 3, 5, nn.Bidirectional(), nn.OneBiasPerGate())
	relu := nn.NewRNN(rng, 10, 4, nn.RNNActivation(tensor.ActReLU))
	gruH0 := tensor.RandN(rng, 2, 3, 5) // [L·D, N, H], a constant
	out["gru-rnn-time-first"] = traceCase("gru-rnn-time-first", []int{3, 3}, append(nn.Prefixed("gru", gru.Params()), nn.Prefixed("rnn", relu.Params())...), func(x *tensor.Tensor) *tensor.Tensor {
		h := gru.ForwardN(x, gruH0)[0] // [T, 3, 10]
		return relu.ForwardN(h)[0]     // [T, 3, 4]
	})
	// tensor.Recurrent itself, one reverse LSTM direction with unnamed
	// weights and one bias per gate, batch first by hand.
	rw := []*tensor.Tensor{tensor.RandN(rng, 16, 3).SetRequiresGrad(true), tensor.RandN(rng, 16, 4).SetRequiresGrad(true), tensor.RandN(rng, 16).SetRequiresGrad(true)}
	out["lstm-reverse"] = traceCase("lstm-reverse", []int{5, 3}, nil, func(x *tensor.Tensor) *tensor.Tensor {
		run := tensor.Recurrent(tensor.RecurrentConfig{Cell: tensor.CellLSTM, Reverse: true}, tensor.Permute(x, 1, 0, 2), rw[0], rw[1], rw[2], nil, nil, nil, nil)
		return tensor.Concat(1, tensor.Permute(run.Out, 1, 0, 2), tensor.Unsqueeze(run.CN, 1)) // [N, T+1, H]
	})
	// Initial states computed from the input: h0 = tanh(Linear(x[:, 0])),
	// a sigmoid RNN, batch first.
	fc := nn.NewLinear(rng, 3, 2*4)
	sig := nn.NewRNN(rng, 3, 4, nn.NumLayers(2), nn.BatchFirst(), nn.RNNActivation(tensor.ActSigmoid))
	state := append(nn.Prefixed("fc", fc.Params()), nn.Prefixed("rnn", sig.Params())...)
	out["rnn-h0"] = traceCase("rnn-h0", []int{5, 3}, state, func(x *tensor.Tensor) *tensor.Tensor {
		n := x.Dim(0)
		first := tensor.Reshape(tensor.Slice(x, 1, 0, 1), n, 3)
		h0 := tensor.Permute(tensor.Reshape(tensor.Tanh(fc.Forward(first)), n, 2, 4), 1, 0, 2) // [L, N, H]
		return sig.ForwardN(x, h0)[0]
	})
	return out
}

// opsTrace is a function of x [N, 4, 6] through the element-wise,
// reduction, shape and product ops that Export translates.
func opsTrace(x *tensor.Tensor, p []nn.Param) *tensor.Tensor {
	w1, b1, w2, v := p[0].Tensor, p[1].Tensor, p[2].Tensor, p[3].Tensor
	n := x.Shape()[0]
	h := tensor.LinearReLU(tensor.Reshape(x, n, 24), w1, b1)                                        // [N,16]
	h = tensor.Sub(tensor.Mul(h, tensor.Scalar(2)), tensor.Div(h, tensor.Scalar(3)))                // constants
	h = tensor.Add(h, tensor.Exp(tensor.Neg(tensor.Abs(h))))                                        //
	h = tensor.Maximum(h, tensor.Clamp(h, -0.5, 0.5))                                               //
	h = tensor.Add(tensor.Softplus(h), tensor.Sqrt(tensor.Add(tensor.Square(h), tensor.Scalar(1)))) // > 0
	h = tensor.Log(tensor.Pow(h, 1.5))                                                              //
	h3 := tensor.Reshape(h, n, 4, 4)                                                                //
	m := tensor.Add(tensor.MatMul(h3, tensor.Permute(h3, 0, 2, 1)), v)                              // [N,4,4], broadcast
	c := tensor.Concat(2, m, h3)                                                                    // [N,4,8]
	s := tensor.Sum(c, 2)                                                                           // [N,4]
	mx, _ := tensor.Max(c, 1)                                                                       // [N,8]
	am := tensor.Amax(c, 1)                                                                         // [N,8]
	return tensor.Concat(1, tensor.Tanh(s), tensor.LogSoftmax(mx, 1), tensor.Sigmoid(tensor.Linear(am, w2, nil)))
}

// TestONNXRuntime exports each model, runs it in ONNX Runtime (Node.js
// package onnxruntime-node, through bench/interop/onnx_run.js) on the same
// input as duboko and compares the outputs. It is opt-in: set
// DUBOKO_ONNXRUNTIME to the node_modules folder holding onnxruntime-node
// (bench/interop/onnx_check.sh does). Once asked for, a missing node or
// runtime fails the test. DUBOKO_ONNX_OUT keeps the exported files there.
func TestONNXRuntime(t *testing.T) {
	mods := os.Getenv("DUBOKO_ONNXRUNTIME")
	if mods == "" {
		t.Skip("set DUBOKO_ONNXRUNTIME to a node_modules folder with onnxruntime-node (bench/interop/onnx_check.sh)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("DUBOKO_ONNXRUNTIME is set but node is not installed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(mods, "onnxruntime-node", "package.json")); err != nil {
		t.Fatalf("DUBOKO_ONNXRUNTIME=%s holds no onnxruntime-node: %v", mods, err)
	}
	_, here, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(here), "..", "bench", "interop", "onnx_run.js")
	dir := os.Getenv("DUBOKO_ONNX_OUT")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	const batch = 5 // the trace used 2: the batch axis must be dynamic
	for name, c := range ortCases(t) {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := c.export(&buf); err != nil {
				t.Fatal(err)
			}
			model := filepath.Join(dir, name+".onnx")
			if err := os.WriteFile(model, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			shape := append([]int{batch}, c.input...)
			x := tensor.RandN(tensor.NewRand(99), shape...)
			raw, dtype := f32bytes(x.Float32s()), "float32"
			if c.ids > 0 {
				rng := tensor.NewRand(99)
				ids := make([]int64, x.Len())
				for i := range ids {
					ids[i] = int64(rng.IntN(c.ids))
				}
				x = tensor.FromInt64(ids, shape...)
				raw, dtype = i64bytes(ids), "int64"
			}
			in, got := filepath.Join(dir, name+".in.bin"), filepath.Join(dir, name+".out.f32")
			if err := os.WriteFile(in, raw, 0o644); err != nil {
				t.Fatal(err)
			}
			dims := strings.Trim(strings.Join(strings.Fields(fmt.Sprint(shape)), ","), "[]")
			args := []string{script, model, in, dims, got, dtype}
			var want *tensor.Tensor
			if c.text != nil {
				rng := tensor.NewRand(98)
				ls := make([]int64, batch)
				for i := range ls {
					ls[i] = 1 + int64(rng.IntN(c.input[0]))
				}
				ls[0] = int64(c.input[0]) // one whole row
				lpath := filepath.Join(dir, name+".lengths.bin")
				if err := os.WriteFile(lpath, i64bytes(ls), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, lpath)
				tensor.NoGrad(func() { want = c.text(x, tensor.FromInt64(ls, batch)) })
			} else {
				tensor.NoGrad(func() { want = c.forward(x) })
			}
			cmd := exec.Command(node, args...)
			cmd.Env = append(os.Environ(), "NODE_PATH="+mods)
			stdout, err := cmd.Output()
			if err != nil {
				msg := err.Error()
				if ee, ok := err.(*exec.ExitError); ok {
					msg = string(ee.Stderr)
				}
				t.Fatalf("ONNX Runtime: %s", strings.TrimSpace(msg))
			}
			var res struct {
				Dims []int `json:"dims"`
			}
			if err := json.Unmarshal(stdout, &res); err != nil {
				t.Fatalf("onnx_run.js printed %q: %v", stdout, err)
			}
			if !slices.Equal(res.Dims, want.Shape()) {
				t.Fatalf("ONNX Runtime output dims %v, duboko %v", res.Dims, want.Shape())
			}
			res2, err := os.ReadFile(got)
			if err != nil {
				t.Fatal(err)
			}
			ys, ref := f32s(res2), want.Float32s()
			var maxDiff, maxRef float64
			for i := range ref {
				maxDiff = max(maxDiff, math.Abs(float64(ys[i])-float64(ref[i])))
				maxRef = max(maxRef, math.Abs(float64(ref[i])))
			}
			rel := maxDiff / max(maxRef, math.SmallestNonzeroFloat32)
			t.Logf("%s: %d outputs %v, max |duboko − ORT| = %.3g, max |duboko| = %.3g, relative %.3g", name, len(ref), want.Shape(), maxDiff, maxRef, rel)
			if !(rel <= ortTolerance) {
				t.Errorf("%s: relative difference %.3g exceeds %g", name, rel, ortTolerance)
			}
		})
	}
}

func f32bytes(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

func i64bytes(v []int64) []byte {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], uint64(x))
	}
	return b
}

func f32s(b []byte) []float32 {
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v
}
