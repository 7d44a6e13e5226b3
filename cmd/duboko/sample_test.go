package main

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duboko/duboko/generative/quality"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

func pngSize(t *testing.T, path string) (int, int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return c.Width, c.Height
}

// TestSampleRBMCheckpoint trains a small PCD RBM with 'duboko train', then
// draws a grid and a samples file from its checkpoint.
func TestSampleRBMCheckpoint(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "rbm")
	code, stdout, stderr := duboko("train", "--task", "rbm", "--hidden", "16", "--pcd", "--data", tinyIDX(t, 200, 20, 28, 28), "--val", "0",
		"--epochs", "1", "--no-plots", "--out", out)
	if code != 0 {
		t.Fatalf("train: %d\n%s\n%s", code, stdout, stderr)
	}
	grid, file := filepath.Join(dir, "grid.png"), filepath.Join(dir, "s.safetensors")
	code, stdout, stderr = duboko("sample", "--checkpoint", filepath.Join(out, "checkpoint.safetensors"), "--n", "30",
		"--steps", "5", "--out", grid, "--tensors", file)
	if code != 0 || !strings.Contains(stdout, "persistent chain") || !strings.Contains(stdout, "wrote "+grid) {
		t.Fatalf("sample: %d\n%s\n%s", code, stdout, stderr)
	}
	if w, h := pngSize(t, grid); w < 6*28 || h < 5*28 {
		t.Errorf("grid of 30 samples is %d×%d", w, h)
	}
	x, err := quality.ReadSamples(file)
	if err != nil || x.Dim(0) != 30 {
		t.Fatalf("samples file: %v", err)
	}
}

func TestSampleVAECheckpoint(t *testing.T) {
	dir := t.TempDir()
	ck := filepath.Join(dir, "vae.safetensors")
	if err := nn.Save(ck, models.NewVAE(tensor.NewRand(1), 4), map[string]string{"model": "vae", "latent": "4"}); err != nil {
		t.Fatal(err)
	}
	grid := filepath.Join(dir, "grid.png")
	code, stdout, stderr := duboko("sample", "--checkpoint", ck, "--out", grid, "--cols", "20")
	if code != 0 || !strings.Contains(stdout, "100 samples of VAE (latent 4)") {
		t.Fatalf("sample: %d\n%s\n%s", code, stdout, stderr)
	}
	if w, h := pngSize(t, grid); w < 20*28 || h < 5*28 || w < h {
		t.Errorf("grid of 100 samples in 20 columns is %d×%d", w, h)
	}
	// the same seed draws the same samples
	a, b := filepath.Join(dir, "a.safetensors"), filepath.Join(dir, "b.safetensors")
	duboko("sample", "--checkpoint", ck, "--out", "", "--tensors", a, "--n", "5", "--seed", "7")
	duboko("sample", "--checkpoint", ck, "--out", "", "--tensors", b, "--n", "5", "--seed", "7")
	x, err1 := quality.ReadSamples(a)
	y, err2 := quality.ReadSamples(b)
	if err1 != nil || err2 != nil || !equalF32(x.Float32s(), y.Float32s()) {
		t.Errorf("same seed, different samples (%v, %v)", err1, err2)
	}
}

func equalF32(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSampleErrors(t *testing.T) {
	dir := t.TempDir()
	cls := filepath.Join(dir, "cnn.safetensors")
	if err := nn.Save(cls, models.MLP(tensor.NewRand(1)), map[string]string{"model": "mlp"}); err != nil {
		t.Fatal(err)
	}
	vae := filepath.Join(dir, "vae.safetensors")
	if err := nn.Save(vae, models.NewVAE(tensor.NewRand(1), 2), map[string]string{"model": "vae", "latent": "2"}); err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("not a checkpoint at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	keep := filepath.Join(dir, "keep.png")
	if err := os.WriteFile(keep, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"sample"}, 2, "--checkpoint is required"},
		{[]string{"sample", "--checkpoint", vae, "--n", "0"}, 2, "--n must be in 1..100000"},
		{[]string{"sample", "--checkpoint", vae, "--out", ""}, 2, "nothing to write"},
		{[]string{"sample", "--checkpoint", cls, "--out", keep}, 1, `classifier "mlp", which draws no samples`},
		{[]string{"sample", "--checkpoint", text}, 1, "notes.txt"},
		{[]string{"sample", "--checkpoint", filepath.Join(dir, "none.safetensors")}, 1, "none.safetensors"},
		{[]string{"sample", "--checkpoint", vae, "--out", filepath.Join(dir, "no", "such", "dir.png")}, 1, "--out:"},
	} {
		code, _, stderr := duboko(c.args...)
		if code != c.code {
			t.Errorf("%v: status %d, want %d (%s)", c.args, code, c.code, stderr)
		}
		oneLineError(t, code, stderr, c.want)
	}
	if b, _ := os.ReadFile(keep); string(b) != "old" {
		t.Error("a failed run replaced the --out file")
	}
}
