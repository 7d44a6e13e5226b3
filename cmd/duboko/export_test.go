package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/onnx"
	"github.com/duboko/duboko/tensor"
)

func TestExportWritesTheCheckpointsModel(t *testing.T) {
	dir := t.TempDir()
	m, in, err := models.New("mlp", tensor.NewRand(4))
	if err != nil {
		t.Fatal(err)
	}
	ckpt := filepath.Join(dir, "mlp.safetensors")
	if err := nn.Save(ckpt, m, map[string]string{"model": "mlp"}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "mlp.onnx")
	code, stdout, stderr := duboko("export", "--checkpoint", ckpt, "--format", "onnx", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "opset 17") {
		t.Errorf("stdout %q does not name the opset", stdout)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	// The file is the checkpoint's weights exported by the library.
	var want bytes.Buffer
	if err := onnx.Export(&want, m, in, onnx.GraphName("mlp")); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("duboko export wrote %d bytes that differ from onnx.Export's %d for the same weights", len(got), want.Len())
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".mlp.onnx.tmp*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestExportFlagErrors(t *testing.T) {
	dir := t.TempDir()
	m, _, _ := models.New("mlp", tensor.NewRand(4))
	ckpt := filepath.Join(dir, "mlp.safetensors")
	if err := nn.Save(ckpt, m, map[string]string{"model": "mlp"}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "m.onnx")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--checkpoint", ckpt, "--format", "tflite", "--out", out}, "unknown --format"},
		{[]string{"--out", out}, "--checkpoint is required"},
		{[]string{"--checkpoint", ckpt}, "--out is required"},
		{[]string{"--checkpoint", filepath.Join(dir, "missing.safetensors"), "--out", out}, "missing.safetensors"},
		{[]string{"--checkpoint", ckpt, "--model", "cnn", "--out", out}, "conv1"},
		{[]string{"--checkpoint", ckpt, "--out", filepath.Join(dir, "no", "such", "dir", "m.onnx")}, "no such file"},
	} {
		code, _, stderr := duboko(append([]string{"export"}, c.args...)...)
		if code == 0 {
			t.Errorf("%v: exit 0, want an error", c.args)
			continue
		}
		oneLineError(t, code, stderr, c.want)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s exists after failed exports", out)
	}
}

func TestExportSentimentCheckpoint(t *testing.T) {
	dir := t.TempDir()
	m, err := models.NewSST("gru", tensor.NewRand(4), 25, 6)
	if err != nil {
		t.Fatal(err)
	}
	ckpt := filepath.Join(dir, "gru.safetensors")
	if err := nn.Save(ckpt, m, map[string]string{"task": "sst", "model": "gru"}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "gru.onnx")
	code, stdout, stderr := duboko("export", "--checkpoint", ckpt, "--out", out, "--steps", "9")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "gru") || !strings.Contains(stdout, "input [N 9] and lengths [N]") {
		t.Errorf("stdout %q does not name the model and its inputs [N 9] and lengths [N]", stdout)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := onnx.ExportText(&want, m, 9, 25, onnx.GraphName("gru")); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("duboko export wrote %d bytes that differ from onnx.Export's %d for the same weights", len(got), want.Len())
	}
	code, _, stderr = duboko("export", "--checkpoint", ckpt, "--out", out, "--steps", "0")
	oneLineError(t, code, stderr, "--steps")
}
