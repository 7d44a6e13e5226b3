package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// duboko runs the command line in-process and returns its exit status,
// standard output and standard error.
func duboko(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// oneLineError asserts a failed run printed exactly one line and no trace.
func oneLineError(t *testing.T, code int, stderr, want string) {
	t.Helper()
	if code == 0 {
		t.Fatalf("exit status 0, want failure (%q)", want)
	}
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	if len(lines) != 1 || !strings.Contains(stderr, want) || strings.Contains(stderr, "goroutine") {
		t.Fatalf("stderr %q: want one line containing %q", stderr, want)
	}
}

func TestTrainEvalResume(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "run")
	metrics := filepath.Join(dir, "metrics.jsonl")
	code, stdout, stderr := duboko("train", "--model", "mlp", "--epochs", "1", "--max-train", "2000", "--val", "500",
		"--lr", "0.1", "--out", out, "--metrics", metrics)
	if code != 0 {
		t.Fatalf("train failed (%d): %s", code, stderr)
	}
	if !strings.Contains(stdout, "test accuracy:") {
		t.Fatalf("no test accuracy in output:\n%s", stdout)
	}
	for _, f := range []string{"checkpoint.safetensors", "training.png", "misclassified.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	lines := readLines(t, metrics)
	if len(lines) != 2 {
		t.Fatalf("metrics has %d lines, want 2 (one epoch, one final)", len(lines))
	}
	var final struct {
		Final        bool
		TestAccuracy float64 `json:"test_accuracy"`
	}
	if err := json.Unmarshal([]byte(lines[1]), &final); err != nil || !final.Final || final.TestAccuracy < 0.8 {
		t.Fatalf("final metrics %q (%v): want test_accuracy ≥ 0.8 after one epoch on 2000 images", lines[1], err)
	}

	ckpt := filepath.Join(out, "checkpoint.safetensors")
	code, stdout, stderr = duboko("eval", "--checkpoint", ckpt)
	if code != 0 || !strings.Contains(stdout, "test accuracy:") {
		t.Fatalf("eval: %d %s %s", code, stdout, stderr)
	}

	// resume for a second epoch from the checkpoint
	code, stdout, stderr = duboko("train", "--model", "mlp", "--epochs", "2", "--max-train", "2000", "--val", "500",
		"--lr", "0.1", "--out", out, "--resume", ckpt, "--metrics", metrics, "--no-plots")
	if code != 0 || !strings.Contains(stdout, "resumed from") || !strings.Contains(stdout, "epoch 2/2") || strings.Contains(stdout, "epoch 1/2") {
		t.Fatalf("resume: %d\n%s\n%s", code, stdout, stderr)
	}
	if n := len(readLines(t, metrics)); n != 3 {
		t.Fatalf("metrics after resume has %d lines, want 2 epochs + final", n)
	}

	// a checkpoint of another architecture is refused, naming the tensor
	code, _, stderr = duboko("eval", "--checkpoint", ckpt, "--model", "cnn")
	oneLineError(t, code, stderr, "missing tensor \"conv1.weight\"")
	code, _, stderr = duboko("train", "--model", "cnn", "--epochs", "1", "--resume", ckpt, "--out", "")
	oneLineError(t, code, stderr, "conv1.weight")
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		lines = append(lines, s.Text())
	}
	return lines
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	notDir := filepath.Join(dir, "file")
	os.WriteFile(notDir, []byte("x"), 0o644)
	corrupt := filepath.Join(dir, "corrupt")
	os.MkdirAll(corrupt, 0o755)
	for _, n := range []string{"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"} {
		os.WriteFile(filepath.Join(corrupt, n), []byte{7, 7, 8, 3, 0, 0, 0, 1}, 0o644)
	}
	badgz := filepath.Join(dir, "badgz")
	os.MkdirAll(badgz, 0o755)
	for _, n := range []string{"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"} {
		// a gzip magic followed by a broken header
		os.WriteFile(filepath.Join(badgz, n+".gz"), []byte{0x1f, 0x8b, 0, 0, 1, 2, 3}, 0o644)
	}
	truncated := filepath.Join(dir, "truncated")
	os.MkdirAll(truncated, 0o755)
	gzipped := func(b []byte) []byte {
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(b)
		zw.Close()
		return gz.Bytes()
	}
	// two 28×28 images promised, 100 bytes given; the headers are consistent
	images := gzipped(append([]byte{0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28}, make([]byte, 100)...))
	labels := gzipped([]byte{0, 0, 8, 1, 0, 0, 0, 2, 1, 2})
	for _, n := range []string{"train-images-idx3-ubyte", "t10k-images-idx3-ubyte"} {
		os.WriteFile(filepath.Join(truncated, n+".gz"), images, 0o644)
	}
	for _, n := range []string{"train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte"} {
		os.WriteFile(filepath.Join(truncated, n+".gz"), labels, 0o644)
	}
	garbage := filepath.Join(dir, "garbage.safetensors")
	os.WriteFile(garbage, []byte("not a checkpoint at all"), 0o644)

	cases := []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, "unknown command"},
		{[]string{"train", "--bogus"}, "flag provided but not defined"},
		{[]string{"train", "--epochs", "0"}, "--epochs must be at least 1"},
		{[]string{"train", "--batch", "-3"}, "--batch must be at least 1"},
		{[]string{"train", "--model", "resnet"}, "unknown model \"resnet\""},
		{[]string{"train", "--optimizer", "lbfgs"}, "unknown optimizer"},
		{[]string{"train", "--schedule", "1:x"}, "--schedule"},
		{[]string{"train", "--epochs", "x"}, "invalid value"},
		{[]string{"train", "stray"}, "unexpected argument"},
		{[]string{"train", "--model", "mlp", "--data", filepath.Join(dir, "missing")}, "neither"},
		{[]string{"train", "--model", "mlp", "--data", corrupt}, "magic"},
		{[]string{"train", "--model", "mlp", "--data", badgz}, "gzip"},
		{[]string{"train", "--model", "mlp", "--data", truncated}, "truncated"},
		{[]string{"train", "--model", "mlp", "--out", filepath.Join(notDir, "sub")}, "--out"},
		{[]string{"train", "--model", "mlp", "--epochs", "1", "--max-train", "200", "--lr", "1e30", "--out", ""}, "at epoch 1, step"},
		{[]string{"eval"}, "--checkpoint is required"},
		{[]string{"eval", "--checkpoint", filepath.Join(dir, "nope.safetensors")}, "no such file"},
		{[]string{"eval", "--checkpoint", garbage, "--model", "mlp"}, "safetensors"},
		{[]string{"summary", "--model", "resnet"}, "unknown model"},
		{[]string{"summary", "--batch", "0"}, "--batch must be at least 1"},
		{[]string{"graph", "--format", "pdf"}, "unknown --format"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, _, stderr := duboko(c.args...)
			oneLineError(t, code, stderr, c.want)
		})
	}
}

