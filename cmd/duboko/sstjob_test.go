package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/duboko/duboko/data/sst"
	"github.com/duboko/duboko/data/text"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// sstArgs is a run of seconds: 200 training sentences, one epoch.
func sstArgs(model, out string, extra ...string) []string {
	return append([]string{"train", "--task", "sst", "--model", model, "--max-train", "200", "--epochs", "1", "--out", out}, extra...)
}

// TestSSTSmoke trains each sentiment model for one short epoch: it prints
// validation accuracy and F1, the test accuracy, and writes the checkpoint,
// the curves and a metrics file ending with test_accuracy.
func TestSSTSmoke(t *testing.T) {
	for _, model := range models.SSTNames() {
		t.Run(model, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "run")
			metrics := filepath.Join(dir, "m.jsonl")
			code, stdout, stderr := duboko(sstArgs(model, out, "--metrics", metrics)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, want := range []string{"model " + model + " (", fmt.Sprintf("adam lr %g,", sstLRScratch), "val loss", "F1", "test accuracy:"} {
				if !strings.Contains(stdout, want) {
					t.Fatalf("no %q in output:\n%s", want, stdout)
				}
			}
			for _, f := range []string{"checkpoint.safetensors", "training.png"} {
				if _, err := os.Stat(filepath.Join(out, f)); err != nil {
					t.Errorf("missing %s: %v", f, err)
				}
			}
			lines := readLines(t, metrics)
			if len(lines) != 2 {
				t.Fatalf("metrics has %d lines, want 2", len(lines))
			}
			var epoch map[string]any
			var final struct {
				Final        bool
				TestAccuracy *float64 `json:"test_accuracy"`
				TestF1       *float64 `json:"test_f1"`
				Vocab        string
			}
			if err := json.Unmarshal([]byte(lines[0]), &epoch); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"val_accuracy", "val_f1", "train_loss"} {
				if v, ok := epoch[k].(float64); !ok || v < 0 {
					t.Fatalf("epoch line lacks %s: %s", k, lines[0])
				}
			}
			if err := json.Unmarshal([]byte(lines[1]), &final); err != nil || !final.Final || final.TestAccuracy == nil ||
				*final.TestAccuracy <= 0 || *final.TestAccuracy >= 1 || final.TestF1 == nil {
				t.Fatalf("final line %s (%v)", lines[1], err)
			}
			if v := vocab200(t); final.Vocab != v.Fingerprint() {
				t.Fatalf("final line's vocab %q, want the fingerprint %q of the training sentences' vocabulary", final.Vocab, v.Fingerprint())
			}
			// The checkpoint loads into a freshly built model of the same vocabulary.
			m, err := models.NewSST(model, tensor.NewRand(9), vocab200(t).Len(), models.SSTEmbedDim)
			if err != nil {
				t.Fatal(err)
			}
			meta, err := nn.Load(filepath.Join(out, "checkpoint.safetensors"), m)
			if err != nil || meta["task"] != "sst" || meta["model"] != model {
				t.Fatalf("checkpoint: %v, meta %v", err, meta)
			}
		})
	}
}

