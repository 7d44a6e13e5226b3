package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"

	"github.com/duboko/duboko/data/mnist"
	"github.com/duboko/duboko/generative"
	"github.com/duboko/duboko/generative/quality"
	"github.com/duboko/duboko/plot"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

// dcganEpochs is the default --epochs of --task dcgan (see README: enough
// for clear digits on the 32×32 default).
const dcganEpochs = 5

// dcganLayout is the default --layout of --task dcgan: the four-stage 32×32
// layout, which draws clearer digits than 28×28 for about 1.4× its step
// time (see BENCHMARKS.md, "The 32×32 layout").
const dcganLayout = 32

// The defaults of the recipe's options (see BENCHMARKS.md, "DCGAN: the
// recipe towards IS 9").
const (
	dcganEMA       = 0.0 // --ema
	dcganRealLabel = 1.0 // --real-label
	dcganLRDecay   = 0   // --lr-decay
	dcganGExtra    = 1   // --g-extra at --layout 28 (0 at 32 and 64, which have no extra blocks)
	dcganDExtra    = 0   // --d-extra at --layout 28
)

// dcganFlags are the flags of 'duboko train --task dcgan'.
type dcganFlags struct {
	Layout  int    // --layout: 28, 32 or 64
	Width   int    // --width: ngf = ndf
	DSteps  int    // --d-steps: discriminator steps per generator step
	GenLoss string // --gen-loss: ns or minimax
	// Score is the number of samples scored at the end (--score-samples;
	// 0: none), Classifier the scoring classifier (--classifier; "": the
	// cached CNN of package quality).
	Score      int
	Classifier string
	// The recipe's options: EMA the decay of the generator's weight
	// average (--ema; 0: none), RealLabel D's target on real images
	// (--real-label; 1: no smoothing), LRDecay the last epochs whose
	// learning rate falls linearly (--lr-decay), GWidth and GExtra the
	// generator's own width and extra 7×7 blocks (--g-width, --g-extra).
	EMA       float64
	RealLabel float64
	LRDecay   int
	GWidth    int
	GExtra    int
	DExtra    int // --d-extra: the discriminator's extra 7×7 blocks
}

func init() {
	taskFlags["dcgan"] = []string{"layout", "width", "d-steps", "gen-loss", "score-samples", "classifier",
		"ema", "real-label", "lr-decay", "g-width", "g-extra", "d-extra"}
}

// addDCGANFlags registers the dcgan task's flags on fs.
func addDCGANFlags(fs *flagSet) *dcganFlags {
	f := &dcganFlags{Layout: dcganLayout, DSteps: 1, GenLoss: "ns", Score: 10000, EMA: dcganEMA, RealLabel: dcganRealLabel, LRDecay: dcganLRDecay}
	fs.IntVar(&f.Layout, "layout", f.Layout, "dcgan: image side, 28 (MNIST as it is), 32 (MNIST padded by 2, the four-stage 128-64-32 layout at width 32) or 64 (lab 4's 512-256-128-64 layout, MNIST upsampled); not given: 32, or a --resume's own")
	fs.IntVar(&f.Width, "width", f.Width, "dcgan: channels of the finest-resolution layer of each player, ngf = ndf (0: 32 at --layout 28 and 32, 64 at 64; not given: a --resume's own)")
	fs.IntVar(&f.DSteps, "d-steps", f.DSteps, "dcgan: discriminator steps per generator step (k)")
	fs.StringVar(&f.GenLoss, "gen-loss", f.GenLoss, "dcgan: generator loss, ns (non-saturating, −log D(G(z))) or minimax (log(1 − D(G(z))))")
	fs.IntVar(&f.Score, "score-samples", f.Score, "dcgan: samples scored at the end with the MNIST classifier (Inception Score, Fréchet distance; 0: none)")
	fs.Float64Var(&f.EMA, "ema", f.EMA, "dcgan: decay of the average of the generator's weights that draws the samples, grids and scores (0: none, sample from the trained generator)")
	fs.Float64Var(&f.RealLabel, "real-label", f.RealLabel, "dcgan: the discriminator's target on real images (below 1: one-sided label smoothing)")
	fs.IntVar(&f.LRDecay, "lr-decay", f.LRDecay, "dcgan: over the last N epochs the learning rate falls linearly, step by step, from lr to lr/(N·steps per epoch) (0: constant)")
	fs.IntVar(&f.GWidth, "g-width", 0, "dcgan: the generator's own width ngf (0: --width; not given: a --resume's own)")
	fs.IntVar(&f.GExtra, "g-extra", dcganGExtra, "dcgan: extra stride-1 3×3 blocks (ConvT, BatchNorm, ReLU) in the generator at 7×7 (--layout 28 only; not given: 0 at --layout 32 and 64, and a --resume's own)")
	fs.IntVar(&f.DExtra, "d-extra", dcganDExtra, "dcgan: extra stride-1 3×3 blocks (Conv, BatchNorm, LeakyReLU) in the discriminator at 7×7 (--layout 28 only; not given: a --resume's own)")
	fs.StringVar(&f.Classifier, "classifier", "", "dcgan: MNIST classifier checkpoint that scores the samples (default: the cached CNN, trained once when missing; see duboko score --help)")
	return f
}

