package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/duboko/duboko/data/mnist"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/train"
)

// genFlags are the flags of the generative tasks of 'duboko train'
// (--task vae, --task rbm).
type genFlags struct {
	Latent int  // --latent (vae)
	Hidden int  // --hidden (rbm)
	K      int  // --cd-k (rbm)
	PCD    bool // --pcd (rbm)
}

// taskFlags lists the flags that only some tasks take.
var taskFlags = map[string][]string{
	"mnist": {"model", "schedule", "decay", "optimizer", "weight-decay", "l2"},
	"vae":   {"latent"},
	"rbm":   {"hidden", "cd-k", "pcd"},
}

// addGenFlags registers the generative tasks' flags on fs.
func addGenFlags(fs *flagSet) *genFlags {
	g := &genFlags{Latent: 20, Hidden: 100, K: 1}
	fs.IntVar(&g.Latent, "latent", g.Latent, "vae: size of the latent space (2 also draws it)")
	fs.IntVar(&g.Hidden, "hidden", g.Hidden, "rbm: number of hidden units")
	fs.IntVar(&g.K, "cd-k", g.K, "rbm: Gibbs steps of contrastive divergence (CD-k)")
	fs.BoolVar(&g.PCD, "pcd", false, "rbm: persistent contrastive divergence")
	return g
}

// checkTaskFlags refuses a flag given explicitly that the task does not
// take, naming both.
func checkTaskFlags(task string, set map[string]bool) error {
	if _, ok := taskFlags[task]; !ok {
		return usageError{fmt.Sprintf("unknown --task %q (known: mnist, sst, vae, rbm, dcgan)", task)}
	}
	for t, names := range taskFlags {
		if t == task {
			continue
		}
		for _, n := range names {
			if set[n] {
				return usageError{fmt.Sprintf("--%s applies to --task %s, not %s", n, t, task)}
			}
		}
	}
	return nil
}

// genConfig is a generative job of 'duboko train': the classifier's
// shared settings and the generative flags.
type genConfig struct {
	Task string
	mnistConfig
	genFlags
}

// genJob is what differs between the generative tasks.
type genJob interface {
	// task returns the training task.
	task() train.Task
	// meta returns the checkpoint metadata that must match on resume
	// besides "model".
	meta() map[string]string
	// optimizer names the optimizer, whose saved state a resume restores
	// only when the name matches.
	optimizer() string
	// describe returns the line printed before training.
	describe() string
	// finish evaluates on the test set and returns the final metrics
	// object and its summary line.
	finish(ctx context.Context, test *mnist.Set) (any, string, error)
	// plots writes the job's PNG files into dir.
	plots(dir string, test *mnist.Set, hist []train.EpochStats) ([]string, error)
}

// validate reports the first nonsensical setting, naming its flag.
func (c genConfig) validate() error {
	switch {
	case c.Epochs < 1 || c.Epochs > train.MaxEpochs:
		return fmt.Errorf("--epochs must be in 1..%d, got %d", train.MaxEpochs, c.Epochs)
	case c.Batch < 1:
		return fmt.Errorf("--batch must be at least 1, got %d", c.Batch)
	case !finite(c.LR) || c.LR < 0:
		return fmt.Errorf("--lr must be a finite number ≥ 0 (0: the task's default), got %v", c.LR)
	case c.ValSize < -1:
		return fmt.Errorf("--val must be -1 (none) or a count, got %d", c.ValSize)
	case c.MaxTrain < 0:
		return fmt.Errorf("--max-train must not be negative, got %d", c.MaxTrain)
	case c.Task == "vae" && (c.Latent < 1 || c.Latent > 10000):
		return fmt.Errorf("--latent must be in 1..10000, got %d", c.Latent)
	case c.Task == "rbm" && (c.Hidden < 1 || c.Hidden > 100000):
		return fmt.Errorf("--hidden must be in 1..100000, got %d", c.Hidden)
	case c.Task == "rbm" && (c.K < 1 || c.K > 10000):
		return fmt.Errorf("--cd-k must be in 1..10000, got %d", c.K)
	}
	if c.MetricsPath != "" {
		if err := train.CheckWritableFile(c.MetricsPath); err != nil {
			return fmt.Errorf("--metrics %s: %v", c.MetricsPath, err)
		}
	}
	return nil
}

// checkResumable refuses, from its metadata alone, a checkpoint of another
// model or of another size, in one line naming what differs.
func checkResumable(path, model string, want map[string]string) error {
	meta, err := train.ReadMetadata(path)
	if err != nil {
		return fmt.Errorf("--resume: %w", err)
	}
	if got, ok := meta["model"]; ok && got != model {
		hint := "--task mnist --model " + got
		if _, gen := taskFlags[got]; gen && got != "mnist" {
			hint = "--task " + got
		}
		return fmt.Errorf("--resume: %s is a checkpoint of model %q, not %q (resume it with %s)", path, got, model, hint)
	}
	for k, v := range want {
		if got, ok := meta[k]; ok && got != v {
			return fmt.Errorf("--resume: %s has %s %s, but --%s is %s", path, k, got, k, v)
		}
	}
	return nil
}

