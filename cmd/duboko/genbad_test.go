package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestVAENaNKeepsCheckpoint: a VAE run whose loss becomes NaN (Adam at
// --lr 1e30, resumed from a good epoch) stops with one line naming the
// epoch and step and the kept checkpoint, which it leaves byte for byte.
func TestVAENaNKeepsCheckpoint(t *testing.T) {
	data := tinyIDX(t, 200, 50, 28, 28)
	out := filepath.Join(t.TempDir(), "vae")
	ck := filepath.Join(out, "checkpoint.safetensors")
	args := []string{"train", "--task", "vae", "--latent", "2", "--data", data, "--val", "0", "--no-plots", "--out", out}
	if code, _, stderr := duboko(append(args, "--epochs", "1")...); code != 0 {
		t.Fatal(stderr)
	}
	good, err := os.ReadFile(ck)
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := duboko(append(args, "--epochs", "2", "--resume", ck, "--lr", "1e30")...)
	oneLineError(t, code, stderr, "became NaN at epoch 2, step")
	oneLineError(t, code, stderr, "the checkpoint of epoch 1 in "+ck+" is kept")
	if now, _ := os.ReadFile(ck); !bytes.Equal(good, now) {
		t.Fatal("the NaN run replaced the good checkpoint")
	}
}

// TestGenerativeResumeRefusesOthers: --resume with a checkpoint of another
// model, of another size or CD variant, or with a file that is no
// checkpoint, is refused in one line before any training.
func TestGenerativeResumeRefusesOthers(t *testing.T) {
	dir := t.TempDir()
	data := tinyIDX(t, 100, 20, 28, 28)
	cnn := filepath.Join(dir, "cnn.safetensors")
	if err := nn.Save(cnn, models.CNN(tensor.NewRand(1)), map[string]string{"model": "cnn", "epoch": "1"}); err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("no checkpoint here"), 0o644); err != nil {
		t.Fatal(err)
	}
	rbm := func(name string, extra ...string) string {
		out := filepath.Join(dir, name)
		args := append([]string{"train", "--task", "rbm", "--hidden", "8", "--data", data, "--val", "0",
			"--epochs", "1", "--no-plots", "--out", out}, extra...)
		if code, _, stderr := duboko(args...); code != 0 {
			t.Fatal(stderr)
		}
		return filepath.Join(out, "checkpoint.safetensors")
	}
	cd, pcd := rbm("cd"), rbm("pcd", "--pcd")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--task", "vae", "--resume", cnn}, `checkpoint of model "cnn", not "vae" (resume it with --task mnist --model cnn)`},
		{[]string{"--task", "rbm", "--resume", cnn}, `checkpoint of model "cnn", not "rbm"`},
		{[]string{"--task", "vae", "--resume", cd}, `checkpoint of model "rbm", not "vae" (resume it with --task rbm)`},
		{[]string{"--task", "rbm", "--hidden", "9", "--resume", cd}, "has hidden 8, but --hidden is 9"},
		{[]string{"--task", "rbm", "--hidden", "8", "--pcd", "--resume", cd}, "has pcd false, but --pcd is true"},
		{[]string{"--task", "rbm", "--hidden", "8", "--resume", pcd}, "has pcd true, but --pcd is false"},
		{[]string{"--task", "rbm", "--hidden", "8", "--pcd", "--batch", "50", "--resume", pcd}, "has batch 100, but --batch is 50"},
		{[]string{"--task", "rbm", "--resume", text}, "--resume:"},
		{[]string{"--task", "vae", "--resume", filepath.Join(dir, "missing.safetensors")}, "--resume:"},
	} {
		code, _, stderr := duboko(append([]string{"train", "--epochs", "2", "--out", "", "--data", data, "--val", "0"}, c.args...)...)
		oneLineError(t, code, stderr, c.want)
	}
	// the PCD checkpoint resumes with the same flags
	code, stdout, stderr := duboko("train", "--task", "rbm", "--hidden", "8", "--pcd", "--data", data, "--val", "0",
		"--epochs", "2", "--no-plots", "--out", "", "--resume", pcd)
	if code != 0 {
		t.Fatalf("resume PCD: %d\n%s\n%s", code, stdout, stderr)
	}
}
