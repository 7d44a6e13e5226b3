package onnx

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// msg is a decoded protobuf message: each field number's values in order,
// as varints, fixed32s or byte strings.
type msg map[protowire.Number][]any

// decode parses b with protowire, failing the test on malformed input.
func decode(t *testing.T, b []byte) msg {
	t.Helper()
	m := msg{}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			t.Fatalf("bad tag: %v", protowire.ParseError(n))
		}
		b = b[n:]
		var v any
		switch typ {
		case protowire.VarintType:
			v, n = protowire.ConsumeVarint(b)
		case protowire.Fixed32Type:
			v, n = protowire.ConsumeFixed32(b)
		case protowire.BytesType:
			v, n = protowire.ConsumeBytes(b)
		default:
			t.Fatalf("unexpected wire type %d for field %d", typ, num)
		}
		if n < 0 {
			t.Fatalf("field %d: %v", num, protowire.ParseError(n))
		}
		b = b[n:]
		m[num] = append(m[num], v)
	}
	return m
}

func (m msg) int(num protowire.Number) int64 {
	if len(m[num]) == 0 {
		return 0
	}
	return int64(m[num][0].(uint64))
}

func (m msg) ints(num protowire.Number) []int64 {
	var out []int64
	for _, v := range m[num] {
		out = append(out, int64(v.(uint64)))
	}
	return out
}

func (m msg) str(num protowire.Number) string {
	if len(m[num]) == 0 {
		return ""
	}
	return string(m[num][0].([]byte))
}

func (m msg) strs(num protowire.Number) []string {
	var out []string
	for _, v := range m[num] {
		out = append(out, string(v.([]byte)))
	}
	return out
}

func (m msg) msgs(t *testing.T, num protowire.Number) []msg {
	var out []msg
	for _, v := range m[num] {
		out = append(out, decode(t, v.([]byte)))
	}
	return out
}

// decoded is an exported model read back.
type decoded struct {
	model, graph msg
	nodes        []msg
	inits        map[string]msg
}

func readModel(t *testing.T, b []byte) decoded {
	t.Helper()
	d := decoded{model: decode(t, b), inits: map[string]msg{}}
	gs := d.model.msgs(t, modelGraph)
	if len(gs) != 1 {
		t.Fatalf("%d graphs, want 1", len(gs))
	}
	d.graph = gs[0]
	d.nodes = d.graph.msgs(t, graphNode)
	for _, in := range d.graph.msgs(t, graphInitializer) {
		d.inits[in.str(tensorName)] = in
	}
	return d
}

func (d decoded) opTypes() []string {
	var out []string
	for _, n := range d.nodes {
		out = append(out, n.str(nodeOpType))
	}
	return out
}

// shapeOf returns a ValueInfoProto's name and dims ("N" for dim_param).
func shapeOf(t *testing.T, v msg) (string, []string) {
	typ := v.msgs(t, valueInfoType)[0].msgs(t, typeTensorType)[0]
	if typ.int(ttElemType) != dataFloat {
		t.Errorf("%s: elem_type %d, want FLOAT", v.str(valueInfoName), typ.int(ttElemType))
	}
	var dims []string
	for _, dm := range typ.msgs(t, ttShape)[0].msgs(t, shapeDim) {
		if p := dm.str(dimParam); p != "" {
			dims = append(dims, p)
		} else {
			dims = append(dims, strconv.FormatInt(dm.int(dimValue), 10))
		}
	}
	return v.str(valueInfoName), dims
}

func attrs(t *testing.T, n msg) map[string]msg {
	out := map[string]msg{}
	for _, a := range n.msgs(t, nodeAttribute) {
		out[a.str(attrName)] = a
	}
	return out
}