// validate reports the first nonsensical dcgan setting, naming its flag.
func (f dcganFlags) validate() error {
	switch {
	case f.Layout != 28 && f.Layout != 32 && f.Layout != 64:
		return fmt.Errorf("--layout must be 28, 32 or 64, got %d", f.Layout)
	case f.Width < 0 || f.Width > 1024:
		return fmt.Errorf("--width must be in 0..1024 (0: the layout's default), got %d", f.Width)
	case f.DSteps < 1 || f.DSteps > 100:
		return fmt.Errorf("--d-steps must be in 1..100, got %d", f.DSteps)
	case f.GenLoss != "ns" && f.GenLoss != "minimax":
		return fmt.Errorf("--gen-loss must be ns or minimax, got %q", f.GenLoss)
	case f.Score != 0 && (f.Score < 2 || f.Score > quality.MaxSamples):
		return fmt.Errorf("--score-samples must be 0 (none) or in 2..%d, got %d", quality.MaxSamples, f.Score)
	case !(f.EMA >= 0 && f.EMA < 1):
		return fmt.Errorf("--ema must be a decay in [0, 1) (0: none), got %v", f.EMA)
	case !(f.RealLabel > 0 && f.RealLabel <= 1):
		return fmt.Errorf("--real-label must be in (0, 1], got %v", f.RealLabel)
	case f.LRDecay < 0 || f.LRDecay > train.MaxEpochs:
		return fmt.Errorf("--lr-decay must be in 0..%d epochs, got %d", train.MaxEpochs, f.LRDecay)
	case f.GWidth < 0 || f.GWidth > 1024:
		return fmt.Errorf("--g-width must be in 0..1024 (0: --width), got %d", f.GWidth)
	case f.GExtra < 0 || f.GExtra > 16:
		return fmt.Errorf("--g-extra must be in 0..16, got %d", f.GExtra)
	case f.GExtra > 0 && f.Layout != 28:
		return fmt.Errorf("--g-extra applies to --layout 28 only, got --layout %d", f.Layout)
	case f.DExtra < 0 || f.DExtra > 16:
		return fmt.Errorf("--d-extra must be in 0..16, got %d", f.DExtra)
	case f.DExtra > 0 && f.Layout != 28:
		return fmt.Errorf("--d-extra applies to --layout 28 only, got --layout %d", f.Layout)
	}
	return nil
}

// dcganJob is 'duboko train --task dcgan'.
type dcganJob struct {
	c     genConfig
	f     dcganFlags
	t     *generative.DCGANTask
	fixed *tensor.Tensor // the noise of the per-epoch sample grids
	warn  io.Writer

	watch collapseWatch
}

func newDCGANJob(c genConfig, f dcganFlags) *dcganJob {
	loss := generative.NonSaturating
	if f.GenLoss == "minimax" {
		loss = generative.Minimax
	}
	cfg := generative.DCGANConfig{Size: f.Layout, Width: f.Width, GWidth: f.GWidth, GExtra: f.GExtra, DExtra: f.DExtra}
	t := generative.NewDCGANTask(cfg, c.Seed, c.LR, f.DSteps, loss)
	if f.EMA > 0 {
		t.KeepEMA(f.EMA)
	}
	if f.RealLabel != 1 {
		t.RealLabel = f.RealLabel
	}
	return &dcganJob{c: c, f: f, t: t, warn: c.Log,
		fixed: tensor.RandN(tensor.NewRand(c.Seed+1), 100, t.Latent)}
}

