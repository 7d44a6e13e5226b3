package main

import (
	"context"
	"fmt"
	"image"
	"math"
	"path/filepath"
	"strconv"

	"github.com/duboko/duboko/data/mnist"
	"github.com/duboko/duboko/generative"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/plot"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

// vaeLR is the lab's learning rate of Adam for the VAE.
const vaeLR = 3.24e-4

// vaeJob is 'duboko train --task vae': the lab's MLP VAE trained with Adam.
type vaeJob struct {
	c   genConfig
	vae *models.VAE
	t   *train.LossTask
}

func newVAEJob(c genConfig) *vaeJob {
	lr := c.LR
	if lr == 0 {
		lr = vaeLR
	}
	v := models.NewVAE(tensor.NewRand(c.Seed), c.Latent)
	return &vaeJob{c: c, vae: v, t: generative.NewVAETask(v, generative.NewVAEOptimizer(v, lr), c.Seed)}
}

func (j *vaeJob) task() train.Task { return j.t }

func (j *vaeJob) meta() map[string]string {
	return map[string]string{"latent": strconv.Itoa(j.c.Latent)}
}

func (j *vaeJob) optimizer() string { return "adam" }

func (j *vaeJob) describe() string {
	return fmt.Sprintf("vae 784-200-200-%d, Adam lr %g", j.c.Latent, j.t.Opt.LR())
}

// vaeFinal is the last JSON line of the metrics file: the test set's ELBO
// and its parts, in nats per image.
type vaeFinal struct {
	Final      bool        `json:"final"`
	TestELBO   train.Float `json:"test_elbo"`
	TestRecon  train.Float `json:"test_reconstruction"`
	TestKL     train.Float `json:"test_kl"`
	TestImages int         `json:"test_images"`
	LatentSize int         `json:"latent"`
	ZSamples   int         `json:"z_samples_per_image"` // the ELBO is estimated with this many samples of z
}

func (j *vaeJob) finish(ctx context.Context, test *mnist.Set) (any, string, error) {
	ms, err := j.t.Evaluate(ctx, test)
	if err != nil {
		return nil, "", err
	}
	elbo := -ms.Get("loss")
	if !finite(elbo) {
		return nil, "", fmt.Errorf("test ELBO is %v", elbo)
	}
	f := vaeFinal{Final: true, TestELBO: train.Float(elbo), TestRecon: train.Float(ms.Get("recon")),
		TestKL: train.Float(ms.Get("kl")), TestImages: test.N, LatentSize: j.c.Latent,
		ZSamples: 1}
	return f, fmt.Sprintf("test ELBO: %.2f nats per image (reconstruction %.2f, KL %.2f)",
		elbo, ms.Get("recon"), ms.Get("kl")), nil
}

// pngs saves plots as PNG files in dir and keeps the paths it wrote.
type pngs struct {
	dir     string
	written []string
}

// save writes p to the file name in w.dir.
func (w *pngs) save(name string, p plot.Plot) error {
	path := filepath.Join(w.dir, name)
	if err := plot.SavePNG(path, p); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	w.written = append(w.written, path)
	return nil
}

// images returns the first n images of s as a tensor [n, 784].
func images(s *mnist.Set, n int) *tensor.Tensor {
	n = min(n, s.N)
	x := make([]float32, 0, n*784)
	for i := 0; i < n; i++ {
		x = append(x, s.Image(i)...)
	}
	return tensor.FromFloat32(x, n, 784)
}

// grayGrid returns an image grid of values in [0, 1] drawn as they are.
func grayGrid(title string, cols int) *plot.ImageGrid {
	g := plot.NewImageGrid(title, cols, 2)
	g.Norm, g.Lo, g.Hi = plot.Fixed, 0, 1
	return g
}

// addRows adds the images of t [n, 784] to g.
func addRows(g *plot.ImageGrid, t *tensor.Tensor) {
	t = tensor.To(t, tensor.Float32)
	x := t.Float32s()
	for i := 0; i < t.Dim(0); i++ {
		g.Add(x[i*784:(i+1)*784], 28, 28, "")
	}
}

func (j *vaeJob) plots(dir string, test *mnist.Set, hist []train.EpochStats) ([]string, error) {
	out := &pngs{dir: dir}
	if err := out.save("training.png", lossCurves(hist)); err != nil {
		return out.written, err
	}
	j.vae.SetTraining(false)
	var rec, samples *tensor.Tensor
	x := images(test, 20)
	tensor.NoGrad(func() {
		rec = tensor.Sigmoid(j.vae.Forward(x))
		samples = tensor.Sigmoid(j.vae.Decode(tensor.RandN(tensor.NewRand(j.c.Seed+1), 100, j.c.Latent)))
	})
	g := grayGrid("test images (rows 1, 3) and their reconstructions σ(dec(μ(x))) (rows 2, 4)", 10)
	for r := 0; r < 2; r++ {
		addRows(g, tensor.Slice(x, 0, 10*r, 10*r+10))
		addRows(g, tensor.Slice(rec, 0, 10*r, 10*r+10))
	}
	if err := out.save("reconstructions.png", g); err != nil {
		return out.written, err
	}
	g = grayGrid("100 samples: σ(dec(z)), z ~ N(0, I)", 10)
	addRows(g, samples)
	if err := out.save("samples.png", g); err != nil {
		return out.written, err
	}
	if j.c.Latent == 2 {
		s, err := j.latentScatter(test)
		if err != nil {
			return out.written, err
		}
		if err := out.save("latent.png", s); err != nil {
			return out.written, err
		}
		if err := out.save("manifold.png", j.manifold(15)); err != nil {
			return out.written, err
		}
	}
	return out.written, nil
}

// latentScatter draws the means μ(x) of 2,000 test images coloured by
// digit, over the regions of the nearest class mean.
func (j *vaeJob) latentScatter(test *mnist.Set) (plot.Plot, error) {
	x := images(test, 2000)
	var mu *tensor.Tensor
	tensor.NoGrad(func() { mu, _ = j.vae.Encode(x) })
	n := x.Dim(0)
	pts := make([][2]float64, n)
	var cx, cy, cn [10]float64
	for i := range pts {
		pts[i] = [2]float64{mu.At(i, 0), mu.At(i, 1)}
		l := test.Labels[i]
		cx[l] += pts[i][0]
		cy[l] += pts[i][1]
		cn[l]++
	}
	for k := range cn {
		cx[k] /= math.Max(cn[k], 1)
		cy[k] /= math.Max(cn[k], 1)
	}
	nearest := func(x, y float64) float64 {
		best, bd := 0, math.Inf(1)
		for k := range cn {
			if cn[k] == 0 {
				continue
			}
			if d := (x-cx[k])*(x-cx[k]) + (y-cy[k])*(y-cy[k]); d < bd {
				best, bd = k, d
			}
		}
		return float64(best)
	}
	return &plot.DecisionSurface{Title: "latent means μ(x) of 2,000 test images; background: nearest digit mean\n" +
		"digits 0–9: blue, orange, green, red, purple, brown, pink, grey, olive, cyan",
		XLabel: "z₁", YLabel: "z₂", Fn: nearest, Classes: 10, Points: pts, Labels: test.Labels[:n], Width: 720, Height: 640}, nil
}

// manifold decodes an n×n grid of latent points at the normal quantiles
// of (k+½)/n, so that the grid covers the prior evenly.
func (j *vaeJob) manifold(n int) plot.Plot {
	z := make([]float32, 0, 2*n*n)
	for r := 0; r < n; r++ {
		for c := 0; c < n; c++ {
			z = append(z, float32(normalQuantile((float64(c)+0.5)/float64(n))), float32(normalQuantile(1-(float64(r)+0.5)/float64(n))))
		}
	}
	var out *tensor.Tensor
	tensor.NoGrad(func() { out = tensor.Sigmoid(j.vae.Decode(tensor.FromFloat32(z, n*n, 2))) })
	g := grayGrid(fmt.Sprintf("decoded %d×%d grid of z at normal quantiles (z₁ left→right, z₂ bottom→top)", n, n), n)
	g.Pad = 0
	addRows(g, out)
	return g
}

// normalQuantile returns Φ⁻¹(p) for p in (0, 1).
func normalQuantile(p float64) float64 { return math.Sqrt2 * math.Erfinv(2*p-1) }

// lossCurves returns the training curves of a generative task: its "loss"
// metric (−ELBO, or the RBM's reconstruction error) on the training and
// validation sets, and the learning rate.
func lossCurves(hist []train.EpochStats) plot.Plot {
	var h plot.History
	for _, s := range hist {
		h.Epoch = append(h.Epoch, float64(s.Epoch))
		h.TrainLoss = append(h.TrainLoss, first(s.Train, "loss", "recon_error"))
		h.ValLoss = append(h.ValLoss, first(s.Val, "loss", "recon_error"))
		h.LR = append(h.LR, s.LR)
	}
	g, err := h.Plot()
	if err != nil {
		return errPlot{err}
	}
	return g
}

// first returns the first of the named metrics that ms has.
func first(ms train.Metrics, names ...string) float64 {
	for _, n := range names {
		if v := ms.Get(n); !math.IsNaN(v) {
			return v
		}
	}
	return math.NaN()
}

// errPlot is a plot that could not be made: rendering returns its error.
type errPlot struct{ err error }

func (e errPlot) Render() (*image.RGBA, error) { return nil, e.err }