func rawFloats(m msg) []float32 {
	raw := m[tensorRawData][0].([]byte)
	out := make([]float32, len(raw)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return out
}

func rawInt64s(m msg) []int64 {
	raw := m[tensorRawData][0].([]byte)
	out := make([]int64, len(raw)/8)
	for i := range out {
		out[i] = int64(binary.LittleEndian.Uint64(raw[8*i:]))
	}
	return out
}

func export(t *testing.T, name string) (decoded, nn.Module) {
	t.Helper()
	m, in, err := models.New(name, tensor.NewRand(3))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Export(&buf, m, in); err != nil {
		t.Fatal(err)
	}
	return readModel(t, buf.Bytes()), m
}

func TestExportMLP(t *testing.T) {
	d, m := export(t, "mlp")
	if v := d.model.int(modelIRVersion); v != IRVersion {
		t.Errorf("ir_version %d, want %d", v, IRVersion)
	}
	ops := d.model.msgs(t, modelOpsetImport)
	if len(ops) != 1 || ops[0].str(opsetDomain) != "" || ops[0].int(opsetVersion) != 17 {
		t.Errorf("opset_import %v, want the default domain at 17", ops)
	}
	if got, want := d.opTypes(), []string{"Reshape", "Gemm", "Relu", "Gemm"}; !slices.Equal(got, want) {
		t.Errorf("nodes %v, want %v", got, want)
	}
	ins, outs := d.graph.msgs(t, graphInput), d.graph.msgs(t, graphOutput)
	if len(ins) != 1 || len(outs) != 1 {
		t.Fatalf("%d inputs, %d outputs; want 1 and 1", len(ins), len(outs))
	}
	if name, dims := shapeOf(t, ins[0]); name != "input" || !slices.Equal(dims, []string{"N", "1", "28", "28"}) {
		t.Errorf("input %s %v, want input [N 1 28 28]", name, dims)
	}
	if name, dims := shapeOf(t, outs[0]); name != "output" || !slices.Equal(dims, []string{"N", "10"}) {
		t.Errorf("output %s %v, want output [N 10]", name, dims)
	}
	// The flatten's shape constant keeps the batch dynamic (0 = copy).
	shape := d.inits[d.nodes[0].strs(nodeInput)[1]]
	if got := rawInt64s(shape); !slices.Equal(got, []int64{0, 784}) {
		t.Errorf("reshape shape %v, want [0 784]", got)
	}
	// Every parameter is an initializer with its state-dict name and values.
	for _, p := range nn.StateDict(m) {
		init, ok := d.inits[p.Name]
		if !ok {
			t.Errorf("no initializer %q", p.Name)
			continue
		}
		if got := init.ints(tensorDims); !slices.Equal(got, int64s(p.Tensor.Shape())) {
			t.Errorf("%s dims %v, want %v", p.Name, got, p.Tensor.Shape())
		}
		if !slices.Equal(rawFloats(init), p.Tensor.Float32s()) {
			t.Errorf("%s: initializer values differ from the parameter's", p.Name)
		}
	}
	gemm := d.nodes[1]
	if got := gemm.strs(nodeInput); !slices.Equal(got[1:], []string{"fc1.weight", "fc1.bias"}) {
		t.Errorf("Gemm inputs %v, want fc1.weight, fc1.bias after the data", got)
	}
	if a := attrs(t, gemm)["transB"]; a == nil || a.int(attrI) != 1 || a.int(attrType) != attrInt {
		t.Errorf("Gemm transB attribute %v, want INT 1", a)
	}
	if last := d.nodes[len(d.nodes)-1].strs(nodeOutput); !slices.Equal(last, []string{"output"}) {
		t.Errorf("last node writes %v, want output", last)
	}
}

func TestExportCNN(t *testing.T) {
	d, _ := export(t, "cnn")
	want := []string{"Conv", "MaxPool", "Relu", "Conv", "MaxPool", "Relu", "Reshape", "Gemm", "Relu", "Gemm"}
	if got := d.opTypes(); !slices.Equal(got, want) {
		t.Fatalf("nodes %v, want %v", got, want)
	}
	conv := attrs(t, d.nodes[0])
	for name, v := range map[string][]int64{"kernel_shape": {5, 5}, "strides": {1, 1}, "pads": {2, 2, 2, 2}, "dilations": {1, 1}} {
		if a := conv[name]; a == nil || !slices.Equal(a.ints(attrIntsF), v) || a.int(attrType) != attrInts {
			t.Errorf("Conv %s = %v, want INTS %v", name, a, v)
		}
	}
	if a := conv["group"]; a == nil || a.int(attrI) != 1 {
		t.Errorf("Conv group %v, want 1", a)
	}
	pool := attrs(t, d.nodes[1])
	if a := pool["kernel_shape"]; a == nil || !slices.Equal(a.ints(attrIntsF), []int64{2, 2}) {
		t.Errorf("MaxPool kernel_shape %v, want [2 2]", a)
	}
	if a := pool["strides"]; a == nil || !slices.Equal(a.ints(attrIntsF), []int64{2, 2}) {
		t.Errorf("MaxPool strides %v, want [2 2]", a)
	}
	if got := rawInt64s(d.inits[d.nodes[6].strs(nodeInput)[1]]); !slices.Equal(got, []int64{0, 32 * 7 * 7}) {
		t.Errorf("flatten shape %v, want [0 1568]", got)
	}
}

func TestExportBatchNormUsesRunningStatistics(t *testing.T) {
	rng := tensor.NewRand(5)
	bn := nn.NewBatchNorm2d(3)
	m := nn.NewSequential(nn.NewConv2d(rng, 1, 3, 3), bn, nn.NewLeakyReLU(0.1), nn.NewGlobalAvgPool2d(), nn.NewSoftmax(1))
	m.SetTraining(true)
	var buf bytes.Buffer
	if err := Export(&buf, m, []int{1, 6, 6}); err != nil {
		t.Fatal(err)
	}
	d := readModel(t, buf.Bytes())
	want := []string{"Conv", "BatchNormalization", "LeakyRelu", "GlobalAveragePool", "Flatten", "Softmax"}
	if got := d.opTypes(); !slices.Equal(got, want) {
		t.Fatalf("nodes %v, want %v", got, want)
	}
	ins := d.nodes[1].strs(nodeInput)
	if len(ins) != 5 || !strings.HasSuffix(ins[3], "running_mean") || !strings.HasSuffix(ins[4], "running_var") {
		t.Errorf("BatchNormalization inputs %v, want x, weight, bias, running_mean, running_var", ins)
	}
	if _, ok := d.inits[ins[4]]; !ok {
		t.Errorf("no initializer for %s", ins[4])
	}
	a := attrs(t, d.nodes[1])["epsilon"]
	if a == nil || math.Float32frombits(a[attrF][0].(uint32)) != float32(bn.Eps) {
		t.Errorf("epsilon %v, want %g", a, bn.Eps)
	}
	if a := attrs(t, d.nodes[2])["alpha"]; a == nil || math.Float32frombits(a[attrF][0].(uint32)) != 0.1 {
		t.Errorf("LeakyRelu alpha %v, want 0.1", a)
	}
}

func TestExportConvTranspose(t *testing.T) {
	rng := tensor.NewRand(4)
	ct := nn.NewConvTranspose2d(rng, 4, 3, 3, nn.ConvTransposeStride(2), nn.ConvTransposePadding(1),
		nn.ConvTransposeOutputPadding(1), nn.ConvTransposeDilation(2))
	m := nn.NewSequential(nn.NewLinear(rng, 5, 4*3*3), nn.NewReshape(4, 3, 3), ct, nn.NewTanh())
	var buf bytes.Buffer
	if err := Export(&buf, m, []int{5}); err != nil {
		t.Fatal(err)
	}
	d := readModel(t, buf.Bytes())
	want := []string{"Gemm", "Reshape", "ConvTranspose", "Tanh"}
	if got := d.opTypes(); !slices.Equal(got, want) {
		t.Fatalf("nodes %v, want %v", got, want)
	}
	if got := rawInt64s(d.inits[d.nodes[1].strs(nodeInput)[1]]); !slices.Equal(got, []int64{0, 4, 3, 3}) {
		t.Errorf("reshape shape %v, want [0 4 3 3]", got)
	}
	node := d.nodes[2]
	if got := node.strs(nodeInput); len(got) != 3 || got[1] != "2.weight" || got[2] != "2.bias" {
		t.Errorf("ConvTranspose inputs %v, want x, 2.weight, 2.bias", got)
	}
	// Weight [in, out, kh, kw] is ONNX's [C, M/group, kH, kW]: dims and values unchanged.
	w := d.inits["2.weight"]
	if got := w.ints(tensorDims); !slices.Equal(got, []int64{4, 3, 3, 3}) {
		t.Errorf("weight dims %v, want [4 3 3 3]", got)
	}
	if !slices.Equal(rawFloats(w), ct.Weight.Float32s()) {
		t.Errorf("weight values differ from the layer's")
	}
	a := attrs(t, node)
	for name, v := range map[string][]int64{"kernel_shape": {3, 3}, "strides": {2, 2}, "pads": {1, 1, 1, 1},
		"dilations": {2, 2}, "output_padding": {1, 1}} {
		if at := a[name]; at == nil || !slices.Equal(at.ints(attrIntsF), v) || at.int(attrType) != attrInts {
			t.Errorf("ConvTranspose %s = %v, want INTS %v", name, at, v)
		}
	}
	if at := a["group"]; at == nil || at.int(attrI) != 1 || at.int(attrType) != attrInt {
		t.Errorf("ConvTranspose group %v, want INT 1", at)
	}
	// (3−1)·2 − 2 + 2·(3−1) + 1 + 1 = 8.
	if name, dims := shapeOf(t, d.graph.msgs(t, graphOutput)[0]); name != "output" || !slices.Equal(dims, []string{"N", "3", "8", "8"}) {
		t.Errorf("output %s %v, want output [N 3 8 8]", name, dims)
	}
}

func TestExportUnsupportedOpNamesIt(t *testing.T) {
	rng := tensor.NewRand(1)
	lin := nn.NewLinear(rng, 4, 6)
	x := tensor.RandN(rng, 2, 4).SetRequiresGrad(true)
	y := tensor.LogSigmoid(lin.Forward(x))
	var buf bytes.Buffer
	err := ExportTrace(&buf, x, y, nn.StateDict(lin))
	var ue *UnsupportedError
	if !errors.As(err, &ue) || ue.Kind != tensor.OpLogSigmoid || !strings.Contains(err.Error(), "LogSigmoid") {
		t.Fatalf("error %v, want an *UnsupportedError naming LogSigmoid", err)
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written despite the error", buf.Len())
	}

	custom := tensor.Custom("myop", tensor.Zeros(2, 6), []*tensor.Tensor{lin.Forward(x)}, func(g *tensor.Tensor) []*tensor.Tensor { return []*tensor.Tensor{g} })
	err = ExportTrace(&buf, x, custom, nn.StateDict(lin))
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "myop") || !strings.Contains(err.Error(), "Custom") {
		t.Fatalf("error %v, want an *UnsupportedError naming myop and its kind Custom", err)
	}
}

