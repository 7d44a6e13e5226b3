package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/duboko/duboko/generative/quality"
	"github.com/duboko/duboko/safetensors"
	"github.com/duboko/duboko/train"
)

// TestTrainDCGANSmoke trains a narrow DCGAN for one epoch on 128 tiny
// random images, checks the per-epoch and final pictures and the metrics,
// resumes for a second epoch, and refuses checkpoints of other models and
// layouts in one line without touching them.
func TestTrainDCGANSmoke(t *testing.T) {
	data := tinyIDX(t, 128, 64, 28, 28)
	dir := t.TempDir()
	out, metrics := filepath.Join(dir, "dcgan"), filepath.Join(dir, "m.jsonl")
	ck := filepath.Join(out, "checkpoint.safetensors")
	// the samples are scored by a classifier trained on the same tiny set
	clf := filepath.Join(dir, "clf")
	if code, _, stderr := duboko("train", "--model", "mlp", "--data", data, "--val", "-1", "--epochs", "1", "--no-plots", "--out", clf); code != 0 {
		t.Fatal(stderr)
	}
	args := []string{"train", "--task", "dcgan", "--data", data, "--width", "4", "--out", out, "--metrics", metrics,
		"--classifier", filepath.Join(clf, "checkpoint.safetensors"), "--score-samples", "300"}
	code, stdout, stderr := duboko(append(args, "--epochs", "1")...)
	if code != 0 || !strings.Contains(stdout, "dcgan 32×32 (z 100, width 4)") || !strings.Contains(stdout, "test set: D(x)") ||
		!strings.Contains(stdout, "300 samples: inception score") {
		t.Fatalf("train: %d\n%s\n%s", code, stdout, stderr)
	}
	mustExist(t, out, "checkpoint.safetensors", "training.png", "samples.png", "samples-epoch-001.png", "samples.safetensors")
	var f struct {
		Final         bool
		DReal         float64 `json:"test_d_real"`
		DFake         float64 `json:"test_d_fake"`
		LossD         float64 `json:"test_loss_d"`
		IS            float64 `json:"inception_score"`
		FD            float64 `json:"frechet_distance"`
		Scored        int     `json:"scored_samples"`
		Layout, Width int
	}
	finalLine(t, metrics, &f)
	if !f.Final || f.Layout != 32 || f.Width != 4 || !(f.DReal > 0 && f.DReal < 1 && f.DFake > 0 && f.DFake < 1) ||
		math.Abs(f.LossD+math.Log(f.DReal)+math.Log(1-f.DFake)) > 1 {
		t.Fatalf("final metrics %+v: want probabilities and a loss near −log D(x) − log(1 − D(G(z)))", f)
	}
	if f.Scored != 300 || !(f.IS >= 1 && f.IS <= 10) || !(f.FD >= 0) {
		t.Fatalf("final metrics %+v: want the scores of 300 samples (IS in [1, 10], FD ≥ 0)", f)
	}
	// duboko score reads the samples the job wrote and scores them alike
	code, stdout, stderr = duboko("score", "--samples", filepath.Join(out, "samples.safetensors"), "--classifier", filepath.Join(clf, "checkpoint.safetensors"), "--json")
	var sc struct {
		IS float64 `json:"inception_score"`
		N  int     `json:"samples"`
	}
	if code != 0 || json.Unmarshal([]byte(stdout), &sc) != nil || sc.N != 300 || !(sc.IS >= 1 && sc.IS <= 10) {
		t.Fatalf("duboko score: %d %s %s", code, stdout, stderr)
	}
	// duboko sample draws from the checkpoint: at the job's scoring noise
	// (seed 1 + 1000) it gives the very samples the job scored
	drawn, grid := filepath.Join(dir, "drawn.safetensors"), filepath.Join(dir, "grid.png")
	code, stdout, stderr = duboko("sample", "--checkpoint", ck, "--n", "300", "--seed", "1001", "--tensors", drawn, "--out", grid)
	if code != 0 || !strings.Contains(stdout, "300 samples of DCGAN 32×32 (z 100, width 4)") || !strings.Contains(stdout, "wrote "+grid) {
		t.Fatalf("sample: %d\n%s\n%s", code, stdout, stderr)
	}
	if w, h := pngSize(t, grid); w < 18*28 || h < 17*28 {
		t.Errorf("grid of 300 samples is %d×%d", w, h)
	}
	scored, err1 := quality.ReadSamples(filepath.Join(out, "samples.safetensors"))
	x, err2 := quality.ReadSamples(drawn)
	if err1 != nil || err2 != nil || !equalF32(x.Float32s(), scored.Float32s()) {
		t.Errorf("duboko sample --seed 1001 does not draw the job's scored samples (%v, %v)", err1, err2)
	}
	if code, stdout, stderr = duboko("score", "--samples", drawn, "--classifier", filepath.Join(clf, "checkpoint.safetensors"), "--json"); code != 0 {
		t.Fatalf("duboko score of sampled images: %d %s %s", code, stdout, stderr)
	}
	if meta, err := train.ReadMetadata(ck); err != nil || meta["latent"] != "100" || meta["layout"] != "32" || meta["width"] != "4" {
		t.Errorf("checkpoint metadata %v (%v): want layout, width and latent", meta, err)
	}
	var ep map[string]any
	lines := readLines(t, metrics)
	if err := json.Unmarshal([]byte(lines[0]), &ep); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"train_loss_d", "train_loss_g", "train_d_real", "train_d_fake"} {
		if _, ok := ep[k].(float64); !ok {
			t.Errorf("epoch line %s lacks %s", lines[0], k)
		}
	}

	// without --width: the checkpoint's own width (4) is resumed
	noWidth := slices.Concat(args[:5], args[7:])
	code, stdout, stderr = duboko(append(noWidth, "--epochs", "2", "--resume", ck, "--no-plots", "--score-samples", "0")...)
	if code != 0 || !strings.Contains(stdout, "resumed from") || !strings.Contains(stdout, "epoch 2/2") || !strings.Contains(stdout, "width 4)") {
		t.Fatalf("resume: %d\n%s\n%s", code, stdout, stderr)
	}
	if n := len(readLines(t, metrics)); n != 3 {
		t.Fatalf("metrics after resume has %d lines, want 2 epochs + final", n)
	}
	before, _ := os.ReadFile(ck)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--task", "dcgan", "--width", "8"}, "has width 4, but --width is 8"},
		{[]string{"--task", "dcgan", "--width", "4", "--layout", "64"}, "has layout 32, but --layout is 64"},
		{[]string{"--task", "vae"}, `checkpoint of model "dcgan", not "vae" (resume it with --task dcgan)`},
		{[]string{}, `checkpoint of model "dcgan", not a classifier (resume it with --task dcgan)`},
	} {
		code, _, stderr = duboko(append([]string{"train", "--data", data, "--val", "-1", "--epochs", "3", "--resume", ck, "--out", out}, c.args...)...)
		oneLineError(t, code, stderr, c.want)
	}
	if now, _ := os.ReadFile(ck); !bytes.Equal(before, now) {
		t.Fatal("a refused resume changed the checkpoint")
	}
	// a VAE checkpoint is refused by --task dcgan, naming its task
	vae := filepath.Join(dir, "vae")
	if code, _, stderr := duboko("train", "--task", "vae", "--data", data, "--val", "-1", "--epochs", "1", "--no-plots", "--out", vae); code != 0 {
		t.Fatal(stderr)
	}
	code, _, stderr = duboko(append(args, "--epochs", "3", "--resume", filepath.Join(vae, "checkpoint.safetensors"))...)
	oneLineError(t, code, stderr, `checkpoint of model "vae", not "dcgan" (resume it with --task vae)`)
	if now, _ := os.ReadFile(ck); !bytes.Equal(before, now) {
		t.Fatal("a refused resume changed the checkpoint")
	}
}

