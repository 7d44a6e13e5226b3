package generative

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// trainedDCGAN is a tiny DCGAN after one training step (so that its
// weights are not those of a fresh build and its BatchNorm running
// statistics are not 0 and 1), saved as 'duboko train' saves both players
// with meta, or with the metadata of c when meta is nil.
func trainedDCGAN(t *testing.T, c DCGANConfig, meta map[string]string) (*DCGANTask, string) {
	t.Helper()
	task := NewDCGANTask(c, 3, 0, 1, NonSaturating)
	if _, err := task.Step(dcganBatch(8, task.Config.Size, 2)); err != nil {
		t.Fatal(err)
	}
	if meta == nil {
		c = task.Config
		meta = map[string]string{"model": "dcgan", "layout": strconv.Itoa(c.Size), "width": strconv.Itoa(c.Width), "latent": strconv.Itoa(c.Latent)}
	}
	return task, save(t, filepath.Join(t.TempDir(), "dcgan.safetensors"), task.Model(), meta)
}

func TestDCGANSampler(t *testing.T) {
	for _, c := range []struct {
		cfg  DCGANConfig
		meta map[string]string
		want string
	}{
		{DCGANConfig{Size: 28, Width: 3, Latent: 5}, nil, "DCGAN 28×28 (z 5, width 3): (G(z) + 1)/2, z ~ N(0, I)"},
		{DCGANConfig{Size: 64, Width: 1}, nil, "DCGAN 64×64 (z 100, width 1): (G(z) + 1)/2 shrunk to 28×28"},
		// checkpoints written before "latent" was stored all have z 100
		{DCGANConfig{Size: 28, Width: 2}, map[string]string{"model": "dcgan", "layout": "28", "width": "2"}, "DCGAN 28×28 (z 100, width 2)"},
	} {
		task, path := trainedDCGAN(t, c.cfg, c.meta)
		s, err := LoadSampler(path, SamplerOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if d := s.Describe(); !strings.Contains(d, c.want) {
			t.Errorf("describe %q, want %q", d, c.want)
		}
		x, err := s.Sample(6, tensor.NewRand(5))
		if err != nil {
			t.Fatal(err)
		}
		inUnit(t, x, 6)
		// the trained generator in evaluation mode at z from the same seed
		want := ToMNIST(Generate(task.G, tensor.RandN(tensor.NewRand(5), 6, task.Latent)))
		if !equalTensors(tensor.Reshape(x, 6, 784), want) {
			t.Errorf("%v: samples are not (G(z) + 1)/2 of the saved generator in evaluation mode", c.cfg)
		}
		// and not those of training mode (batch statistics)
		var train *tensor.Tensor
		tensor.NoGrad(func() { train = ToMNIST(task.G.Forward(tensor.RandN(tensor.NewRand(5), 6, task.Latent))) })
		if equalTensors(tensor.Reshape(x, 6, 784), train) {
			t.Errorf("%v: samples use BatchNorm's batch statistics", c.cfg)
		}
		again, _ := s.Sample(6, tensor.NewRand(5))
		other, _ := s.Sample(6, tensor.NewRand(6))
		if !equalTensors(x, again) || equalTensors(x, other) {
			t.Errorf("%v: samples are not a function of the seed", c.cfg)
		}
	}
}

func TestDCGANSamplerRefuses(t *testing.T) {
	task := NewDCGANTask(DCGANConfig{Width: 2}, 1, 0, 1, NonSaturating)
	dir := t.TempDir()
	with := func(name string, m nn.Module, meta map[string]string) string {
		return save(t, filepath.Join(dir, name+".safetensors"), m, meta)
	}
	for _, c := range []struct{ path, want string }{
		{with("nolayout", task.Model(), map[string]string{"model": "dcgan", "width": "2"}), `no "layout"`},
		{with("layout48", task.Model(), map[string]string{"model": "dcgan", "layout": "48", "width": "2"}), `layout "48" is not 28, 32 or 64`},
		{with("layout32", task.Model(), map[string]string{"model": "dcgan", "layout": "32", "width": "2"}), "another architecture"},
		{with("nowidth", task.Model(), map[string]string{"model": "dcgan", "layout": "28"}), `no "width"`},
		{with("badlatent", task.Model(), map[string]string{"model": "dcgan", "layout": "28", "width": "2", "latent": "-1"}), `latent "-1" is not a size`},
		{with("width4", task.Model(), map[string]string{"model": "dcgan", "layout": "28", "width": "4"}), "another architecture"},
		{with("layout64", task.Model(), map[string]string{"model": "dcgan", "layout": "64", "width": "2"}), "another architecture"},
		{with("gonly", task.G, map[string]string{"model": "dcgan", "layout": "28", "width": "2"}), "missing tensor"},
	} {
		_, err := LoadSampler(c.path, SamplerOptions{})
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line containing %q", filepath.Base(c.path), err, c.want)
		}
	}
}

