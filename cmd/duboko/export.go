package main

import (
	"bytes"
	"fmt"
	"io"

	"github.com/duboko/duboko/internal/atomicfile"
	"github.com/duboko/duboko/onnx"
)

// exportFormats are the formats 'duboko export' writes.
var exportFormats = []string{"onnx"}

func runExport(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("export", "Exports a checkpoint written by 'duboko train' (or converted from PyTorch) for other runtimes:\nONNX opset 17, float32, dynamic batch dimension N, input \"input\", output \"output\"\n(ONNX Runtime, Triton, onnxruntime-web).", stdout)
	ckpt := fs.String("checkpoint", "", "checkpoint file (required)")
	model := fs.String("model", "", "model of the checkpoint (default: read from the checkpoint)")
	format := fs.String("format", "onnx", "output format: onnx")
	out := fs.String("out", "", "output file (required), written atomically")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format != "onnx" {
		return usageError{fmt.Sprintf("unknown --format %q (known: %s)", *format, exportFormats[0])}
	}
	if *ckpt == "" {
		return usageError{"--checkpoint is required"}
	}
	if *out == "" {
		return usageError{"--out is required"}
	}
	m, input, name, err := loadNamedCheckpoint(*ckpt, *model)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := onnx.Export(&buf, m, input, onnx.GraphName(name)); err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(*out, buf.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %s as ONNX opset %d, input [N %s], %d bytes\n", *out, name, onnx.Opset, exportDims(input), buf.Len())
	return nil
}

// exportDims formats a shape as "1 28 28".
func exportDims(shape []int) string {
	s := fmt.Sprint(shape)
	return s[1 : len(s)-1]
}
