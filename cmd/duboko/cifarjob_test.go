package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duboko/duboko/data/cifar"
	"github.com/duboko/duboko/safetensors"
	"github.com/duboko/duboko/train"
)

// cifarColours are the class tints of the test's images.
var cifarColours = [cifar.NumClasses][3]int{
	{230, 30, 30}, {30, 230, 30}, {30, 30, 230}, {230, 230, 30}, {230, 30, 230},
	{30, 230, 230}, {128, 128, 128}, {240, 140, 20}, {20, 100, 60}, {140, 60, 200},
}

// writeCIFARDir writes a CIFAR-10 binary folder with n records in each of
// the six files, whose class shows in the image's colour (a tint plus
// noise), so that a network can learn it in an epoch or two. Every 8th
// test record has the tint of the next class, a mistake a network that
// learnt the colours makes.
func writeCIFARDir(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(5, 9))
	for _, name := range append(append([]string(nil), cifar.TrainFiles...), cifar.TestFile) {
		buf := make([]byte, 0, n*cifar.RecordSize)
		for r := 0; r < n; r++ {
			label := rng.IntN(cifar.NumClasses)
			buf = append(buf, byte(label))
			tint := cifarColours[label]
			if name == cifar.TestFile && r%8 == 0 {
				tint = cifarColours[(label+1)%cifar.NumClasses]
			}
			for c := 0; c < cifar.Channels; c++ {
				for p := 0; p < cifar.Height*cifar.Width; p++ {
					v := tint[c] + rng.IntN(81) - 40
					buf = append(buf, byte(max(0, min(255, v))))
				}
			}
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestTrainCIFAR runs 'duboko train --model cifar' end to end on a small
// CIFAR-format folder (6 × 40 records) for two short epochs with
// augmentation: it must learn the colours (to at most 35 of 40 test images), write the checkpoint, the
// metrics with test_accuracy and the plots (filters and misclassified
// images in colour), evaluate to the same accuracy with 'duboko eval', and
// resume from its checkpoint.
func TestTrainCIFAR(t *testing.T) {
	data := writeCIFARDir(t, 40)
	tmp := t.TempDir()
	out := filepath.Join(tmp, "run")
	metrics := filepath.Join(tmp, "metrics.jsonl")
	code, stdout, stderr := duboko("train", "--model", "cifar", "--data", data, "--epochs", "2", "--batch", "10",
		"--val", "40", "--crop", "2", "--flip", "--optimizer", "adam", "--out", out, "--metrics", metrics)
	if code != 0 {
		t.Fatalf("train failed (%d): %s\n%s", code, stderr, stdout)
	}
	for _, want := range []string{"model cifar (449898 parameters), 160 training / 40 validation / 40 test images",
		"crop pad 2, flip true", "per-channel normalisation (R, G, B): mean 0.", "0 airplane, 1 automobile", "test accuracy:"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	lines := readLines(t, metrics)
	if len(lines) != 3 {
		t.Fatalf("metrics has %d lines, want 2 epochs and a final one", len(lines))
	}
	var final struct {
		Final        bool
		TestAccuracy float64 `json:"test_accuracy"`
		Confusion    [][]int
	}
	if err := json.Unmarshal([]byte(lines[2]), &final); err != nil || !final.Final || len(final.Confusion) != 10 {
		t.Fatalf("final metrics %q: %v", lines[2], err)
	}
	t.Logf("test accuracy after 2 epochs: %.3f", final.TestAccuracy)
	if final.TestAccuracy < 0.6 || final.TestAccuracy > 0.875 { // chance is 0.1; 5 of the 40 are tinted as another class
		t.Errorf("test accuracy %.3f: not learning the class colours", final.TestAccuracy)
	}
	meta := readMeta(t, filepath.Join(out, "checkpoint.safetensors"))
	if meta["model"] != "cifar" || !strings.HasPrefix(meta["normalize_mean"], "0.") || strings.Count(meta["normalize_std"], ",") != 2 {
		t.Errorf("checkpoint metadata %v", meta)
	}
	for _, f := range []string{"training.png", "filters_init.png", "filters.png"} {
		img := readPNG(t, filepath.Join(out, f))
		if f != "training.png" && colourful(img) < 100 {
			t.Errorf("%s has %d coloured pixels: filters should be drawn in colour", f, colourful(img))
		}
	}
	if img := readPNG(t, filepath.Join(out, "misclassified.png")); colourful(img) < 100 {
		t.Errorf("misclassified.png has %d coloured pixels", colourful(img))
	}

	// eval normalises with the statistics in the checkpoint: the same accuracy
	ckpt := filepath.Join(out, "checkpoint.safetensors")
	code, stdout, stderr = duboko("eval", "--checkpoint", ckpt, "--data", data)
	if want := fmt.Sprintf("test accuracy: %.2f%% (40 images", 100*final.TestAccuracy); code != 0 || !strings.Contains(stdout, want) {
		t.Errorf("eval: %d %q %s, want %q", code, stdout, stderr, want)
	}
	code, _, stderr = duboko("eval", "--checkpoint", ckpt)
	oneLineError(t, code, stderr, "--data is required")

	code, stdout, stderr = duboko("train", "--task", "cifar", "--data", data, "--epochs", "3", "--batch", "10",
		"--val", "40", "--optimizer", "adam", "--out", out, "--resume", filepath.Join(out, "checkpoint.safetensors"), "--no-plots")
	if code != 0 || !strings.Contains(stdout, "resumed from") || !strings.Contains(stdout, "epoch 3/3") || strings.Contains(stdout, "epoch 2/3") {
		t.Fatalf("resume: %d\n%s\n%s", code, stdout, stderr)
	}
}

// readMeta returns a checkpoint's metadata.
func readMeta(t *testing.T, path string) map[string]string {
	t.Helper()
	meta, err := train.ReadMetadata(path)
	if err != nil {
		t.Fatal(err)
	}
	return meta
}

// readPNG decodes the PNG file at path.
func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// colourful counts the pixels of img that are not a shade of grey.
func colourful(img image.Image) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if max(r, g, bl)-min(r, g, bl) > 0x1000 {
				n++
			}
		}
	}
	return n
}

