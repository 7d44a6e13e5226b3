package generative

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

// DCGAN's recipe (Radford et al., 2016), as lab 4 and PyTorch's DCGAN
// tutorial use it.
const (
	// DCGANLatent is the size of the generator's noise z.
	DCGANLatent = 100
	// DCGANLR is Adam's learning rate for both players.
	DCGANLR = 2e-4
	// DCGANBeta1 and DCGANBeta2 are Adam's β: β1 = 0.5 damps the momentum
	// that makes the adversarial game oscillate.
	DCGANBeta1, DCGANBeta2 = 0.5, 0.999
)

// DCGANConfig is a DCGAN's layout. The library's default, 28×28 at width
// 32, is the cheapest that draws clear digits: it needs no resizing of
// MNIST or of the samples the MNIST classifier scores, and costs about
// 2.0 M multiply-adds per image for G and 1.7 M for D, a quarter of width
// 64's and about 1/50 of the lab's 64×64 layout (about 100 M each). The
// 32×32 layout is the lab's with one stage fewer (MNIST padded by 2 pixels
// on each side); at width 32 it costs about 4.5 M per player.
type DCGANConfig struct {
	// Size is the side of the images: 28 (MNIST's own size), 32 (MNIST
	// centred on a 32×32 background, the standard four-stage DCGAN) or 64
	// (lab 4's layout, MNIST upsampled to 64×64).
	Size int
	// Latent is the size of z (0: DCGANLatent).
	Latent int
	// Width scales the channel counts, the paper's ngf = ndf (0: 32 at
	// 28×28 and 32×32; 64 at 64×64, the lab's 512-256-128-64).
	Width int
	// GWidth, when not 0, is the generator's own width (ngf), Width then
	// being the discriminator's (ndf).
	GWidth int
	// GExtra adds that many stride-1 blocks ConvT(2·ngf→2·ngf, 3, s1, p1),
	// BatchNorm, ReLU to the generator at 7×7, after its first block
	// (28×28 layout only). 0 here; 'duboko train --task dcgan --layout 28'
	// uses 1 by default, which draws clearer digits (see BENCHMARKS.md).
	GExtra int
	// DExtra adds that many stride-1 blocks Conv(2·ndf→2·ndf, 3, s1, p1),
	// BatchNorm, LeakyReLU(0.2) to the discriminator at 7×7, before its
	// last convolution (28×28 layout only).
	DExtra int
}

// ladderTop returns the channel multiple of the 4×4 stage of the 32×32
// and 64×64 layouts: 4 (4w 4×4 → 2w → w → 1 at 32×32) or 8 (8w → 4w → 2w →
// w → 1 at 64×64), each stage a stride-2 (transposed) convolution.
func (c DCGANConfig) ladderTop() int { return c.Size / 8 }

// genWidth returns the generator's width ngf.
func (c DCGANConfig) genWidth() int {
	if c.GWidth != 0 {
		return c.GWidth
	}
	return c.Width
}

// normalize fills in the defaults and checks the layout.
func (c DCGANConfig) normalize() DCGANConfig {
	if c.Size == 0 {
		c.Size = 28
	}
	if c.Latent == 0 {
		c.Latent = DCGANLatent
	}
	if c.Width == 0 {
		c.Width = 32
		if c.Size == 64 {
			c.Width = 64
		}
	}
	if c.Size != 28 && c.Size != 32 && c.Size != 64 {
		panic(fmt.Sprintf("generative.DCGANConfig: image size %d, want 28, 32 or 64", c.Size))
	}
	if c.Latent < 1 || c.Width < 1 || c.GWidth < 0 || c.GExtra < 0 || c.DExtra < 0 {
		panic(fmt.Sprintf("generative.DCGANConfig: latent %d, width %d, generator width %d, extra blocks %d and %d: want latent and width ≥ 1, the others ≥ 0",
			c.Latent, c.Width, c.GWidth, c.GExtra, c.DExtra))
	}
	if (c.GExtra > 0 || c.DExtra > 0) && c.Size != 28 {
		panic(fmt.Sprintf("generative.DCGANConfig: %d extra generator and %d extra discriminator blocks at the %d×%d layout, which has none (28×28 only)", c.GExtra, c.DExtra, c.Size, c.Size))
	}
	return c
}

