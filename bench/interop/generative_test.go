package interop

import (
	"math"
	"slices"
	"strconv"
	"testing"

	"github.com/duboko/duboko/generative"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/safetensors"
	"github.com/duboko/duboko/tensor"
)

// genIO reads the inputs and PyTorch's outputs that torch_gen_fixture.py
// wrote beside the converted weights.
type genIO struct {
	t *testing.T
	f *safetensors.File
}

func readGenIO(t *testing.T) genIO {
	t.Helper()
	f, err := safetensors.ReadFile("testdata/torch_gen_io.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	return genIO{t, f}
}

// tensor returns the named array as a float32 tensor of its shape.
func (g genIO) tensor(name string) *tensor.Tensor {
	g.t.Helper()
	st, ok := g.f.Get(name)
	if !ok {
		g.t.Fatalf("torch_gen_io.safetensors has no %q (names %v)", name, g.f.Names())
	}
	v, err := st.AsFloat32()
	if err != nil {
		g.t.Fatal(err)
	}
	return tensor.FromFloat32(v, st.Shape...)
}

// meta returns the named size from the file's metadata.
func (g genIO) meta(key string) int {
	g.t.Helper()
	v, err := strconv.Atoi(g.f.Metadata[key])
	if err != nil {
		g.t.Fatalf("metadata %q: %v (metadata %v)", key, err, g.f.Metadata)
	}
	return v
}

// agreeTorch checks that got has want's shape and that every element is
// within rel times the largest |want| of it, and logs the largest error.
func agreeTorch(t *testing.T, what string, got, want *tensor.Tensor, rel float64) {
	t.Helper()
	if !slices.Equal(got.Shape(), want.Shape()) {
		t.Fatalf("%s: duboko's shape %v, PyTorch's %v", what, got.Shape(), want.Shape())
	}
	g, w := got.Float32s(), want.Float32s()
	var maxRef, maxDiff float64
	for _, v := range w {
		maxRef = max(maxRef, math.Abs(float64(v)))
	}
	if maxRef == 0 {
		t.Fatalf("%s: PyTorch's output is all zeros: the fixture checks nothing", what)
	}
	bad := 0
	for i := range g {
		d := math.Abs(float64(g[i] - w[i]))
		maxDiff = max(maxDiff, d)
		if d > rel*maxRef {
			if bad++; bad <= 5 {
				t.Errorf("%s: element %d: duboko %g, PyTorch %g", what, i, g[i], w[i])
			}
		}
	}
	if bad > 5 {
		t.Errorf("%s: %d elements in all differ", what, bad)
	}
	t.Logf("%s %v: max |duboko − PyTorch| = %.3g, relative to the largest |PyTorch| %.3g", what, got.Shape(), maxDiff, maxDiff/maxRef)
}

// TestLoadPyTorchDCGANGenerator loads the state dict of the DCGAN generator
// built in PyTorch by its twin (bench/dcgan/torch_dcgan.py; 28×28, latent
// 8, width 4; torch_gen_fixture.py, converted by torch_to_safetensors.py)
// into generative.NewDCGANGenerator and compares G(z) in evaluation mode:
// BatchNorm with the running statistics PyTorch gathered in three
// training-mode forwards, and γ, β drawn away from 1 and 0.
func TestLoadPyTorchDCGANGenerator(t *testing.T) {
	io := readGenIO(t)
	c := generative.DCGANConfig{Size: io.meta("dcgan.size"), Latent: io.meta("dcgan.latent"), Width: io.meta("dcgan.width")}
	g := generative.NewDCGANGenerator(tensor.NewRand(1), c)
	meta, err := nn.Load("testdata/torch_dcgan_g.safetensors", g)
	if err != nil {
		t.Fatal(err)
	}
	if meta["source"] == "" {
		t.Errorf("metadata %v lacks the converter's source entry", meta)
	}
	bns := 0
	for _, l := range g.Layers {
		if bn, ok := l.(*nn.BatchNorm); ok {
			bns++
			if got := bn.NumBatchesTracked.Int64s(); len(got) != 1 || got[0] != 3 {
				t.Errorf("BatchNorm %d: num_batches_tracked %v, want 3 as PyTorch counted", bns, got)
			}
			if v := bn.RunningVar.Float32s(); v[0] > 0.5 {
				t.Errorf("BatchNorm %d: running var %v, want PyTorch's (far below the default 1)", bns, v)
			}
		}
	}
	if bns != 2 {
		t.Fatalf("%d BatchNorm layers in %v's generator, want 2", bns, c)
	}
	// generative.Generate runs G in evaluation mode without gradients.
	agreeTorch(t, "G(z), eval mode", generative.Generate(g, io.tensor("dcgan.z")), io.tensor("dcgan.out"), 1e-5)
}

// TestLoadPyTorchVAE loads the state dict of the lab's VAE built and
// initialised in PyTorch by its twin (bench/vae/torch_vae.py;
// torch_gen_fixture.py, converted by torch_to_safetensors.py) into
// models.NewVAE and compares the deterministic parts: the encoder's μ and
// log σ² for an x, the decoder's logits for a z, and the reconstruction
// (Forward: the logits at z = μ(x)).
func TestLoadPyTorchVAE(t *testing.T) {
	io := readGenIO(t)
	v := models.NewVAE(tensor.NewRand(1), io.meta("vae.latent"))
	if _, err := nn.Load("testdata/torch_vae.safetensors", v); err != nil {
		t.Fatal(err)
	}
	v.SetTraining(false)
	x, z := io.tensor("vae.x"), io.tensor("vae.z")
	tensor.NoGrad(func() {
		mu, logVar := v.Encode(x)
		agreeTorch(t, "encoder μ", mu, io.tensor("vae.mu"), 1e-5)
		agreeTorch(t, "encoder log σ²", logVar, io.tensor("vae.logvar"), 1e-5)
		agreeTorch(t, "decoder logits", v.Decode(z), io.tensor("vae.dec"), 1e-5)
		agreeTorch(t, "reconstruction", v.Forward(x), io.tensor("vae.recon"), 1e-5)
	})
}