func (j *dcganJob) task() train.Task { return j.t }

func (j *dcganJob) meta() map[string]string {
	c := j.t.Config
	// g-width is the flag's value: 0, the generator as wide as --width;
	// g-extra and d-extra exist at layout 28 only
	m := map[string]string{"layout": strconv.Itoa(c.Size), "width": strconv.Itoa(c.Width), "latent": strconv.Itoa(c.Latent),
		"g-width": strconv.Itoa(c.GWidth), "ema": strconv.FormatFloat(j.f.EMA, 'g', -1, 64)}
	if c.Size == 28 {
		m["g-extra"] = strconv.Itoa(c.GExtra)
		m["d-extra"] = strconv.Itoa(c.DExtra)
	}
	return m
}

func (j *dcganJob) optimizer() string { return "adam" }

func (j *dcganJob) describe() string {
	s := fmt.Sprintf("%v, Adam lr %g β (%g, %g), %d D step(s) per G step, %s generator loss",
		j.t.Config, j.t.OptG.LR(), generative.DCGANBeta1, generative.DCGANBeta2, max(j.f.DSteps, 1), j.t.Loss)
	if j.f.RealLabel != 1 {
		s += fmt.Sprintf(", real label %g", j.f.RealLabel)
	}
	if j.f.LRDecay > 0 {
		s += fmt.Sprintf(", lr falling linearly over the last %d epoch(s)", j.f.LRDecay)
	}
	if j.f.EMA > 0 {
		s += fmt.Sprintf(", samples from G's weight average (decay %g)", j.f.EMA)
	}
	return s
}

// hook registers the per-epoch sample grid and curves, the collapse watch
// and the learning rate's linear decay (--lr-decay) on tr.
func (j *dcganJob) hook(tr *train.Trainer) {
	tr.OnStep(j.watch.step)
	if j.f.LRDecay > 0 {
		d := lrTail{Base: j.t.OptG.LR(), Epochs: j.c.Epochs, N: j.f.LRDecay}
		tr.Schedule = d
		opts := j.t.Optimizers()
		tr.OnStep(func(s train.StepInfo) {
			lr := d.at(s.Epoch, s.Step, s.Steps)
			for _, o := range opts {
				o.SetLR(lr)
			}
		})
	}
	tr.OnEpochEnd(func(st train.EpochStats) error {
		if w := j.watch.verdict(st); w != "" {
			fmt.Fprintln(j.warn, "warning:", w)
		}
		if j.c.OutDir == "" || !j.c.Plots {
			return nil
		}
		out := &pngs{dir: j.c.OutDir}
		if err := out.save(fmt.Sprintf("samples-epoch-%03d.png", st.Epoch), j.grid(fmt.Sprintf("G(z) after epoch %d, fixed z", st.Epoch))); err != nil {
			return err
		}
		return out.save("training.png", ganCurves(tr.History()))
	})
}

// grid draws the generator's images of the fixed noise as a 10×10 grid.
func (j *dcganJob) grid(title string) plot.Plot {
	imgs := generative.ToMNIST(generative.Generate(j.t.Sampler(), j.fixed))
	g := grayGrid(title, 10)
	addRows(g, imgs)
	return g
}

// lrTail is --lr-decay: the learning rate Base until the last N of Epochs
// epochs, then falling linearly step by step, from Base at the first step
// of epoch Epochs−N+1 to Base/(N·steps) at the last step of epoch Epochs.
// As an optim.Schedule it gives the rate of each epoch's first step (the
// trainer sets it at the start of every epoch, also after a resume); the
// OnStep hook sets the rate of each following step with at.
type lrTail struct {
	Base      float64
	Epochs, N int
}

// LR returns the rate of the first step of epoch.
func (d lrTail) LR(epoch int) float64 { return d.at(epoch, 0, 1) }

// at returns the rate of the step after step done of the steps of epoch
// (done 0: the epoch's first step).
func (d lrTail) at(epoch, done, steps int) float64 {
	first := d.Epochs - d.N + 1 // first epoch of the decay
	if epoch < first || d.N <= 0 || steps <= 0 {
		return d.Base
	}
	n := float64(d.N * steps)                            // steps of the decay
	i := float64((epoch-first)*steps + min(done, steps)) // index of the next step in it
	return d.Base * max(n-i, 1) / n
}