// checkNotGenerative refuses, for the classifier, a checkpoint of a
// generative task, naming the --task that resumes it; other checkpoints
// (and unreadable ones) are left to the trainer's checks.
func checkNotGenerative(path string) error {
	meta, err := train.ReadMetadata(path)
	if err != nil {
		return nil
	}
	if m := meta["model"]; m != "mnist" && taskFlags[m] != nil {
		return fmt.Errorf("--resume: %s is a checkpoint of model %q, not a classifier (resume it with --task %s)", path, m, m)
	}
	return nil
}

// genData returns the training, validation (nil: none) and test sets of c.
func genData(c genConfig) (trainSet, valSet, test *mnist.Set, err error) {
	full, test, err := loadMNIST(c.DataDir)
	if err != nil {
		return nil, nil, nil, err
	}
	if full.H*full.W != 784 {
		return nil, nil, nil, fmt.Errorf("the images are %d×%d, but the %s needs 28×28 images", full.H, full.W, c.Task)
	}
	trainSet = full
	if c.ValSize > 0 {
		if c.ValSize >= full.N {
			return nil, nil, nil, fmt.Errorf("--val %d leaves no training images (the set has %d)", c.ValSize, full.N)
		}
		trainSet, valSet = mnist.Split(full, c.ValSize)
	}
	if c.MaxTrain > 0 && c.MaxTrain < trainSet.N {
		trainSet, _ = mnist.Split(trainSet, trainSet.N-c.MaxTrain)
	}
	return trainSet, valSet, test, nil
}

// genResult is what a generative job reports.
type genResult struct {
	train.Result
	Summary string
	Written []string
}

// runGen trains job according to c, then evaluates on the test set and
// writes the final metrics and the plots.
func runGen(ctx context.Context, c genConfig, job genJob, test, trainSet, valSet *mnist.Set) (*genResult, error) {
	meta := map[string]string{"model": c.Task, "optimizer": job.optimizer(), "seed": strconv.FormatUint(c.Seed, 10)}
	for k, v := range job.meta() {
		meta[k] = v
	}
	tr := &train.Trainer{
		Task: job.task(), Train: trainSet, Batch: c.Batch, Seed: c.Seed, Epochs: c.Epochs,
		OutDir: c.OutDir, MetricsPath: c.MetricsPath, Meta: meta, MatchMeta: []string{"model"},
		Log: c.Log, Terminal: c.Terminal, Unit: "images", UnitAbbr: "img",
	}
	if valSet != nil {
		tr.Val = valSet
	}
	if h, ok := job.(interface{ hook(*train.Trainer) }); ok {
		h.hook(tr) // per-epoch output of the job (dcgan's sample grids)
	}
	if c.Resume != "" {
		if err := checkResumable(c.Resume, c.Task, job.meta()); err != nil {
			return nil, err
		}
		if err := resumeTrainer(tr, c.Resume); err != nil {
			return nil, err
		}
	}
	valN := 0
	if valSet != nil {
		valN = valSet.N
	}
	fmt.Fprintf(c.Log, "%s (%d parameters), %d training / %d validation / %d test images, batch %d\n",
		job.describe(), nn.NumParams(job.task().Model()), trainSet.N, valN, test.N, c.Batch)
	res := &genResult{}
	r, err := runTrainer(ctx, tr, c.OutDir)
	res.Result = *r
	if err != nil {
		return res, err
	}
	final, summary, err := job.finish(ctx, test)
	if ctx.Err() != nil {
		return res, train.ErrInterrupted
	}
	if err != nil {
		return res, fmt.Errorf("%w%s", err, kept(c.OutDir))
	}
	res.Summary = summary
	if c.MetricsPath != "" {
		if err := train.WriteMetrics(c.MetricsPath, res.History, final); err != nil {
			return res, fmt.Errorf("--metrics: %w", err)
		}
	}
	if c.OutDir != "" && c.Plots {
		files, err := job.plots(c.OutDir, test, res.History)
		res.Written = files
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// trainGenerative is 'duboko train --task vae|rbm': it takes the parsed
// shared settings c, the generative flags g, and the set of flags given
// explicitly (for the tasks' own defaults of --batch and --lr).
func trainGenerative(task string, c mnistConfig, g genFlags, set map[string]bool, stdout io.Writer) error {
	if !set["batch"] {
		c.Batch = 100
	}
	gc := genConfig{Task: task, mnistConfig: c, genFlags: g}
	if err := gc.validate(); err != nil {
		return usageError{err.Error()}
	}
	if err := prepareOutDir(gc.OutDir); err != nil {
		return err
	}
	trainSet, valSet, test, err := genData(gc)
	if err != nil {
		return err
	}
	var job genJob
	switch task {
	case "vae":
		job = newVAEJob(gc)
	default:
		job = newRBMJob(gc)
	}
	return runGenJob(stdout, gc, job, test, trainSet, valSet)
}

// runGenJob runs a generative job under runJob's interrupt handling and
// prints what it wrote and its summary.
func runGenJob(stdout io.Writer, gc genConfig, job genJob, test, trainSet, valSet *mnist.Set) error {
	var res *genResult
	if ok, err := runJob(stdout, gc.OutDir, func(ctx context.Context) (err error) {
		res, err = runGen(ctx, gc, job, test, trainSet, valSet)
		return err
	}); !ok {
		return err
	}
	printWritten(stdout, res.Written, gc.OutDir)
	fmt.Fprintf(stdout, "%s (training time %.1fs)\n", res.Summary, res.Elapsed.Seconds())
	return nil
}

// explicitFlags returns the names of the flags given on the command line.
func explicitFlags(fs *flagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}