// String describes the layout, such as "dcgan 28×28 (z 100, width 64)".
func (c DCGANConfig) String() string {
	c = c.normalize()
	g := ""
	if c.GWidth != 0 && c.GWidth != c.Width {
		g = fmt.Sprintf(", generator width %d", c.GWidth)
	}
	if c.GExtra > 0 {
		g += fmt.Sprintf(", %d extra generator block(s) at 7×7", c.GExtra)
	}
	if c.DExtra > 0 {
		g += fmt.Sprintf(", %d extra discriminator block(s) at 7×7", c.DExtra)
	}
	return fmt.Sprintf("dcgan %d×%d (z %d, width %d%s)", c.Size, c.Size, c.Latent, c.Width, g)
}

// NewDCGANGenerator returns the generator G: z [N, Latent] → images
// [N, 1, Size, Size] in (−1, 1). It reshapes z to [N, Latent, 1, 1], then
// applies transposed convolutions without bias, each but the last followed
// by BatchNorm2d and ReLU, and a tanh:
//
//	28×28 (w = Width): ConvT(z→2w, 7) 7×7 → ConvT(2w→w, 4, s2, p1) 14×14 → ConvT(w→1, 4, s2, p1) 28×28
//	                   (with GExtra, that many ConvT(2w→2w, 3, s1, p1) after the first block)
//	32×32:             ConvT(z→4w, 4) 4×4 → 2w 8×8 → w 16×16 → 1 32×32, each ConvT(4, s2, p1)
//	64×64 (lab 4):     ConvT(z→8w, 4) 4×4 → 4w 8×8 → 2w 16×16 → w 32×32 → 1 64×64, each ConvT(4, s2, p1)
//
// w is GWidth when set. With Width 64 the 64×64 layout is the lab's 512-256-128-64-1. Weights
// are initialised as the DCGAN paper does: convolutions N(0, 0.02²),
// BatchNorm γ N(1, 0.02²) and β 0.
func NewDCGANGenerator(rng *rand.Rand, c DCGANConfig) *nn.Sequential {
	c = c.normalize()
	g := nn.NewSequential(nn.NewReshape(c.Latent, 1, 1))
	block := func(in, out, k, s, p int) {
		g.Add(fmt.Sprint(len(g.Layers)), nn.NewConvTranspose2d(rng, in, out, k, nn.ConvTransposeStride(s), nn.ConvTransposePadding(p), nn.ConvTransposeNoBias()))
		g.Add(fmt.Sprint(len(g.Layers)), nn.NewBatchNorm2d(out))
		g.Add(fmt.Sprint(len(g.Layers)), nn.NewReLU())
	}
	w := c.genWidth()
	last := w
	if c.Size == 28 {
		block(c.Latent, 2*w, 7, 1, 0)
		for range c.GExtra {
			block(2*w, 2*w, 3, 1, 1)
		}
		block(2*w, w, 4, 2, 1)
	} else {
		top := c.ladderTop()
		block(c.Latent, top*w, 4, 1, 0)
		for m := top; m > 1; m /= 2 {
			block(m*w, m/2*w, 4, 2, 1)
		}
	}
	g.Add(fmt.Sprint(len(g.Layers)), nn.NewConvTranspose2d(rng, last, 1, 4, nn.ConvTransposeStride(2), nn.ConvTransposePadding(1), nn.ConvTransposeNoBias()))
	g.Add(fmt.Sprint(len(g.Layers)), nn.NewTanh())
	dcganInit(rng, g)
	return g
}