// dcganFinal is the last JSON line of the metrics file.
type dcganFinal struct {
	Final      bool        `json:"final"`
	TestDReal  train.Float `json:"test_d_real"` // mean D(x) over the test set
	TestDFake  train.Float `json:"test_d_fake"` // mean D(G(z)), as many z
	TestLossD  train.Float `json:"test_loss_d"`
	TestImages int         `json:"test_images"`
	// The scores of ScoredSamples samples (absent when none were scored):
	// see package generative/quality.
	InceptionScore  *train.Float `json:"inception_score,omitempty"`
	FrechetDistance *train.Float `json:"frechet_distance,omitempty"`
	ScoredSamples   int          `json:"scored_samples,omitempty"`
	Layout          int          `json:"layout"`
	Width           int          `json:"width"`
}

func (j *dcganJob) finish(ctx context.Context, test *mnist.Set) (any, string, error) {
	ms, err := j.t.Evaluate(ctx, test)
	if err != nil {
		return nil, "", err
	}
	f := dcganFinal{Final: true, TestDReal: train.Float(ms.Get("d_real")), TestDFake: train.Float(ms.Get("d_fake")),
		TestLossD: train.Float(ms.Get("loss_d")), TestImages: test.N, Layout: j.t.Config.Size, Width: j.t.Config.Width}
	summary := fmt.Sprintf("test set: D(x) %.3f, D(G(z)) %.3f, discriminator loss %.4f", f.TestDReal, f.TestDFake, f.TestLossD)
	if j.f.Score == 0 {
		return f, summary, nil
	}
	sc, err := j.score(ctx, test)
	if err != nil {
		return nil, "", err
	}
	is, fd := train.Float(sc.InceptionScore), train.Float(sc.FrechetDistance)
	f.InceptionScore, f.FrechetDistance, f.ScoredSamples = &is, &fd, sc.N
	return f, fmt.Sprintf("%s\n%d samples: inception score %.3f (10 at best), Fréchet distance %.3f to the test set (0 at best)",
		summary, sc.N, sc.InceptionScore, sc.FrechetDistance), nil
}

// score draws j.f.Score samples (z from seed+1000, the sampling generator
// (see GANTask.Sampler) in evaluation mode), writes them to samples.safetensors in the output
// folder (for 'duboko score') and scores them against test with the MNIST
// classifier of package quality.
func (j *dcganJob) score(ctx context.Context, test *mnist.Set) (*quality.Scores, error) {
	x := generative.ToMNIST(generative.Generate(j.t.Sampler(), tensor.RandN(tensor.NewRand(j.c.Seed+1000), j.f.Score, j.t.Latent)))
	if j.c.OutDir != "" {
		if err := quality.WriteSamples(filepath.Join(j.c.OutDir, "samples.safetensors"), x); err != nil {
			return nil, fmt.Errorf("samples: %w", err)
		}
	}
	s, err := quality.New(ctx, quality.Options{Classifier: j.f.Classifier, Test: test, Log: j.c.Log})
	if err != nil {
		return nil, fmt.Errorf("scoring: %w", err)
	}
	return s.Score(x)
}

func (j *dcganJob) plots(dir string, test *mnist.Set, hist []train.EpochStats) ([]string, error) {
	out := &pngs{dir: dir}
	if err := out.save("training.png", ganCurves(hist)); err != nil {
		return out.written, err
	}
	if err := out.save("samples.png", j.grid(fmt.Sprintf("100 samples G(z) after %d epochs, fixed z", len(hist)))); err != nil {
		return out.written, err
	}
	return out.written, nil
}