// vocab200 is the vocabulary of the first 200 training sentences.
func vocab200(t *testing.T) *text.Vocab {
	t.Helper()
	v, _, _, _, err := sstDatasets(200)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSSTResume: a second epoch resumes from the checkpoint; a checkpoint
// of another model or another vocabulary is refused in one line.
func TestSSTResume(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	if code, _, stderr := duboko(sstArgs("baseline", out, "--no-plots")...); code != 0 {
		t.Fatal(stderr)
	}
	ck := filepath.Join(out, "checkpoint.safetensors")
	code, stdout, stderr := duboko(append(sstArgs("baseline", out, "--no-plots", "--resume", ck), "--epochs", "2")...)
	if code != 0 || !strings.Contains(stdout, "resumed from") || !strings.Contains(stdout, "epoch 2/2") || strings.Contains(stdout, "epoch 1/2") {
		t.Fatalf("resume: %d\n%s\n%s", code, stdout, stderr)
	}
	code, _, stderr = duboko(append(sstArgs("gru", t.TempDir(), "--resume", ck), "--epochs", "3")...)
	oneLineError(t, code, stderr, "--resume")
	if !strings.Contains(stderr, "model") {
		t.Fatalf("another model: %q does not name the model", stderr)
	}
	code, _, stderr = duboko(append(sstArgs("baseline", t.TempDir(), "--resume", ck), "--epochs", "3", "--max-train", "300")...)
	oneLineError(t, code, stderr, "vocab")
}

// TestSSTVectors: --vectors loads the file's vectors into the embedding,
// which stays frozen through training; a malformed file is one clear line.
func TestSSTVectors(t *testing.T) {
	dir := t.TempDir()
	trainSet, _, _, err := sst.Load()
	if err != nil {
		t.Fatal(err)
	}
	word := trainSet.Sentences[0][0]
	good := filepath.Join(dir, "vec.txt")
	if err := os.WriteFile(good, []byte(fmt.Sprintf("%s 0.5 -1 2 0.25\nzzznotaword 1 1 1 1\n", word)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "run")
	code, stdout, stderr := duboko(sstArgs("baseline", out, "--no-plots", "--vectors", good)...)
	if code != 0 || !strings.Contains(stdout, "embeddings frozen vec.txt") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	// Frozen vectors take the lab's rate by default; an explicit --lr wins.
	if want := fmt.Sprintf("adam lr %g,", sstLRVectors); !strings.Contains(stdout, want) {
		t.Fatalf("no %q in output with --vectors:\n%s", want, stdout)
	}
	code, stdout, stderr = duboko(sstArgs("baseline", "", "--vectors", good, "--lr", "0.003")...)
	if code != 0 || !strings.Contains(stdout, "adam lr 0.003,") {
		t.Fatalf("--vectors --lr 0.003: exit %d\n%s\n%s", code, stdout, stderr)
	}
	v, _, _, _, err := sstDatasets(200)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := models.NewSST("baseline", tensor.NewRand(9), v.Len(), 4)
	if _, err := nn.Load(filepath.Join(out, "checkpoint.safetensors"), m); err != nil {
		t.Fatal(err)
	}
	id := v.Encode([]string{word})[0]
	w := m.Embedding().Weight.Float32s()
	if got := w[4*id : 4*id+4]; !reflect.DeepEqual(got, []float32{0.5, -1, 2, 0.25}) {
		t.Fatalf("row of %q after training: %v, want the file's vector unchanged", word, got)
	}
	if got := w[:4]; !reflect.DeepEqual(got, []float32{0, 0, 0, 0}) {
		t.Fatalf("padding row %v, want zeros", got)
	}

	bad := filepath.Join(dir, "bad.txt")
	if err := os.WriteFile(bad, []byte("the 1 2 3\nfilm 1 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = duboko(sstArgs("gru", filepath.Join(dir, "r2"), "--vectors", bad)...)
	oneLineError(t, code, stderr, "--vectors")
	if !strings.Contains(stderr, "bad.txt:2") {
		t.Fatalf("stderr %q does not name the line", stderr)
	}
	code, _, stderr = duboko(sstArgs("gru", filepath.Join(dir, "r3"), "--vectors", filepath.Join(dir, "missing.txt"))...)
	oneLineError(t, code, stderr, "--vectors")
}

// TestSSTBadFlags: a model of another task, an unknown task and a bad rate
// are one-line usage errors.
func TestSSTBadFlags(t *testing.T) {
	code, _, stderr := duboko("train", "--task", "sst", "--model", "cnn")
	oneLineError(t, code, stderr, `unknown model "cnn" for --task sst`)
	code, _, stderr = duboko("train", "--task=poetry")
	oneLineError(t, code, stderr, `unknown --task "poetry"`)
	code, _, stderr = duboko("train", "--task", "sst", "--lr", "0")
	oneLineError(t, code, stderr, "--lr")
}

func TestTaskFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		task string
		rest []string
	}{
		{[]string{"--epochs", "2"}, "", []string{"--epochs", "2"}},
		{[]string{"--task", "sst", "--epochs", "2"}, "sst", []string{"--epochs", "2"}},
		{[]string{"--epochs", "2", "-task=mnist"}, "mnist", []string{"--epochs", "2"}},
		{[]string{"--", "--task", "sst"}, "", []string{"--", "--task", "sst"}},
	} {
		task, rest := taskFlag(c.args)
		if task != c.task || !reflect.DeepEqual(rest, c.rest) {
			t.Errorf("taskFlag(%q) = %q, %q; want %q, %q", c.args, task, rest, c.task, c.rest)
		}
	}
}
