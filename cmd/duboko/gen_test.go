package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// finalLine decodes the last line of a metrics file into v.
func finalLine(t *testing.T, path string, v any) {
	t.Helper()
	lines := readLines(t, path)
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), v); err != nil {
		t.Fatalf("final metrics %q: %v", lines[len(lines)-1], err)
	}
}

func mustExist(t *testing.T, dir string, files ...string) {
	t.Helper()
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
}

// TestTrainVAESmoke trains the VAE with a 2-D latent space for one epoch
// on 300 images, checks the final metrics (ELBO = −(recon + KL), both parts
// positive) and the pictures, then resumes for a second epoch.
func TestTrainVAESmoke(t *testing.T) {
	dir := t.TempDir()
	out, metrics := filepath.Join(dir, "vae"), filepath.Join(dir, "m.jsonl")
	args := []string{"train", "--task", "vae", "--latent", "2", "--max-train", "300", "--val", "100",
		"--out", out, "--metrics", metrics}
	code, stdout, stderr := duboko(append(args, "--epochs", "1")...)
	if code != 0 || !strings.Contains(stdout, "test ELBO:") {
		t.Fatalf("train: %d\n%s\n%s", code, stdout, stderr)
	}
	mustExist(t, out, "checkpoint.safetensors", "training.png", "reconstructions.png", "samples.png", "latent.png", "manifold.png")
	var f struct {
		Final bool
		ELBO  float64 `json:"test_elbo"`
		Recon float64 `json:"test_reconstruction"`
		KL    float64 `json:"test_kl"`
	}
	finalLine(t, metrics, &f)
	if !f.Final || !(f.Recon > 0) || !(f.KL >= 0) || math.Abs(f.ELBO+f.Recon+f.KL) > 1e-6*math.Abs(f.ELBO) {
		t.Fatalf("final metrics %+v: want test_elbo = −(reconstruction + kl), both parts ≥ 0", f)
	}
	// Bernoulli likelihood of 784 grey levels: an untrained model scores about −543 nats
	// (784·log 2); one epoch must do better, and nothing can beat 0.
	if !(f.ELBO < 0 && f.ELBO > -543) {
		t.Fatalf("test ELBO %v after one epoch: want in (−543, 0)", f.ELBO)
	}
	code, stdout, stderr = duboko(append(args, "--epochs", "2", "--resume", filepath.Join(out, "checkpoint.safetensors"), "--no-plots")...)
	if code != 0 || !strings.Contains(stdout, "resumed from") || !strings.Contains(stdout, "epoch 2/2") || strings.Contains(stdout, "epoch 1/2") {
		t.Fatalf("resume: %d\n%s\n%s", code, stdout, stderr)
	}
	if n := len(readLines(t, metrics)); n != 3 {
		t.Fatalf("metrics after resume has %d lines, want 2 epochs + final", n)
	}
	// a checkpoint of another latent size, or of another task, is refused in one line
	code, _, stderr = duboko("train", "--task", "vae", "--epochs", "3", "--resume", filepath.Join(out, "checkpoint.safetensors"), "--out", "")
	oneLineError(t, code, stderr, "has latent 2, but --latent is 20")
	code, _, stderr = duboko("train", "--task", "rbm", "--epochs", "3", "--resume", filepath.Join(out, "checkpoint.safetensors"), "--out", "")
	oneLineError(t, code, stderr, `checkpoint of model "vae", not "rbm" (resume it with --task vae)`)
	code, _, stderr = duboko("train", "--epochs", "3", "--resume", filepath.Join(out, "checkpoint.safetensors"), "--out", "")
	oneLineError(t, code, stderr, `checkpoint of model "vae", not a classifier (resume it with --task vae)`)
}

// TestTrainRBMSmoke trains an RBM with PCD-2 for one epoch on 300 images
// and checks its metrics and pictures, then resumes for a second epoch.
func TestTrainRBMSmoke(t *testing.T) {
	dir := t.TempDir()
	out, metrics := filepath.Join(dir, "rbm"), filepath.Join(dir, "m.jsonl")
	args := []string{"train", "--task", "rbm", "--hidden", "36", "--cd-k", "2", "--pcd", "--max-train", "300", "--val", "100",
		"--out", out, "--metrics", metrics}
	code, stdout, stderr := duboko(append(args, "--epochs", "1")...)
	if code != 0 || !strings.Contains(stdout, "PCD-2") || !strings.Contains(stdout, "test reconstruction error:") {
		t.Fatalf("train: %d\n%s\n%s", code, stdout, stderr)
	}
	mustExist(t, out, "checkpoint.safetensors", "training.png", "filters.png", "reconstructions.png", "samples.png")
	var f struct {
		Final bool
		Err   float64 `json:"reconstruction_error"`
	}
	finalLine(t, metrics, &f)
	// Σ over 784 pixels of squared errors: 0 at best; an untrained RBM
	// (all probabilities ½) scores about 784·¼ ≈ 196 minus the data's spread.
	if !f.Final || !(f.Err > 0 && f.Err < 150) {
		t.Fatalf("final metrics %+v: want a reconstruction error in (0, 150)", f)
	}
	code, stdout, stderr = duboko(append(args, "--epochs", "2", "--resume", filepath.Join(out, "checkpoint.safetensors"), "--no-plots")...)
	if code != 0 || !strings.Contains(stdout, "resumed from") || !strings.Contains(stdout, "epoch 2/2") {
		t.Fatalf("resume: %d\n%s\n%s", code, stdout, stderr)
	}
}

// TestGenerativeFlagErrors: flags of another task and bad values are
// refused in one line naming the flag.
func TestGenerativeFlagErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--task", "gan"}, `unknown --task "gan"`},
		{[]string{"--task", "vae", "--model", "mlp"}, "--model applies to --task mnist, not vae"},
		{[]string{"--task", "rbm", "--latent", "2"}, "--latent applies to --task vae, not rbm"},
		{[]string{"--cd-k", "3"}, "--cd-k applies to --task rbm, not mnist"},
		{[]string{"--task", "rbm", "--cd-k", "0"}, "--cd-k must be in 1..10000"},
		{[]string{"--task", "vae", "--latent", "0"}, "--latent must be in 1..10000"},
		{[]string{"--task", "vae", "--lr", "NaN"}, "--lr must be a finite number"},
	} {
		code, _, stderr := duboko(append([]string{"train", "--out", ""}, c.args...)...)
		oneLineError(t, code, stderr, c.want)
	}
}