// ganCurves draws, per epoch, both players' losses and the discriminator's
// mean outputs D(x) and D(G(z)) on the training batches.
func ganCurves(hist []train.EpochStats) plot.Plot {
	var ep, ld, lg, dr, df []float64
	for _, s := range hist {
		ep = append(ep, float64(s.Epoch))
		ld = append(ld, s.Train.Get("loss_d"))
		lg = append(lg, s.Train.Get("loss_g"))
		dr = append(dr, s.Train.Get("d_real"))
		df = append(df, s.Train.Get("d_fake"))
	}
	losses := plot.NewLineChart("losses (training, epoch means)", "epoch", "loss").
		Add("discriminator: BCE(D(x), 1) + BCE(D(G(z)), 0)", ep, ld).Add("generator", ep, lg)
	outs := plot.NewLineChart("discriminator outputs (training, epoch means)", "epoch", "mean output").
		Add("D(x)", ep, dr).Add("D(G(z))", ep, df)
	outs.YRange = plot.Range{Min: 0, Max: 1}
	return plot.NewGrid(2, losses, outs)
}

// collapseWatch follows D(x) and D(G(z)) step by step through an epoch
// and judges the epoch at its end.
type collapseWatch struct {
	epoch          int
	lo, hi         [2]float64 // per-step extremes of mean D(x), mean D(G(z))
	steps          int
	lossDTiny      int // steps with loss_d < 1e-3 or mean D(G(z)) < 1e-3
	lossGHuge      int // steps with loss_g > 6.9
	finiteSteps    int
	lastLD, lastLG float64
}

// Thresholds of the collapse warnings.
const (
	collapseSpread = 0.02 // D(x) and D(G(z)) each move less than this over the epoch …
	collapseGap    = 0.02 // … and differ by less than this
)

func (w *collapseWatch) step(s train.StepInfo) {
	if s.Epoch != w.epoch {
		*w = collapseWatch{epoch: s.Epoch, lo: [2]float64{math.Inf(1), math.Inf(1)}, hi: [2]float64{math.Inf(-1), math.Inf(-1)}}
	}
	w.steps++
	for i, name := range []string{"d_real", "d_fake"} {
		v := s.Batch.Get(name)
		w.lo[i], w.hi[i] = math.Min(w.lo[i], v), math.Max(w.hi[i], v)
	}
	// D wins outright: its loss vanishes, or (with --real-label, whose
	// smoothed target keeps D's loss away from 0) it rejects every sample
	if s.Batch.Get("loss_d") < 1e-3 || s.Batch.Get("d_fake") < 1e-3 {
		w.lossDTiny++
	}
	if s.Batch.Get("loss_g") > 6.9 { // −log D(G(z)) with D(G(z)) < 1e-3
		w.lossGHuge++
	}
}

// verdict returns a warning when the epoch st shows a collapsed
// discriminator (D(x) ≈ D(G(z)) ≈ a constant at every step) or diverging
// losses (the discriminator's loss near 0, or its mean output on the
// samples below 1e-3, and the generator's loss large for most of the
// epoch: D rejects every sample and G gets no useful gradient), and ""
// otherwise.
func (w *collapseWatch) verdict(st train.EpochStats) string {
	if w.epoch != st.Epoch || w.steps == 0 {
		return ""
	}
	r, f := st.Train.Get("d_real"), st.Train.Get("d_fake")
	if w.hi[0]-w.lo[0] < collapseSpread && w.hi[1]-w.lo[1] < collapseSpread && math.Abs(r-f) < collapseGap {
		return fmt.Sprintf("the discriminator collapsed in epoch %d: D(x) ≈ D(G(z)) ≈ %.3f at every one of its %d steps, "+
			"so it no longer tells real from generated images; the samples are unlikely to improve (try another --seed or --lr)", st.Epoch, (r+f)/2, w.steps)
	}
	if 2*w.lossDTiny > w.steps && 2*w.lossGHuge > w.steps {
		return fmt.Sprintf("the losses diverge in epoch %d: the discriminator's loss is %.2g and the generator's %.3g "+
			"(D(x) %.3f, D(G(z)) %.3f): D rejects every sample and G learns little (try a smaller --lr or --d-steps 1)",
			st.Epoch, st.Train.Get("loss_d"), st.Train.Get("loss_g"), r, f)
	}
	return ""
}

// defaultLayout is --layout when it is not given: the layout of the DCGAN
// checkpoint being resumed, when its metadata names one, else
// dcganLayout. (A layout the metadata gets wrong is left to the resume's
// own checks, which name it.)
func defaultLayout(resume string) int {
	if meta := resumedDCGAN(resume); meta != nil {
		switch meta["layout"] {
		case "28":
			return 28
		case "32":
			return 32
		case "64":
			return 64
		}
	}
	return dcganLayout
}

