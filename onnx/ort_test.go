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
}

// moduleCase exports a module with Export.
func moduleCase(name string, m nn.Module, input []int) ortCase {
	return ortCase{input,
		func(w *bytes.Buffer) error { return Export(w, m, input, GraphName(name)) },
		m.Forward}
}

// ortCases are the models checked against ONNX Runtime: every named model;
// one that exercises BatchNorm (with non-trivial running statistics),
// padded average pooling, dilated strided convolution, LeakyReLU, Tanh,
// Sigmoid, global pooling, Dropout and Softmax; a small generator with
// transposed convolutions; and a traced function
// (ExportTrace) that runs the other translated ops.
func ortCases(t *testing.T) map[string]ortCase {
	out := map[string]ortCase{}
	for _, name := range models.Names() {
		m, in, err := models.New(name, tensor.NewRand(7))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = moduleCase(name, m, in)
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
	out["ops"] = ortCase{[]int{4, 6},
		func(w *bytes.Buffer) error {
			x := tensor.RandN(tensor.NewRand(1), 2, 4, 6).SetRequiresGrad(true)
			return ExportTrace(w, x, opsTrace(x, params), params, GraphName("ops"))
		},
		func(x *tensor.Tensor) *tensor.Tensor { return opsTrace(x, params) }}
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
			var want *tensor.Tensor
			tensor.NoGrad(func() { want = c.forward(x) })
			in, got := filepath.Join(dir, name+".in.f32"), filepath.Join(dir, name+".out.f32")
			if err := os.WriteFile(in, f32bytes(x.Float32s()), 0o644); err != nil {
				t.Fatal(err)
			}
			dims := strings.Trim(strings.Join(strings.Fields(fmt.Sprint(shape)), ","), "[]")
			cmd := exec.Command(node, script, model, in, dims, got)
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
			raw, err := os.ReadFile(got)
			if err != nil {
				t.Fatal(err)
			}
			ys, ref := f32s(raw), want.Float32s()
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

func f32s(b []byte) []float32 {
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v
}