// TestTrainCIFARErrors checks that a missing or corrupt --data folder and
// bad CIFAR flags end in one clear line, not a trace.
func TestTrainCIFARErrors(t *testing.T) {
	good := writeCIFARDir(t, 3)
	tmp := t.TempDir()
	notDir := filepath.Join(tmp, "file")
	os.WriteFile(notDir, []byte("x"), 0o644)
	corrupt := t.TempDir()
	badLabel := t.TempDir()
	for _, name := range append(append([]string(nil), cifar.TrainFiles...), cifar.TestFile) {
		b, err := os.ReadFile(filepath.Join(good, name))
		if err != nil {
			t.Fatal(err)
		}
		bl := append([]byte(nil), b...)
		if name == "data_batch_3.bin" {
			b = b[:len(b)-5]
			bl[cifar.RecordSize] = 12 // record 1's label
		}
		os.WriteFile(filepath.Join(corrupt, name), b, 0o644)
		os.WriteFile(filepath.Join(badLabel, name), bl, 0o644)
	}
	missing := t.TempDir()
	os.WriteFile(filepath.Join(missing, "data_batch_1.bin"), make([]byte, cifar.RecordSize), 0o644)

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--task", "cifar"}, "--data is required"},
		{[]string{"--model", "cifar", "--data", filepath.Join(tmp, "nope")}, "no such directory; download the CIFAR-10 binary version from https://www.cs.toronto.edu/~kriz/cifar.html"},
		{[]string{"--task", "cifar", "--data", notDir}, "is not a directory"},
		{[]string{"--task", "cifar", "--data", missing}, "data_batch_2.bin: missing file"},
		{[]string{"--task", "cifar", "--data", corrupt}, "data_batch_3.bin: size is not a multiple of 3073 bytes"},
		{[]string{"--task", "cifar", "--data", badLabel}, "data_batch_3.bin: record 1: label outside 0..9: label 12"},
		{[]string{"--task", "cifar", "--data", good}, "--val 5000 leaves no training images (the set has 15)"},
		{[]string{"--task", "cifar", "--data", good, "--model", "cnn"}, "--model \"cnn\" does not take CIFAR-10's 3×32×32 images"},
		{[]string{"--task", "cifar", "--data", good, "--crop", "-1"}, "--crop must be in 0..32"},
		{[]string{"--task", "cifar", "--data", good, "--l2", "-1"}, "--l2 must be a finite number ≥ 0"},
		{[]string{"--task", "cifar", "--data", good, "--latent", "3"}, "flag provided but not defined: -latent"},
		{[]string{"--l2", "nan", "--epochs", "1"}, "--l2 must be a finite number ≥ 0"},
		{[]string{"--task", "vae", "--l2", "0.1"}, "--l2 applies to --task mnist, not vae"},
	} {
		code, _, stderr := duboko(append([]string{"train"}, tc.args...)...)
		oneLineError(t, code, stderr, tc.want)
	}
}

// TestTrainCIFARResumeAugmented checks that a run with augmentation
// resumed after its first epoch ends with the same weights as the run that
// was never interrupted: the resumed run must draw the crops and flips of
// epoch 2, not those of epoch 1 again.
func TestTrainCIFARResumeAugmented(t *testing.T) {
	data := writeCIFARDir(t, 10)
	tmp := t.TempDir()
	args := func(epochs, out string, extra ...string) []string {
		return append([]string{"train", "--task", "cifar", "--data", data, "--epochs", epochs, "--batch", "10", "--val", "10",
			"--crop", "3", "--flip", "--optimizer", "momentum", "--lr", "0.01", "--out", out, "--no-plots"}, extra...)
	}
	whole, split := filepath.Join(tmp, "whole"), filepath.Join(tmp, "split")
	for _, a := range [][]string{args("2", whole), args("1", split),
		args("2", split, "--resume", filepath.Join(split, "checkpoint.safetensors"))} {
		if code, stdout, stderr := duboko(a...); code != 0 {
			t.Fatalf("%v: %s\n%s", a, stderr, stdout)
		}
	}
	a, err := safetensors.ReadFile(filepath.Join(whole, "checkpoint.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := safetensors.ReadFile(filepath.Join(split, "checkpoint.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Tensors) != 10 || len(a.Tensors) != len(b.Tensors) {
		t.Fatalf("%d and %d tensors", len(a.Tensors), len(b.Tensors))
	}
	for i, ta := range a.Tensors {
		if tb := b.Tensors[i]; ta.Name != tb.Name || !bytes.Equal(ta.Data, tb.Data) {
			t.Errorf("%s: the resumed run's weights differ from the uninterrupted run's", ta.Name)
		}
	}
}

func TestParseStats(t *testing.T) {
	v, err := parseStats(floats([]float64{0.4914, 0.4822, 0.4465}))
	if err != nil || v != [3]float64{0.4914, 0.4822, 0.4465} {
		t.Errorf("round trip: %v %v", v, err)
	}
	for _, bad := range []string{"", "0.1,0.2", "0.1,0.2,0.3,0.4", "0.1,x,0.3", "0.1,NaN,0.3", "0.1,+Inf,0.3"} {
		if _, err := parseStats(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
