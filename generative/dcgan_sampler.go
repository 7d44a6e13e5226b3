package generative

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

func init() {
	RegisterSampler("dcgan", loadDCGANSampler)
}

// dcganSampler draws G(z), z ~ N(0, I), from a DCGAN checkpoint's
// generator.
type dcganSampler struct {
	g   nn.Module
	cfg DCGANConfig
}

// dcganMetaConfig rebuilds the layout of the DCGAN checkpoint at path from
// its metadata: "layout" (28 or 64) and "width" as 'duboko train --task
// dcgan' writes them, and "latent", which checkpoints written before it was
// stored lack: they all used DCGANLatent.
func dcganMetaConfig(path string, meta map[string]string) (DCGANConfig, error) {
	var c DCGANConfig
	s, ok := meta["layout"]
	if !ok {
		return c, fmt.Errorf("%s: the metadata has no %q (28 or 64), so the DCGAN cannot be rebuilt", path, "layout")
	}
	if s != "28" && s != "64" {
		return c, fmt.Errorf("%s: metadata layout %q is not 28 or 64", path, s)
	}
	c.Size, _ = strconv.Atoi(s)
	var err error
	if c.Width, err = metaInt(path, meta, "width", 1024); err != nil {
		return c, err
	}
	c.Latent = DCGANLatent
	if _, ok := meta["latent"]; ok {
		if c.Latent, err = metaInt(path, meta, "latent", 10000); err != nil {
			return c, err
		}
	}
	return c, nil
}

// loadDCGANSampler rebuilds both players of the DCGAN checkpoint at path
// (the checkpoint holds the generator's and the discriminator's tensors,
// and train.LoadCheckpoint wants the whole file to match the model), loads
// them and keeps the generator.
func loadDCGANSampler(path string, meta map[string]string, _ SamplerOptions) (Sampler, error) {
	c, err := dcganMetaConfig(path, meta)
	if err != nil {
		return nil, err
	}
	rng := tensor.NewRand(1)
	g := NewDCGANGenerator(rng, c)
	d := NewDCGANDiscriminator(rng, c)
	if _, err := train.LoadCheckpoint(path, &ganPair{g: g, d: d}); err != nil {
		return nil, err
	}
	return dcganSampler{g: g, cfg: c}, nil
}

// Sample draws z ~ N(0, I) [n, latent] from rng, runs the generator in
// evaluation mode (BatchNorm with its running statistics, see [Generate])
// and maps its tanh images to [0, 1], shrunk to 28×28 by area averaging at
// the 64×64 layout (see [ToMNIST]).
func (s dcganSampler) Sample(n int, rng *rand.Rand) (*tensor.Tensor, error) {
	x := ToMNIST(Generate(s.g, tensor.RandN(rng, n, s.cfg.Latent)))
	return tensor.Reshape(x, n, 1, 28, 28), nil
}

func (s dcganSampler) Describe() string {
	how := "(G(z) + 1)/2"
	if s.cfg.Size != 28 {
		how += " shrunk to 28×28"
	}
	return fmt.Sprintf("DCGAN %d×%d (z %d, width %d): %s, z ~ N(0, I), BatchNorm in evaluation mode",
		s.cfg.Size, s.cfg.Size, s.cfg.Latent, s.cfg.Width, how)
}