func TestHelp(t *testing.T) {
	code, stdout, _ := duboko("--help")
	if code != 0 || !strings.Contains(stdout, "train") || !strings.Contains(stdout, "graph") {
		t.Fatalf("--help: %d %s", code, stdout)
	}
	for _, sub := range []string{"train", "eval", "summary", "graph", "gradcheck"} {
		code, stdout, _ := duboko(sub, "--help")
		if code != 0 || !strings.Contains(stdout, "Usage: duboko "+sub) || !strings.Contains(stdout, "-") {
			t.Errorf("%s --help: %d %s", sub, code, stdout)
		}
	}
	code, _, _ = duboko()
	if code != 2 {
		t.Errorf("no arguments: status %d, want 2", code)
	}
}

func TestSummaryAndGraph(t *testing.T) {
	code, stdout, stderr := duboko("summary")
	if code != 0 || !strings.Contains(stdout, "Total params: 821,706") {
		t.Fatalf("summary: %d %s %s", code, stdout, stderr)
	}
	out := filepath.Join(t.TempDir(), "g.dot")
	code, _, stderr = duboko("graph", "--model", "mlp", "--backward", "--out", out)
	if code != 0 {
		t.Fatalf("graph: %s", stderr)
	}
	b, _ := os.ReadFile(out)
	if !strings.HasPrefix(string(b), "digraph") {
		t.Fatalf("not DOT: %.60q", b)
	}
}

// TestTrainCNNSmoke runs the default model for a few hundred images: the
// full default run is the opt-in TestDefaultRunReaches99 in package train.
func TestTrainCNNSmoke(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := duboko("train", "--epochs", "1", "--max-train", "500", "--val", "100", "--out", out)
	if code != 0 {
		t.Fatalf("train failed (%d): %s", code, stderr)
	}
	if !strings.Contains(stdout, "model cnn (821706 parameters)") || !strings.Contains(stdout, "test accuracy:") {
		t.Fatalf("unexpected output:\n%s", stdout)
	}
	if _, err := os.Stat(filepath.Join(out, "filters.png")); err != nil {
		t.Fatal("no conv filter plot:", err)
	}
}

func TestGradcheckCommand(t *testing.T) {
	code, stdout, stderr := duboko("gradcheck", "--model", "cnn", "--samples", "5")
	if code != 0 || !strings.Contains(stdout, "all gradients agree") || !strings.Contains(stdout, "conv2.weight (5 of 12800 elements)") {
		t.Fatalf("gradcheck: %d\n%s\n%s", code, stdout, stderr)
	}
	code, _, stderr = duboko("gradcheck", "--model", "resnet")
	oneLineError(t, code, stderr, "unknown model")
}