// NewDCGANDiscriminator returns the discriminator D: images [N, 1, Size,
// Size] → probabilities [N, 1] that they are real. Strided convolutions
// without bias with LeakyReLU(0.2), BatchNorm2d on all but the first, and a
// last convolution over the whole remaining map followed by a sigmoid:
//
//	28×28: Conv(1→w, 4, s2, p1) 14×14 → Conv(w→2w, 4, s2, p1) 7×7 → Conv(2w→1, 7) 1×1
//	       (with DExtra, that many Conv(2w→2w, 3, s1, p1) before the last)
//	32×32: Conv(1→w) 16 → 2w 8 → 4w 4, each Conv(4, s2, p1) → Conv(4w→1, 4) 1×1
//	64×64: Conv(1→w) 32 → 2w 16 → 4w 8 → 8w 4, each Conv(4, s2, p1) → Conv(8w→1, 4) 1×1
//
// Its output is a probability, as GANStep's nn.BCE wants; nn.BCE clamps
// its logarithms at −100 as PyTorch's BCELoss does, so a saturated sigmoid
// gives finite losses (the lab's and PyTorch's tutorial's choice, kept so
// that the PyTorch twin in bench/dcgan is the same computation). Weights
// are initialised as in NewDCGANGenerator.
func NewDCGANDiscriminator(rng *rand.Rand, c DCGANConfig) *nn.Sequential {
	c = c.normalize()
	d := nn.NewSequential()
	add := func(l nn.Layer) { d.Add(fmt.Sprint(len(d.Layers)), l) }
	conv := func(in, out int, bn bool) {
		add(nn.NewConv2d(rng, in, out, 4, nn.ConvStride(2), nn.ConvPadding(1), nn.ConvNoBias()))
		if bn {
			add(nn.NewBatchNorm2d(out))
		}
		add(nn.NewLeakyReLU(0.2))
	}
	w := c.Width
	if c.Size == 28 {
		conv(1, w, false)
		conv(w, 2*w, true)
		for range c.DExtra {
			add(nn.NewConv2d(rng, 2*w, 2*w, 3, nn.ConvPadding(1), nn.ConvNoBias()))
			add(nn.NewBatchNorm2d(2 * w))
			add(nn.NewLeakyReLU(0.2))
		}
		add(nn.NewConv2d(rng, 2*w, 1, 7, nn.ConvNoBias()))
	} else {
		top := c.ladderTop()
		conv(1, w, false)
		for m := 1; m < top; m *= 2 {
			conv(m*w, 2*m*w, true)
		}
		add(nn.NewConv2d(rng, top*w, 1, 4, nn.ConvNoBias()))
	}
	add(nn.NewFlatten())
	add(nn.NewSigmoid())
	dcganInit(rng, d)
	return d
}

// dcganInit draws m's weights as the DCGAN paper does: every convolution
// (and transposed convolution) N(0, 0.02²), every BatchNorm γ N(1, 0.02²)
// and β 0.
func dcganInit(rng *rand.Rand, m *nn.Sequential) {
	for _, l := range m.Layers {
		switch l := l.(type) {
		case *nn.Conv2d:
			nn.Normal(0, 0.02)(rng, l.Weight)
		case *nn.ConvTranspose2d:
			nn.Normal(0, 0.02)(rng, l.Weight)
		case *nn.BatchNorm:
			nn.Normal(1, 0.02)(rng, l.Weight)
			nn.Zeros()(rng, l.Bias)
		}
	}
}

// DCGANTask is the train.Task of a DCGAN: a [GANTask] whose batches hold
// images with values in [0, 1] (such as MNIST's), which it scales to
// [−1, 1] and resizes to the layout's size (see [DCGANImages]) before each
// step and evaluation.
type DCGANTask struct {
	*GANTask
	Config DCGANConfig

	buf []float32
}

// NewDCGANTask returns the task that trains a DCGAN of layout c with seed:
// both players built from seed, Adam(lr, β = (0.5, 0.999)) for each (lr 0
// means DCGANLR), k discriminator steps per generator step (0 means 1) and
// the generator loss given.
func NewDCGANTask(c DCGANConfig, seed uint64, lr float64, k int, loss GeneratorLoss) *DCGANTask {
	c = c.normalize()
	if lr == 0 {
		lr = DCGANLR
	}
	rng := tensor.NewRand(seed)
	g := NewDCGANGenerator(rng, c)
	d := NewDCGANDiscriminator(rng, c)
	adam := func(ps []nn.Param) optim.Optimizer {
		return optim.NewAdam(ps, optim.AdamConfig{LR: lr, Betas: [2]float64{DCGANBeta1, DCGANBeta2}})
	}
	return &DCGANTask{Config: c, GANTask: &GANTask{G: g, D: d, OptG: adam(g.Params()), OptD: adam(d.Params()),
		Latent: c.Latent, Seed: seed, Loss: loss, K: k}}
}

