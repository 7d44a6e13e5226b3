package onnx_test

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/onnx"
	"github.com/duboko/duboko/tensor"
)

// Export writes a model for ONNX Runtime; the input's batch axis is "N".
func ExampleExport() {
	m, input, _ := models.New("cnn", tensor.NewRand(1))
	var buf bytes.Buffer // an *os.File in practice
	if err := onnx.Export(&buf, m, input); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("opset %d, input %s×%v, %.1f MB of weights and graph\n", onnx.Opset, onnx.BatchDim, input, float64(buf.Len())/1e6)
	// Output: opset 17, input N×[1 28 28], 3.3 MB of weights and graph
}

// An op without an ONNX translation is an error that names it.
func ExampleExportTrace_unsupported() {
	rng := tensor.NewRand(1)
	fc := nn.NewLinear(rng, 4, 3)
	x := tensor.RandN(rng, 2, 4).SetRequiresGrad(true)
	y := tensor.LogSigmoid(fc.Forward(x))
	err := onnx.ExportTrace(&bytes.Buffer{}, x, y, nn.StateDict(fc))
	var ue *onnx.UnsupportedError
	fmt.Println(errors.As(err, &ue), err)
	// Output: true onnx: cannot export op LogSigmoid (kind LogSigmoid)
}

// ExportText writes a model of token ids with their lengths: the graph
// takes "input" (INT64 ids [N, T]) and "lengths" (INT64 [N]), and the
// recurrent layers get ONNX's sequence_lens. The sentiment baseline
// divides by the lengths in Go, outside recorded ops: not exportable so.
func ExampleExportText() {
	gru, _ := models.NewSST("gru", tensor.NewRand(1), 100, 16)
	fmt.Println(onnx.ExportText(&bytes.Buffer{}, gru, 12, 100))
	baseline, _ := models.NewSST("baseline", tensor.NewRand(1), 100, 16)
	fmt.Println(onnx.ExportText(&bytes.Buffer{}, baseline, 12, 100))
	// Output:
	// <nil>
	// onnx: cannot export op Div (kind Div): constant [2 1] has the traced batch size 2 along the batch axis with differing rows: it depends on the batch, which a dynamic batch cannot express
}