// resumedDCGAN returns the metadata of the checkpoint being resumed when
// it is a readable DCGAN checkpoint, else nil (no --resume, another model,
// or a file the resume's own checks will refuse and name). The defaults
// of the shape flags below take what that checkpoint stored.
func resumedDCGAN(resume string) map[string]string {
	if resume == "" {
		return nil
	}
	if meta, err := train.ReadMetadata(resume); err == nil && meta["model"] == "dcgan" {
		return meta
	}
	return nil
}

// defaultWidth is --width or --g-width (the metadata's key) when it is not
// given: the value stored by the DCGAN checkpoint being resumed, else def,
// the flag's default. (A value the resume's own checks refuse, or none, is
// left to them.)
func defaultWidth(key string, def int, resume string) int {
	if meta := resumedDCGAN(resume); meta != nil {
		if n, err := strconv.Atoi(meta[key]); err == nil && n >= 0 {
			return n
		}
	}
	return def
}

// defaultExtra is --g-extra or --d-extra (the metadata's key) when it is
// not given: 0 at --layout 32 and 64; at 28 the checkpoint's own when resuming a
// DCGAN checkpoint (0 for one written before the flag existed, an error
// for a value out of range), else def, the flag's default.
func defaultExtra(key string, def, layout int, resume string) (int, error) {
	if layout != 28 {
		return 0, nil
	}
	if meta := resumedDCGAN(resume); meta != nil {
		n, err := generative.DCGANMetaExtra(resume, meta, key, layout)
		if err != nil {
			return 0, fmt.Errorf("--resume: %w", err)
		}
		return n, nil
	}
	return def, nil
}

// checkEMAResumable refuses to resume, with a weight average, a DCGAN
// checkpoint written before --ema existed (it holds no average and its
// metadata no "ema"), naming the flag that resumes it.
func checkEMAResumable(path string) error {
	meta, err := train.ReadMetadata(path)
	if err != nil {
		return fmt.Errorf("--resume: %w", err)
	}
	if _, ok := meta["ema"]; !ok && meta["model"] == "dcgan" {
		return fmt.Errorf("--resume: %s holds no average of the generator's weights (it predates --ema); resume it with --ema 0", path)
	}
	return nil
}

// trainDCGAN is 'duboko train --task dcgan': it takes the parsed shared
// settings c, the dcgan flags f, and the set of flags given explicitly.
func trainDCGAN(c mnistConfig, f dcganFlags, set map[string]bool, stdout io.Writer) error {
	if !set["batch"] {
		c.Batch = 64
	}
	if !set["epochs"] {
		c.Epochs = dcganEpochs
	}
	if !set["val"] {
		c.ValSize = -1 // all 60,000 images train, as in the PyTorch twin
	}
	gc := genConfig{Task: "dcgan", mnistConfig: c}
	if err := gc.validate(); err != nil {
		return usageError{err.Error()}
	}
	if !set["layout"] {
		f.Layout = defaultLayout(c.Resume)
	}
	if !set["width"] {
		f.Width = defaultWidth("width", f.Width, c.Resume)
	}
	if !set["g-width"] {
		f.GWidth = defaultWidth("g-width", f.GWidth, c.Resume)
	}
	var err error
	if !set["g-extra"] {
		if f.GExtra, err = defaultExtra("g-extra", dcganGExtra, f.Layout, c.Resume); err != nil {
			return err
		}
	}
	if !set["d-extra"] {
		if f.DExtra, err = defaultExtra("d-extra", dcganDExtra, f.Layout, c.Resume); err != nil {
			return err
		}
	}
	if err := f.validate(); err != nil {
		return usageError{err.Error()}
	}
	if f.LRDecay > c.Epochs {
		return usageError{fmt.Sprintf("--lr-decay %d exceeds --epochs %d", f.LRDecay, c.Epochs)}
	}
	if gc.Resume != "" && f.EMA > 0 {
		if err := checkEMAResumable(gc.Resume); err != nil {
			return err
		}
	}
	if err := prepareOutDir(gc.OutDir); err != nil {
		return err
	}
	trainSet, valSet, test, err := genData(gc)
	if err != nil {
		return err
	}
	return runGenJob(stdout, gc, newDCGANJob(gc, f), test, trainSet, valSet)
}
