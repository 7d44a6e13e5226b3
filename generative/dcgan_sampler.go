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
	ema bool // g is the average of the generator's weights
}

// dcganMetaConfig rebuilds the layout of the DCGAN checkpoint at path from
// its metadata: "layout" (28, 32 or 64) and "width" as 'duboko train --task
// dcgan' writes them, and "latent", which checkpoints written before it was
// stored lack: they all used DCGANLatent; "g-width", "g-extra" and
// "d-extra" (the generator's own width, 0 for "width", and the players'
// extra blocks; absent before they existed: the generator then had "width"
// and neither player an extra block).
func dcganMetaConfig(path string, meta map[string]string) (DCGANConfig, error) {
	var c DCGANConfig
	s, ok := meta["layout"]
	if !ok {
		return c, fmt.Errorf("%s: the metadata has no %q (28, 32 or 64), so the DCGAN cannot be rebuilt", path, "layout")
	}
	if s != "28" && s != "32" && s != "64" {
		return c, fmt.Errorf("%s: metadata layout %q is not 28, 32 or 64", path, s)
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
	if s, ok := meta["g-width"]; ok && s != "0" { // 0: as wide as "width"
		if c.GWidth, err = metaInt(path, meta, "g-width", 1024); err != nil {
			return c, err
		}
	}
	if c.GExtra, err = DCGANMetaExtra(path, meta, "g-extra", c.Size); err != nil {
		return c, err
	}
	if c.DExtra, err = DCGANMetaExtra(path, meta, "d-extra", c.Size); err != nil {
		return c, err
	}
	return c, nil
}

// DCGANMetaExtra reads the count of extra blocks that a DCGAN checkpoint's
// metadata records under key ("g-extra" or "d-extra"; 0..16, at layout 28
// only); absent, 0 (checkpoints written before the option existed). path
// names the file in errors.
func DCGANMetaExtra(path string, meta map[string]string, key string, size int) (int, error) {
	s, ok := meta[key]
	if !ok {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 16 {
		return 0, fmt.Errorf("%s: metadata %s %q is not a count in 0..16", path, key, s)
	}
	if n > 0 && size != 28 {
		return 0, fmt.Errorf("%s: metadata %s %d at layout %d (extra blocks exist at layout 28 only)", path, key, n, size)
	}
	return n, nil
}

// DCGANMetaEMA returns the decay of the generator's weight average that a
// DCGAN checkpoint's metadata records under "ema" (0: none, also for
// checkpoints written before it existed).
func DCGANMetaEMA(path string, meta map[string]string) (float64, error) {
	s, ok := meta["ema"]
	if !ok {
		return 0, nil
	}
	d, err := strconv.ParseFloat(s, 64)
	if err != nil || !(d >= 0 && d < 1) {
		return 0, fmt.Errorf("%s: metadata ema %q is not a decay in [0, 1)", path, s)
	}
	return d, nil
}

// loadDCGANSampler rebuilds both players of the DCGAN checkpoint at path
// (the checkpoint holds the generator's and the discriminator's tensors,
// and the average of the generator's weights when its metadata has a
// non-zero "ema"; train.LoadCheckpoint wants the whole file to match the
// model), loads them and keeps the average, or the trained generator when
// there is none or opt.RawGenerator.
func loadDCGANSampler(path string, meta map[string]string, opt SamplerOptions) (Sampler, error) {
	c, err := dcganMetaConfig(path, meta)
	if err != nil {
		return nil, err
	}
	decay, err := DCGANMetaEMA(path, meta)
	if err != nil {
		return nil, err
	}
	rng := tensor.NewRand(1)
	p := &ganPair{g: NewDCGANGenerator(rng, c), d: NewDCGANDiscriminator(rng, c)}
	if decay > 0 {
		p.ema = NewDCGANGenerator(rng, c)
	}
	if _, err := train.LoadCheckpoint(path, p); err != nil {
		return nil, err
	}
	if p.ema != nil && !opt.RawGenerator {
		if !opt.StoredStats {
			StandingStats(p.ema, c.Latent, tensor.NewRand(StandingSeed), StandingBatches, StandingBatch)
		}
		return dcganSampler{g: p.ema, cfg: c, ema: true}, nil
	}
	return dcganSampler{g: p.g, cfg: c}, nil
}

// Sample draws z ~ N(0, I) [n, latent] from rng, runs the generator in
// evaluation mode (BatchNorm with its running statistics, see [Generate])
// and maps its tanh images to [0, 1], cut to their centre 28×28 at the
// 32×32 layout and shrunk to 28×28 by area averaging at the 64×64 one (see
// [ToMNIST]).
func (s dcganSampler) Sample(n int, rng *rand.Rand) (*tensor.Tensor, error) {
	x := ToMNIST(Generate(s.g, tensor.RandN(rng, n, s.cfg.Latent)))
	return tensor.Reshape(x, n, 1, 28, 28), nil
}

func (s dcganSampler) Describe() string {
	how := "(G(z) + 1)/2"
	switch s.cfg.Size {
	case 32:
		how += ", its centre 28×28"
	case 64:
		how += " shrunk to 28×28"
	}
	g := "G"
	if s.ema {
		g = "G's weight average"
	}
	return fmt.Sprintf("DCGAN %d×%d (z %d, width %d): %s, z ~ N(0, I), %s, BatchNorm in evaluation mode",
		s.cfg.Size, s.cfg.Size, s.cfg.Latent, s.cfg.Width, how, g)
}
