package main

import (
	"bytes"
	"fmt"
	"io"
	"slices"

	"github.com/duboko/duboko/internal/atomicfile"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/onnx"
	"github.com/duboko/duboko/safetensors"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

// exportFormats are the formats 'duboko export' writes.
var exportFormats = []string{"onnx"}

func runExport(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("export", "Exports a checkpoint written by 'duboko train' (or converted from PyTorch) for other runtimes:\nONNX opset 17, float32, dynamic batch dimension N, input \"input\", output \"output\"\n(ONNX Runtime, Triton, onnxruntime-web). A sentiment (sst) model takes INT64 token ids [N, --steps]\n(padded with id 0) and returns one logit per sentence; rnn, gru and lstm also take \"lengths\", INT64 [N]\n(each sentence's length in 1..steps), the baseline whole rows of --steps tokens.", stdout)
	ckpt := fs.String("checkpoint", "", "checkpoint file (required)")
	model := fs.String("model", "", "model of the checkpoint (default: read from the checkpoint)")
	format := fs.String("format", "onnx", "output format: onnx")
	out := fs.String("out", "", "output file (required), written atomically")
	steps := fs.Int("steps", 32, "sst models: the sentence length T of the exported input [N, T]")
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
	if *steps < 1 {
		return usageError{fmt.Sprintf("--steps %d: want at least 1", *steps)}
	}
	var (
		m     nn.Module
		input []int
		name  string
		opts  []onnx.Option
		err   error
	)
	var text onnx.TextModel
	vocab := 0
	if sst, v, sname, ok, serr := loadSSTCheckpoint(*ckpt, *model); serr != nil {
		return serr
	} else if ok {
		m, input, name, vocab = sst, []int{*steps}, sname, v
		opts = append(opts, onnx.InputIDs(vocab))
		if sname != "baseline" { // the baseline's mean divides by the lengths in Go
			text = sst
		}
	} else if m, input, name, err = loadNamedCheckpoint(*ckpt, *model); err != nil {
		return err
	}
	var buf bytes.Buffer
	opts = append(opts, onnx.GraphName(name))
	if text != nil {
		err = onnx.ExportText(&buf, text, *steps, vocab, opts...)
	} else {
		err = onnx.Export(&buf, m, input, opts...)
	}
	if err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(*out, buf.Bytes()); err != nil {
		return err
	}
	ins := fmt.Sprintf("input [N %s]", exportDims(input))
	if text != nil {
		ins += " and lengths [N]"
	}
	fmt.Fprintf(stdout, "wrote %s: %s as ONNX opset %d, %s, %d bytes\n", *out, name, onnx.Opset, ins, buf.Len())
	return nil
}

// exportDims formats a shape as "1 28 28".
func exportDims(shape []int) string {
	s := fmt.Sprint(shape)
	return s[1 : len(s)-1]
}

// loadSSTCheckpoint loads a sentiment model's checkpoint (metadata task
// "sst", or --model naming one of models.SSTNames), its vocabulary and
// dimension read from embedding.weight. ok is false for other checkpoints.
func loadSSTCheckpoint(path, model string) (m models.SentimentModel, vocab int, name string, ok bool, err error) {
	r, err := safetensors.Open(path)
	if err != nil {
		return nil, 0, "", false, err
	}
	meta := r.Metadata
	info, has := r.Info("embedding.weight")
	r.Close()
	name = model
	if name == "" {
		if meta["task"] != "sst" {
			return nil, 0, "", false, nil
		}
		name = meta["model"]
	}
	if !slices.Contains(models.SSTNames(), name) {
		return nil, 0, "", false, nil
	}
	if !has || len(info.Shape) != 2 {
		return nil, 0, "", false, fmt.Errorf("checkpoint %s: no embedding.weight [vocab, dim] for the sentiment model %s", path, name)
	}
	m, err = models.NewSST(name, tensor.NewRand(1), info.Shape[0], info.Shape[1])
	if err != nil {
		return nil, 0, "", false, usageError{err.Error()}
	}
	if _, err := train.LoadCheckpoint(path, m); err != nil {
		return nil, 0, "", false, err
	}
	return m, info.Shape[0], name, true, nil
}