// KeepEMA makes the task keep an average of the generator's weights with
// decay (see [EMA]), in a second generator of the same layout that starts
// as a copy of G; [DCGANTask.Sampler] then draws from it. Call it before
// training or loading a checkpoint.
func (t *DCGANTask) KeepEMA(decay float64) {
	t.EMA = NewEMA(t.G, NewDCGANGenerator(tensor.NewRand(0), t.Config), decay)
}

// Sampler returns the generator that draws the task's samples: G itself,
// or, with a weight average (see [DCGANTask.KeepEMA]), a copy of the
// average whose BatchNorm statistics are standing statistics
// ([StandingStats] with StandingBatches batches of StandingBatch noise
// vectors from StandingSeed), as [LoadSampler] computes them for a
// checkpoint. The average itself, part of the training state, is left
// alone. Use the result in evaluation mode (see [Generate]).
func (t *DCGANTask) Sampler() nn.Module {
	if t.EMA == nil {
		return t.G
	}
	g := NewDCGANGenerator(tensor.NewRand(0), t.Config)
	src := nn.StateDict(t.EMA.Shadow)
	for i, p := range nn.StateDict(g) {
		p.Tensor.CopyFrom(src[i].Tensor)
	}
	StandingStats(g, t.Latent, tensor.NewRand(StandingSeed), StandingBatches, StandingBatch)
	return g
}

// Step brings the batch's images to the layout as [DCGANImages] does
// (scaled to [−1, 1], padded or resized) and runs GANTask.Step on them.
func (t *DCGANTask) Step(b *data.Batch) (train.Metrics, error) {
	n, s := b.Size(), t.Config.Size
	if len(b.Shape) < 3 {
		return nil, fmt.Errorf("generative: DCGAN batch of shape %v, want [N, 1, H, W] images", b.Shape)
	}
	h, w := b.Shape[len(b.Shape)-2], b.Shape[len(b.Shape)-1]
	if n*h*w != len(b.X) {
		return nil, fmt.Errorf("generative: DCGAN batch of shape %v, want one-channel images", b.Shape)
	}
	if cap(t.buf) < n*s*s {
		t.buf = make([]float32, n*s*s)
	}
	x := t.buf[:n*s*s]
	for i := 0; i < n; i++ {
		dcganImage(x[i*s*s:(i+1)*s*s], s, b.X[i*h*w:(i+1)*h*w], h, w)
	}
	return t.GANTask.Step(&data.Batch{X: x, Shape: []int{n, 1, s, s}, Labels: b.Labels, Indices: b.Indices})
}

// Evaluate runs GANTask.Evaluate on ds seen through [DCGANImages].
func (t *DCGANTask) Evaluate(ctx context.Context, ds data.Dataset) (train.Metrics, error) {
	v, err := NewDCGANImages(ds, t.Config.Size)
	if err != nil {
		return nil, err
	}
	return t.GANTask.Evaluate(ctx, v)
}

// Generate returns g's images for the noise z [N, latent] in evaluation
// mode (BatchNorm with its running statistics) and without recording
// gradients, in batches of at most 500; g is left in training mode.
func Generate(g nn.Module, z *tensor.Tensor) *tensor.Tensor {
	g.SetTraining(false)
	defer g.SetTraining(true)
	var parts []*tensor.Tensor
	tensor.NoGrad(func() {
		for i := 0; i < z.Dim(0); i += 500 {
			parts = append(parts, g.Forward(tensor.Slice(z, 0, i, min(i+500, z.Dim(0)))))
		}
	})
	if len(parts) == 1 {
		return parts[0]
	}
	return tensor.Concat(0, parts...)
}
