package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duboko/duboko/data/sst"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestSSTSummary: 'duboko summary --model sst-gru' tabulates the layers
// with the recurrent layer's parameters and operations counted, none
// unknown.
func TestSSTSummary(t *testing.T) {
	const N, T, I, H = 10, 7, 300, 150
	code, out, stderr := duboko("summary", "--model", "sst-gru", "--batch", fmt.Sprint(N), "--steps", fmt.Sprint(T))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// Two GRU layers: 3 gates of H·(I_k + H + 2) parameters; per step,
	// sentence and unit 3(I_k + H) + 3 multiplications.
	params := 3*H*(I+H+2) + 3*H*(H+H+2)
	mul := N * T * H * ((3*(I+H) + 3) + (3*(H+H) + 3))
	for _, want := range []string{"input [10 7] int64", "embedding (Embedding)", "rnn (GRU)", thousands(params), thousands(mul), "fc2 (Linear)"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "?") {
		t.Errorf("unknown counts:\n%s", out)
	}
	for _, m := range models.SSTNames() {
		if code, _, stderr := duboko("summary", "--model", "sst-"+m, "--batch", "2", "--steps", "3"); code != 0 {
			t.Errorf("sst-%s: exit %d: %s", m, code, stderr)
		}
	}
	_, help, _ := duboko("summary", "--help")
	if !strings.Contains(help, "sst-lstm") {
		t.Errorf("summary --help does not list sst-lstm:\n%s", help)
	}
	code, _, stderr = duboko("summary", "--model", "sst-gru", "--steps", "0")
	oneLineError(t, code, stderr, "--steps")
}

// TestSSTGraph draws the recurrent models unrolled over their words and
// the fused forms; --steps is refused where nothing can be unrolled.
func TestSSTGraph(t *testing.T) {
	code, out, stderr := duboko("graph", "--model", "sst-lstm", "--steps", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"rnn.weight_hh_l1", "h2_l1", "c1_l0", "f2_l0", "logit"} {
		if !strings.Contains(out, want) {
			t.Errorf("unrolled graph lacks %q", want)
		}
	}
	code, out, stderr = duboko("graph", "--model", "sst-gru", "--format", "dot")
	if code != 0 || !strings.Contains(out, "GRU") || strings.Contains(out, "h1_l0") {
		t.Errorf("fused graph: exit %d, %s\n%s", code, stderr, out)
	}
	code, _, stderr = duboko("graph", "--model", "sst-baseline", "--steps", "2")
	oneLineError(t, code, stderr, "recurrent")
	code, _, stderr = duboko("graph", "--model", "cnn", "--steps", "2")
	oneLineError(t, code, stderr, "--steps")
}

// TestSSTEval evaluates a sentiment checkpoint (untrained weights, saved
// with the metadata 'duboko train --task sst' writes) and checks the
// accuracy it prints against the model run here on the test sentences.
func TestSSTEval(t *testing.T) {
	const maxTrain = 150
	vocab, _, _, _, err := sstDatasets(maxTrain)
	if err != nil {
		t.Fatal(err)
	}
	m, err := models.NewSST("rnn", tensor.NewRand(4), vocab.Len(), 8)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "checkpoint.safetensors")
	meta := map[string]string{"task": "sst", "model": "rnn", "vocab": vocab.Fingerprint(), "max_train": fmt.Sprint(maxTrain)}
	if err := nn.Save(path, m, meta); err != nil {
		t.Fatal(err)
	}
	_, _, test, err := sst.Load()
	if err != nil {
		t.Fatal(err)
	}
	correct := 0
	for i, s := range test.Sentences {
		ids := vocab.Encode(s)
		logit := m.ForwardText(tensor.FromInts(ids, 1, len(ids)), nil).Item()
		if (logit > 0) == (test.Labels[i] == sst.Positive) {
			correct++
		}
	}
	want := fmt.Sprintf("test accuracy: %.2f%%", 100*float64(correct)/float64(test.Len()))
	for _, args := range [][]string{{"eval", "--checkpoint", path}} {
		code, out, stderr := duboko(args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		if !strings.HasPrefix(out, want) || !strings.Contains(out, "872 sentences") {
			t.Errorf("%v printed %q, want %q…", args, out, want)
		}
	}
	if correct == 0 || correct == test.Len() {
		t.Fatal("no sentence classified right: the check is vacuous")
	}
	// The wrong model, and another vocabulary: one clear line each.
	code, _, stderr := duboko("eval", "--checkpoint", path, "--model", "sst-gru")
	oneLineError(t, code, stderr, "shape")
	meta["max_train"] = "0"
	if err := nn.Save(path, m, meta); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = duboko("eval", "--checkpoint", path)
	oneLineError(t, code, stderr, "another vocabulary")
}

// thousands formats n with commas, as the summary prints counts.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