// TestDCGANNaNKeepsCheckpoint: a learning rate that makes a loss or a
// weight non-finite stops the run with one line naming the epoch and step,
// and the last good checkpoint stays as it was.
func TestDCGANNaNKeepsCheckpoint(t *testing.T) {
	data := tinyIDX(t, 128, 64, 28, 28)
	out := filepath.Join(t.TempDir(), "o")
	ck := filepath.Join(out, "checkpoint.safetensors")
	args := []string{"train", "--task", "dcgan", "--data", data, "--width", "4", "--no-plots", "--score-samples", "0", "--out", out}
	if code, _, stderr := duboko(append(args, "--epochs", "1")...); code != 0 {
		t.Fatal(stderr)
	}
	good, _ := os.ReadFile(ck)
	code, _, stderr := duboko(append(args, "--epochs", "2", "--resume", ck, "--lr", "1e38")...)
	oneLineError(t, code, stderr, "at epoch 2, step")
	if !strings.Contains(stderr, "the checkpoint of epoch 1") {
		t.Fatalf("stderr %q", stderr)
	}
	if now, _ := os.ReadFile(ck); !bytes.Equal(good, now) {
		t.Fatal("the NaN run replaced the good checkpoint")
	}
}

// TestDCGANFlagErrors: bad dcgan flags, and dcgan flags given to other
// tasks, are refused in one line naming the flag.
func TestDCGANFlagErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--task", "dcgan", "--layout", "48"}, "--layout must be 28, 32 or 64, got 48"},
		{[]string{"--task", "dcgan", "--layout", "32", "--g-extra", "1"}, "--g-extra applies to --layout 28 only, got --layout 32"},
		{[]string{"--task", "dcgan", "--width", "-1"}, "--width must be in 0..1024"},
		{[]string{"--task", "dcgan", "--d-steps", "0"}, "--d-steps must be in 1..100"},
		{[]string{"--task", "dcgan", "--gen-loss", "wgan"}, `--gen-loss must be ns or minimax, got "wgan"`},
		{[]string{"--task", "vae", "--layout", "64"}, "--layout applies to --task dcgan, not vae"},
		{[]string{"--task", "dcgan", "--latent", "2"}, "--latent applies to --task vae, not dcgan"},
		{[]string{"--task", "dcgan", "--score-samples", "1"}, "--score-samples must be 0 (none) or in 2..100000"},
		{[]string{"--task", "rbm", "--classifier", "c.safetensors"}, "--classifier applies to --task dcgan, not rbm"},
		{[]string{"--task", "dcgan", "--ema", "1"}, "--ema must be a decay in [0, 1) (0: none), got 1"},
		{[]string{"--task", "dcgan", "--real-label", "0"}, "--real-label must be in (0, 1], got 0"},
		{[]string{"--task", "dcgan", "--lr-decay", "-1"}, "--lr-decay must be in 0..1000000 epochs"},
		{[]string{"--task", "dcgan", "--lr-decay", "6"}, "--lr-decay 6 exceeds --epochs 5"},
		{[]string{"--task", "dcgan", "--g-width", "2000"}, "--g-width must be in 0..1024"},
		{[]string{"--task", "dcgan", "--g-extra", "17"}, "--g-extra must be in 0..16"},
		{[]string{"--task", "dcgan", "--g-extra", "1", "--layout", "64"}, "--g-extra applies to --layout 28 only"},
		{[]string{"--task", "dcgan", "--d-extra", "-1"}, "--d-extra must be in 0..16, got -1"},
		{[]string{"--task", "dcgan", "--d-extra", "1", "--layout", "64"}, "--d-extra applies to --layout 28 only"},
		{[]string{"--task", "vae", "--ema", "0.9"}, "--ema applies to --task dcgan, not vae"},
	} {
		code, _, stderr := duboko(append([]string{"train", "--out", ""}, c.args...)...)
		oneLineError(t, code, stderr, c.want)
	}
}