// TestDCGANSamplerEMA: a checkpoint with a weight average ("ema" in its
// metadata) samples the average, or G with RawGenerator; the metadata's
// players' layout (g-width, g-extra, d-extra) rebuilds them; a file whose
// metadata and tensors disagree is refused.
func TestDCGANSamplerEMA(t *testing.T) {
	c := DCGANConfig{Width: 2, GWidth: 3, GExtra: 1, DExtra: 2}
	task := NewDCGANTask(c, 3, 0, 1, NonSaturating)
	task.KeepEMA(0.5)
	for range 2 {
		if _, err := task.Step(dcganBatch(8, 28, 2)); err != nil {
			t.Fatal(err)
		}
	}
	meta := map[string]string{"model": "dcgan", "layout": "28", "width": "2", "latent": "100", "g-width": "3", "g-extra": "1", "d-extra": "2", "ema": "0.5"}
	path := save(t, filepath.Join(t.TempDir(), "dcgan.safetensors"), task.Model(), meta)
	z := tensor.RandN(tensor.NewRand(5), 6, task.Latent)
	for _, opt := range []SamplerOptions{{}, {RawGenerator: true}, {StoredStats: true}} {
		s, err := LoadSampler(path, opt)
		if err != nil {
			t.Fatal(err)
		}
		x, err := s.Sample(6, tensor.NewRand(5))
		if err != nil {
			t.Fatal(err)
		}
		// the task's own sampler: the average with standing statistics
		g, desc := task.Sampler(), "G's weight average"
		switch {
		case opt.RawGenerator:
			g, desc = task.G, "z ~ N(0, I), G,"
		case opt.StoredStats:
			g = task.EMA.Shadow
		}
		if !equalTensors(tensor.Reshape(x, 6, 784), ToMNIST(Generate(g, z))) {
			t.Errorf("%+v: samples are not those of the saved generator", opt)
		}
		raw := opt.RawGenerator
		if d := s.Describe(); !strings.Contains(d, desc) {
			t.Errorf("raw %v: describe %q, want %q", raw, d, desc)
		}
	}
	if equalTensors(Generate(task.G, z), Generate(task.EMA.Shadow, z)) {
		t.Error("the average draws G's samples")
	}
	if equalTensors(Generate(task.Sampler(), z), Generate(task.EMA.Shadow, z)) {
		t.Error("the standing statistics are the stored ones")
	}
	// metadata without "ema" (written before it existed, or --ema 0) for a
	// file with the average's tensors, and the other way round
	noEMA := map[string]string{"model": "dcgan", "layout": "28", "width": "2", "g-width": "3", "g-extra": "1", "d-extra": "2"}
	bad := save(t, filepath.Join(t.TempDir(), "a.safetensors"), task.Model(), noEMA)
	if _, err := LoadSampler(bad, SamplerOptions{}); err == nil || !strings.Contains(err.Error(), "unexpected tensors [generator_ema.") {
		t.Errorf("average's tensors without ema metadata: %v", err)
	}
	task.EMA = nil
	bad = save(t, filepath.Join(t.TempDir(), "b.safetensors"), task.Model(), meta)
	if _, err := LoadSampler(bad, SamplerOptions{}); err == nil || !strings.Contains(err.Error(), `missing tensor "generator_ema.`) {
		t.Errorf("ema metadata without the average's tensors: %v", err)
	}
	for _, m := range []map[string]string{
		{"model": "dcgan", "layout": "28", "width": "2", "ema": "1"},
		{"model": "dcgan", "layout": "28", "width": "2", "ema": "x"},
		{"model": "dcgan", "layout": "28", "width": "2", "g-extra": "-1"},
		{"model": "dcgan", "layout": "64", "width": "2", "g-extra": "1"},
		{"model": "dcgan", "layout": "28", "width": "2", "g-width": "3", "g-extra": "1", "d-extra": "x"},
		{"model": "dcgan", "layout": "28", "width": "2", "g-width": "3", "g-extra": "1", "d-extra": "1", "ema": "0.5"},
		{"model": "dcgan", "layout": "64", "width": "2", "d-extra": "1"},
		{"model": "dcgan", "layout": "28", "width": "2", "g-width": "-1"},
	} {
		p := save(t, filepath.Join(t.TempDir(), "c.safetensors"), task.Model(), m)
		if _, err := LoadSampler(p, SamplerOptions{}); err == nil {
			t.Errorf("metadata %v accepted", m)
		}
	}
}