func TestExportConvTransposeOutputPadNotBelowStrideIsAnError(t *testing.T) {
	rng := tensor.NewRand(4)
	// Valid in duboko and PyTorch (below the dilation); ONNX Runtime refuses it.
	ct := nn.NewConvTranspose2d(rng, 2, 3, 3, nn.ConvTransposeDilation(2), nn.ConvTransposeOutputPadding(1))
	var buf bytes.Buffer
	err := Export(&buf, ct, []int{2, 4, 4})
	var ue *UnsupportedError
	if !errors.As(err, &ue) || ue.Kind != tensor.OpConvTranspose2d || !strings.Contains(err.Error(), "output padding") {
		t.Fatalf("error %v, want an *UnsupportedError for ConvTranspose2d naming the output padding", err)
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written despite the error", buf.Len())
	}
}

func TestExportIndexSelectAndGather(t *testing.T) {
	rng := tensor.NewRand(1)
	lin := nn.NewLinear(rng, 4, 6)
	x := tensor.RandN(rng, 2, 4).SetRequiresGrad(true)
	idx := tensor.FromInt64([]int64{0, 5, 2, 2}, 4)
	w := tensor.RandN(rng, 3, 4).SetRequiresGrad(true)
	h := tensor.IndexSelect(lin.Forward(x), 1, idx)                                // [N, 4]
	y := tensor.Add(h, tensor.Gather(w, 0, tensor.FromInts([]int{2, 0, 1, 1}, 4))) // + [4]
	state := append(nn.StateDict(lin), nn.Param{Name: "w", Tensor: w})
	var buf bytes.Buffer
	if err := ExportTrace(&buf, x, y, state); err != nil {
		t.Fatal(err)
	}
	d := readModel(t, buf.Bytes())
	want := []string{"Gemm", "Gather", "Unsqueeze", "GatherElements", "Squeeze", "Add"}
	if got := d.opTypes(); !slices.Equal(got, want) {
		t.Fatalf("nodes %v, want %v", got, want)
	}
	g := d.nodes[1]
	ind := d.inits[g.strs(nodeInput)[1]]
	if ind.int(tensorDataType) != dataInt64 || !slices.Equal(rawInt64s(ind), []int64{0, 5, 2, 2}) {
		t.Errorf("Gather indices %v (type %d), want the INT64 initializer [0 5 2 2]", rawInt64s(ind), ind.int(tensorDataType))
	}
	if a := attrs(t, g)["axis"]; a == nil || a.int(attrI) != 1 {
		t.Errorf("Gather axis %v, want 1", a)
	}
	if name, dims := shapeOf(t, d.graph.msgs(t, graphOutput)[0]); name != "output" || !slices.Equal(dims, []string{"N", "4"}) {
		t.Errorf("output %s %v, want output [N 4]", name, dims)
	}

	// An index of the traced batch size cannot follow a dynamic batch.
	z := tensor.Gather(tensor.Reshape(h, 2, 1, 4), 1, tensor.FromInt64(make([]int64, 8), 2, 4))
	err := ExportTrace(&bytes.Buffer{}, x, z, nn.StateDict(lin))
	var ue *UnsupportedError
	if !errors.As(err, &ue) || ue.Kind != tensor.OpGather {
		t.Fatalf("error %v, want an *UnsupportedError for the Gather", err)
	}
}

func TestExportReshapeAcrossBatchIsAnError(t *testing.T) {
	rng := tensor.NewRand(1)
	lin := nn.NewLinear(rng, 4, 6)
	x := tensor.RandN(rng, 2, 4).SetRequiresGrad(true)
	y := tensor.Reshape(lin.Forward(x), 12)
	err := ExportTrace(&bytes.Buffer{}, x, y, nn.StateDict(lin))
	var ue *UnsupportedError
	if !errors.As(err, &ue) || ue.Kind != tensor.OpReshape {
		t.Fatalf("error %v, want an *UnsupportedError for the Reshape", err)
	}
}