// TestCollapseWatch: an epoch whose D(x) and D(G(z)) sit at one value is
// called a collapse; one whose discriminator loss vanishes while the
// generator's explodes is called diverging; a lively epoch gets no warning.
func TestCollapseWatch(t *testing.T) {
	run := func(dr, df, ld, lg func(i int) float64) string {
		var w collapseWatch
		var sum train.Metrics
		for i := range 50 {
			m := train.Metrics{{Name: "loss_d", Sum: ld(i), N: 1}, {Name: "loss_g", Sum: lg(i), N: 1},
				{Name: "d_real", Sum: dr(i), N: 1}, {Name: "d_fake", Sum: df(i), N: 1}}
			sum = sum.Add(m)
			w.step(train.StepInfo{Epoch: 3, Step: i + 1, Steps: 50, Batch: m, Running: sum})
		}
		return w.verdict(train.EpochStats{Epoch: 3, Train: sum})
	}
	c := func(v float64) func(int) float64 { return func(int) float64 { return v } }
	wave := func(a, b float64) func(int) float64 { return func(i int) float64 { return a + b*math.Sin(float64(i)) } }
	if got := run(wave(0.5, 0.005), wave(0.5, 0.005), c(1.386), c(0.69)); !strings.Contains(got, "collapsed in epoch 3: D(x) ≈ D(G(z)) ≈ 0.500") {
		t.Errorf("stuck at 0.5: %q", got)
	}
	if got := run(c(1), c(1e-12), c(1e-5), c(27)); !strings.Contains(got, "losses diverge in epoch 3") {
		t.Errorf("D wins: %q", got)
	}
	// with --real-label 0.9 D's loss stays near its floor H(0.9) = 0.325
	// while it rejects every sample (the real run of BENCHMARKS.md)
	if got := run(c(0.9), c(8e-4), c(0.327), c(7.1)); !strings.Contains(got, "losses diverge in epoch 3") {
		t.Errorf("D wins with smoothed labels: %q", got)
	}
	if got := run(c(0.9), c(2e-3), c(0.33), c(6.2)); got != "" {
		t.Errorf("D(G(z)) 2e-3 got %q", got)
	}
	if got := run(wave(0.7, 0.1), wave(0.3, 0.1), wave(1.1, 0.2), wave(1.8, 0.5)); got != "" {
		t.Errorf("a healthy epoch got %q", got)
	}
	if got := run(c(0.9), c(0.1), c(0.2), c(2.5)); got != "" {
		t.Errorf("a steady but distinct D got %q", got)
	}
}

