package generative

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

func save(t *testing.T, path string, m nn.Module, meta map[string]string) string {
	t.Helper()
	if err := nn.Save(path, m, meta); err != nil {
		t.Fatal(err)
	}
	return path
}

func inUnit(t *testing.T, x *tensor.Tensor, n int) {
	t.Helper()
	if s := x.Shape(); len(s) != 4 || s[0] != n || s[1] != 1 || s[2] != 28 || s[3] != 28 {
		t.Fatalf("samples of shape %v, want [%d 1 28 28]", s, n)
	}
	for i := 0; i < x.Len(); i++ {
		if v := x.Flat(i); !(v >= 0 && v <= 1) {
			t.Fatalf("sample value %v outside [0, 1]", v)
		}
	}
}

func TestVAESampler(t *testing.T) {
	dir := t.TempDir()
	v := models.NewVAE(tensor.NewRand(2), 3)
	p := save(t, filepath.Join(dir, "vae.safetensors"), v, map[string]string{"model": "vae", "latent": "3"})
	s, err := LoadSampler(p, SamplerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	x, err := s.Sample(7, tensor.NewRand(5))
	if err != nil {
		t.Fatal(err)
	}
	inUnit(t, x, 7)
	// the decoder's means at z drawn from the same generator
	var want *tensor.Tensor
	tensor.NoGrad(func() { want = tensor.Sigmoid(v.Decode(tensor.RandN(tensor.NewRand(5), 7, 3))) })
	if !equalTensors(tensor.Reshape(x, 7, 784), want) {
		t.Error("VAE samples are not σ(dec(z)) for z ~ N(0, I)")
	}
	if !strings.Contains(s.Describe(), "latent 3") {
		t.Errorf("describe: %s", s.Describe())
	}
}

func TestRBMSampler(t *testing.T) {
	dir := t.TempDir()
	r := models.NewRBM(tensor.NewRand(2), 784, 12)
	cd := save(t, filepath.Join(dir, "cd.safetensors"), r, map[string]string{"model": "rbm", "hidden": "12"})
	s, err := LoadSampler(cd, SamplerOptions{GibbsSteps: 3})
	if err != nil {
		t.Fatal(err)
	}
	x, err := s.Sample(4, tensor.NewRand(1))
	if err != nil {
		t.Fatal(err)
	}
	inUnit(t, x, 4)
	if d := s.Describe(); !strings.Contains(d, "3 Gibbs steps from binary noise") {
		t.Errorf("describe: %s", d)
	}
	// a PCD checkpoint: the chains are where the samples start
	st := NewRBMState(r, 6)
	for i := 0; i < st.Chain.Len(); i += 2 {
		st.Chain.SetFlat(i, 1)
	}
	st.Updates.Int64s()[0] = 10
	pcd := save(t, filepath.Join(dir, "pcd.safetensors"), st, map[string]string{"model": "rbm", "hidden": "12"})
	s, err = LoadSampler(pcd, SamplerOptions{GibbsSteps: 1})
	if err != nil {
		t.Fatal(err)
	}
	if d := s.Describe(); !strings.Contains(d, "persistent chain") {
		t.Errorf("describe: %s", d)
	}
	x, err = s.Sample(8, tensor.NewRand(1)) // 6 from the chains, 2 from noise
	if err != nil {
		t.Fatal(err)
	}
	inUnit(t, x, 8)
	// one Gibbs step from v ~ p(v|h_chain): compute it by hand
	rng := tensor.NewRand(1)
	v := tensor.Zeros(8, 784)
	for i := 0; i < v.Len(); i++ {
		if rng.Float64() < 0.5 {
			v.SetFlat(i, 1)
		}
	}
	var from *tensor.Tensor
	tensor.NoGrad(func() {
		p := r.VisibleProbs(st.Chain)
		from = models.Bernoulli(p, tensor.RandU(rng, 0, 1, p.Shape()...))
	})
	copy(v.Float32s(), from.Float32s())
	if want := r.Gibbs(v, 1, rng); !equalTensors(tensor.Reshape(x, 8, 784), want) {
		t.Error("PCD samples do not start from the checkpoint's chains")
	}
}

func TestLoadSamplerRefuses(t *testing.T) {
	dir := t.TempDir()
	cnn := save(t, filepath.Join(dir, "cnn.safetensors"), models.MLP(tensor.NewRand(1)), map[string]string{"model": "mlp"})
	bare := save(t, filepath.Join(dir, "bare.safetensors"), models.MLP(tensor.NewRand(1)), nil)
	other := save(t, filepath.Join(dir, "other.safetensors"), models.MLP(tensor.NewRand(1)), map[string]string{"model": "wgan"})
	noLatent := save(t, filepath.Join(dir, "nolatent.safetensors"), models.NewVAE(tensor.NewRand(1), 2), map[string]string{"model": "vae"})
	wrongSize := save(t, filepath.Join(dir, "wrongsize.safetensors"), models.NewVAE(tensor.NewRand(1), 2), map[string]string{"model": "vae", "latent": "5"})
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("hello, world: not a checkpoint"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, want string }{
		{cnn, `checkpoint of the classifier "mlp", which draws no samples (samples come from `},
		{bare, "names no model"},
		{other, `model "wgan", which has no sampler`},
		{noLatent, `no "latent"`},
		{wrongSize, "shape"},
		{text, "notes.txt"},
		{filepath.Join(dir, "missing"), "missing"},
	} {
		_, err := LoadSampler(c.path, SamplerOptions{})
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line containing %q", filepath.Base(c.path), err, c.want)
		}
	}
}

// constSampler is a registered test model.
type constSampler struct{ v float64 }

func (c constSampler) Sample(n int, _ *rand.Rand) (*tensor.Tensor, error) {
	return tensor.Full(c.v, n, 1, 28, 28), nil
}
func (c constSampler) Describe() string { return "constant" }

func TestRegisterSampler(t *testing.T) {
	RegisterSampler("test-const", func(path string, meta map[string]string, _ SamplerOptions) (Sampler, error) {
		return constSampler{0.25}, nil
	})
	found := false
	for _, m := range SamplerModels() {
		found = found || m == "test-const"
	}
	if !found {
		t.Fatalf("models %v", SamplerModels())
	}
	p := save(t, filepath.Join(t.TempDir(), "c.safetensors"), models.MLP(tensor.NewRand(1)), map[string]string{"model": "test-const"})
	s, err := LoadSampler(p, SamplerOptions{})
	if err != nil || s.Describe() != "constant" {
		t.Fatalf("registered loader not used: %v", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("a second registration of a model did not panic")
		}
	}()
	RegisterSampler("vae", loadVAESampler)
}