// TestTrainDCGAN64Smoke runs lab 4's 64×64 layout (narrowed) for one epoch
// on 64 tiny images: MNIST is upsampled for D, samples are shrunk back to
// 28×28 for the grids.
func TestTrainDCGAN64Smoke(t *testing.T) {
	data := tinyIDX(t, 64, 32, 28, 28)
	dir := t.TempDir()
	out, metrics := filepath.Join(dir, "o"), filepath.Join(dir, "m.jsonl")
	code, stdout, stderr := duboko("train", "--task", "dcgan", "--layout", "64", "--width", "2", "--data", data, "--epochs", "1",
		"--score-samples", "0", "--out", out, "--metrics", metrics)
	if code != 0 || !strings.Contains(stdout, "dcgan 64×64 (z 100, width 2)") {
		t.Fatalf("train: %d\n%s\n%s", code, stdout, stderr)
	}
	mustExist(t, out, "samples.png", "samples-epoch-001.png", "training.png")
	// duboko sample shrinks the 64×64 samples to MNIST's 28×28
	drawn := filepath.Join(dir, "drawn.safetensors")
	code, stdout, stderr = duboko("sample", "--checkpoint", filepath.Join(out, "checkpoint.safetensors"), "--n", "5", "--out", "", "--tensors", drawn)
	if code != 0 {
		t.Fatalf("sample: %d\n%s\n%s", code, stdout, stderr)
	}
	if x, err := quality.ReadSamples(drawn); err != nil || x.Dim(0) != 5 || x.Len() != 5*784 {
		t.Fatalf("samples of the 64×64 layout: %v", err)
	}
	var f struct {
		Layout int
		IS     *float64 `json:"inception_score"`
	}
	finalLine(t, metrics, &f)
	if f.Layout != 64 || f.IS != nil {
		t.Fatalf("final metrics %+v: want layout 64 and no scores", f)
	}
}

// TestTrainDCGANEMA: --ema keeps an average of G's weights in the
// checkpoint (metadata "ema"), which duboko sample draws from; a resume
// continues it, and one with another --ema or generator layout, or of a
// checkpoint written before --ema existed, is refused in one line.
func TestTrainDCGANEMA(t *testing.T) {
	data := tinyIDX(t, 128, 64, 28, 28)
	dir := t.TempDir()
	out := filepath.Join(dir, "dcgan")
	ck := filepath.Join(out, "checkpoint.safetensors")
	args := []string{"train", "--task", "dcgan", "--data", data, "--layout", "28", "--width", "4", "--g-width", "3", "--g-extra", "1", "--out", out,
		"--score-samples", "0", "--no-plots", "--ema", "0.9", "--real-label", "0.9", "--lr-decay", "1"}
	code, stdout, stderr := duboko(append(args, "--epochs", "1")...)
	if code != 0 || !strings.Contains(stdout, "dcgan 28×28 (z 100, width 4, generator width 3, 1 extra generator block(s) at 7×7)") ||
		!strings.Contains(stdout, "real label 0.9") || !strings.Contains(stdout, "samples from G's weight average (decay 0.9)") {
		t.Fatalf("train: %d\n%s\n%s", code, stdout, stderr)
	}
	meta, err := train.ReadMetadata(ck)
	if err != nil || meta["ema"] != "0.9" || meta["g-width"] != "3" || meta["g-extra"] != "1" {
		t.Fatalf("metadata %v (%v)", meta, err)
	}
	code, stdout, stderr = duboko("sample", "--checkpoint", ck, "--n", "4", "--out", filepath.Join(dir, "g.png"))
	if code != 0 || !strings.Contains(stdout, "G's weight average") {
		t.Fatalf("sample: %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, stderr = duboko("sample", "--checkpoint", ck, "--n", "4", "--raw", "--out", filepath.Join(dir, "r.png"))
	if code != 0 || !strings.Contains(stdout, "z ~ N(0, I), G, BatchNorm") {
		t.Fatalf("sample --raw: %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, stderr = duboko(append(args, "--epochs", "2", "--resume", ck)...)
	if code != 0 || !strings.Contains(stdout, "epoch 2/2") {
		t.Fatalf("resume: %d\n%s\n%s", code, stdout, stderr)
	}
	before, _ := os.ReadFile(ck)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--ema", "0"}, "has ema 0.9, but --ema is 0"},
		{[]string{"--ema", "0.9", "--g-extra", "0"}, "has g-extra 1, but --g-extra is 0"},
	} {
		code, _, stderr = duboko(append([]string{"train", "--task", "dcgan", "--data", data, "--width", "4", "--g-width", "3", "--g-extra", "1",
			"--epochs", "3", "--resume", ck, "--out", out}, c.args...)...)
		oneLineError(t, code, stderr, c.want)
	}
	if now, _ := os.ReadFile(ck); !bytes.Equal(before, now) {
		t.Fatal("a refused resume changed the checkpoint")
	}
	// a checkpoint from before --ema: no "ema" in its metadata, no average
	f, err := safetensors.ReadFile(ck)
	if err != nil {
		t.Fatal(err)
	}
	var ts []safetensors.Tensor
	for _, x := range f.Tensors {
		if !strings.HasPrefix(x.Name, "generator_ema.") {
			ts = append(ts, x)
		}
	}
	delete(f.Metadata, "ema")
	old := filepath.Join(dir, "old.safetensors")
	if err := safetensors.WriteFile(old, ts, f.Metadata); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = duboko(append(args, "--epochs", "3", "--resume", old)...)
	oneLineError(t, code, stderr, "holds no average of the generator's weights (it predates --ema); resume it with --ema 0")
	code, stdout, stderr = duboko("sample", "--checkpoint", old, "--n", "4", "--out", filepath.Join(dir, "h.png"))
	if code != 0 || !strings.Contains(stdout, "z ~ N(0, I), G, BatchNorm") {
		t.Fatalf("sample of an old checkpoint: %d\n%s\n%s", code, stdout, stderr)
	}
}

// TestLRTail: --lr-decay N keeps the rate until the last N epochs, then
// lowers it linearly step by step to rate/(N·steps) at the last step; the
// schedule's rate of an epoch is that of its first step.
func TestLRTail(t *testing.T) {
	d := lrTail{Base: 1, Epochs: 5, N: 2}
	for _, c := range []struct {
		epoch, done, steps int
		want               float64
	}{
		{1, 0, 10, 1}, {3, 10, 10, 1}, // before the decay
		{4, 0, 10, 1}, {4, 1, 10, 0.95}, {4, 10, 10, 0.5}, // 20 steps of decay: 1 − i/20
		{5, 0, 10, 0.5}, {5, 9, 10, 0.05}, {5, 10, 10, 0.05}, // the last step at 1/20, never 0
	} {
		if got := d.at(c.epoch, c.done, c.steps); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("epoch %d after %d of %d steps: %v, want %v", c.epoch, c.done, c.steps, got, c.want)
		}
	}
	for e, want := range map[int]float64{3: 1, 4: 1, 5: 0.5} {
		if got := d.LR(e); got != want {
			t.Errorf("LR(%d) = %v, want %v", e, got, want)
		}
	}
}

// metadataFile writes a safetensors file at p holding one tensor and the
// metadata meta, as a checkpoint's metadata is read before its tensors.
func metadataFile(t *testing.T, p string, meta map[string]string) string {
	t.Helper()
	x := safetensors.Float32("x", []int{1}, []float32{0})
	if err := safetensors.WriteFile(p, []safetensors.Tensor{x}, meta); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDefaultLayout: without --layout the job trains the 32×32 layout, or
// resumes a DCGAN checkpoint at the layout its metadata names.
func TestDefaultLayout(t *testing.T) {
	dir := t.TempDir()
	ck := func(name string, meta map[string]string) string {
		return metadataFile(t, filepath.Join(dir, name), meta)
	}
	for _, c := range []struct {
		resume string
		want   int
	}{
		{"", 32},
		{ck("l28.safetensors", map[string]string{"model": "dcgan", "layout": "28"}), 28},
		{ck("l64.safetensors", map[string]string{"model": "dcgan", "layout": "64"}), 64},
		{ck("l32.safetensors", map[string]string{"model": "dcgan", "layout": "32"}), 32},
		{ck("l48.safetensors", map[string]string{"model": "dcgan", "layout": "48"}), 32},
		{ck("vae.safetensors", map[string]string{"model": "vae", "layout": "28"}), 32},
		{filepath.Join(dir, "none"), 32},
	} {
		if got := defaultLayout(c.resume); got != c.want {
			t.Errorf("resume %q: layout %d, want %d", filepath.Base(c.resume), got, c.want)
		}
	}
}

// TestDefaultWidth: without --width (--g-width) a resumed DCGAN
// checkpoint's own value is kept; otherwise, or for a value that is not a
// width, the flag's default.
func TestDefaultWidth(t *testing.T) {
	dir := t.TempDir()
	ck := func(name string, meta map[string]string) string {
		return metadataFile(t, filepath.Join(dir, name), meta)
	}
	w64 := ck("w64.safetensors", map[string]string{"model": "dcgan", "layout": "32", "width": "64", "g-width": "16"})
	old := ck("old.safetensors", map[string]string{"model": "dcgan", "layout": "28", "width": "32"})
	vae := ck("vae.safetensors", map[string]string{"model": "vae", "width": "64"})
	bad := ck("bad.safetensors", map[string]string{"model": "dcgan", "width": "-3", "g-width": "x"})
	for _, c := range []struct {
		key, resume string
		want        int
	}{
		{"width", "", 5}, {"width", w64, 64}, {"g-width", w64, 16}, {"width", old, 32}, {"g-width", old, 5},
		{"width", vae, 5}, {"width", bad, 5}, {"g-width", bad, 5}, {"width", filepath.Join(dir, "none"), 5},
	} {
		if got := defaultWidth(c.key, 5, c.resume); got != c.want {
			t.Errorf("%s, resume %q: %d, want %d", c.key, filepath.Base(c.resume), got, c.want)
		}
	}
}

// TestDefaultExtra: without --g-extra the generator has the default's
// extra block at --layout 28, none at 64, and a resumed checkpoint's own
// count (none for one written before --g-extra existed); --d-extra the
// same with its own key and default.
func TestDefaultExtra(t *testing.T) {
	dir := t.TempDir()
	ck := func(name string, meta map[string]string) string {
		return metadataFile(t, filepath.Join(dir, name), meta)
	}
	old := ck("old.safetensors", map[string]string{"model": "dcgan", "layout": "28", "width": "32"})
	two := ck("two.safetensors", map[string]string{"model": "dcgan", "layout": "28", "width": "32", "g-extra": "2", "d-extra": "3"})
	vae := ck("vae.safetensors", map[string]string{"model": "vae"})
	for _, c := range []struct {
		layout int
		resume string
		want   int
	}{{28, "", dcganGExtra}, {64, "", 0}, {64, two, 0}, {28, old, 0}, {28, two, 2}, {28, vae, dcganGExtra}, {28, filepath.Join(dir, "none"), dcganGExtra}} {
		if got, err := defaultExtra("g-extra", dcganGExtra, c.layout, c.resume); err != nil || got != c.want {
			t.Errorf("g-extra, layout %d, resume %q: %d, %v, want %d", c.layout, c.resume, got, err, c.want)
		}
	}
	for _, c := range []struct {
		layout int
		resume string
		want   int
	}{{28, "", 7}, {64, "", 0}, {64, two, 0}, {28, old, 0}, {28, two, 3}, {28, vae, 7}} {
		if got, err := defaultExtra("d-extra", 7, c.layout, c.resume); err != nil || got != c.want {
			t.Errorf("d-extra, layout %d, resume %q: %d, %v, want %d", c.layout, c.resume, got, err, c.want)
		}
	}
	// A value the checkpoint cannot hold is an error naming the file and
	// the key, not a silent 0 or a later flag error.
	for _, v := range []string{"x", "-1", "17"} {
		bad := ck("bad.safetensors", map[string]string{"model": "dcgan", "layout": "28", "width": "32", "d-extra": v})
		if n, err := defaultExtra("d-extra", 7, 28, bad); err == nil || !strings.Contains(err.Error(), "bad.safetensors") || !strings.Contains(err.Error(), "d-extra") {
			t.Errorf("d-extra %q: %d, %v, want an error naming the file and the key", v, n, err)
		}
	}
}
