package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/duboko/duboko/data/cifar"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

// cifarURL is where users get the data, which cannot ship with duboko.
const cifarURL = "https://www.cs.toronto.edu/~kriz/cifar.html"

// cifarConfig is the CIFAR-10 job of 'duboko train --task cifar' (or
// 'duboko train --model cifar'): the classifier's settings, shared with the
// MNIST job and named after the same flags, and the augmentation.
type cifarConfig struct {
	mnistConfig      // Model is "cifar"; DataDir is the folder of the binary version
	Crop        int  // --crop: pad of the random crop (0: none)
	Flip        bool // --flip
}

// defaultCIFAR is the lab's model and data split (5,000 training images
// held out for validation) with the MNIST job's optimisation: batch 50, 8
// epochs, SGD with the course's piecewise rate. The lab gives no recipe
// for CIFAR-10; these defaults are not tuned on it here.
func defaultCIFAR() cifarConfig {
	c := defaultMNIST()
	c.Model, c.OutDir = "cifar", "out-cifar"
	return cifarConfig{mnistConfig: c}
}

func runCIFARCommand(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("train --task cifar", "Trains lab 2's CIFAR-10 network on the official \"CIFAR-10 binary version\", which cannot\n"+
		"ship with duboko: download cifar-10-binary.tar.gz from "+cifarURL+",\n"+
		"unpack it and pass the folder cifar-10-batches-bin (data_batch_1.bin … data_batch_5.bin,\n"+
		"test_batch.bin) as --data.\n"+
		"Each channel is normalised with the mean and standard deviation of the training images (the\n"+
		"validation images held out); --crop and --flip augment the training images. The lab reports\n"+
		"about 70 % accuracy for this model. 'duboko train --model cifar --data DIR' is the same command.\n\n"+
		"Model:\n  cifar "+modelDoc("cifar"), stdout)
	c := defaultCIFAR()
	fs.StringVar(&c.DataDir, "data", "", "folder of the CIFAR-10 binary version (required; see above)")
	fs.StringVar(&c.Model, "model", c.Model, "model to train (cifar)")
	addOptimFlags(fs, &c.mnistConfig)
	fs.Uint64Var(&c.Seed, "seed", c.Seed, "random seed (weights, shuffling and augmentation)")
	fs.IntVar(&c.ValSize, "val", c.ValSize, "images held out from the end of the training set for validation (0 or -1: none)")
	fs.IntVar(&c.MaxTrain, "max-train", 0, "train on only the first N training images (0: all)")
	fs.IntVar(&c.Crop, "crop", 0, "augment: pad each training image with this many zero pixels a side and crop a random 32×32 window (0: none; 4 is usual)")
	fs.BoolVar(&c.Flip, "flip", false, "augment: mirror each training image left to right with probability 1/2")
	fs.StringVar(&c.OutDir, "out", c.OutDir, "directory for the checkpoint and plots (\"\": write nothing)")
	fs.StringVar(&c.MetricsPath, "metrics", "", "write one JSON object per epoch and a final one with test_accuracy to this file")
	fs.StringVar(&c.Resume, "resume", "", "continue training from this checkpoint (weights, epoch count, history, and the optimizer state saved beside it)")
	noPlots := fs.Bool("no-plots", false, "do not write PNG plots")
	if err := parse(fs, args); err != nil {
		return err
	}
	c.Plots = !*noPlots
	c.Log = stdout
	c.Terminal = isTerminal(stdout)
	if c.ValSize == 0 { // an explicit --val 0 means no validation, as -1 does
		c.ValSize = -1
	}

	var res *cifarResult
	if ok, err := runJob(stdout, c.OutDir, func(ctx context.Context) (err error) {
		res, err = runCIFAR(ctx, c)
		return err
	}); !ok {
		return err
	}
	fmt.Fprintf(stdout, "\nper-class precision and recall on the test set:\n%s", res.Test.Confusion)
	fmt.Fprintf(stdout, "classes: %s\n\n", classLegend())
	printWritten(stdout, res.Written, c.OutDir)
	fmt.Fprintf(stdout, "test accuracy: %.2f%% (test loss %.4f, training time %.1fs)\n", 100*res.Test.Accuracy, res.Test.Loss, res.Elapsed.Seconds())
	return nil
}

// modelDoc returns the registry's description of a model.
func modelDoc(name string) string {
	for _, line := range strings.Split(models.Describe(), "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == name {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), name))
		}
	}
	return ""
}

// classLegend names the ten labels, "0 airplane, 1 automobile, …".
func classLegend() string {
	parts := make([]string, len(cifar.ClassNames))
	for i, n := range cifar.ClassNames {
		parts[i] = fmt.Sprintf("%d %s", i, n)
	}
	return strings.Join(parts, ", ")
}

// modelFlag returns the value of the --model flag in args ("" when absent).
func modelFlag(args []string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		for _, f := range []string{"--model", "-model"} {
			if a == f && i+1 < len(args) {
				return args[i+1]
			}
			if v, ok := strings.CutPrefix(a, f+"="); ok {
				return v
			}
		}
	}
	return ""
}

// validate reports the first nonsensical setting, naming its flag.
func (c cifarConfig) validate() error {
	if c.Model != "cifar" {
		return fmt.Errorf("--model %q does not take CIFAR-10's 3×32×32 images (known: cifar)", c.Model)
	}
	if c.Crop < 0 || c.Crop > cifar.Width {
		return fmt.Errorf("--crop must be in 0..%d, got %d", cifar.Width, c.Crop)
	}
	return c.mnistConfig.validate()
}

// loadCIFAR checks --data and reads the training and test sets from it.
func loadCIFAR(dir string) (trainSet, test *cifar.Set, err error) {
	if err := checkCIFARDir(dir); err != nil {
		return nil, nil, err
	}
	return cifar.LoadDir(dir)
}

// checkCIFARDir reports a missing --data folder, or one that is not a
// folder, in one line that says where to get the data.
func checkCIFARDir(dir string) error {
	if dir == "" {
		return usageError{"--data is required: the folder cifar-10-batches-bin of the CIFAR-10 binary version, from " + cifarURL}
	}
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("--data %s: no such directory; download the CIFAR-10 binary version from %s and unpack it", dir, cifarURL)
	case err != nil:
		return fmt.Errorf("--data: %w", err)
	case !fi.IsDir():
		return fmt.Errorf("--data %s is not a directory (want the unpacked cifar-10-batches-bin folder)", dir)
	}
	return nil
}

// evalCIFAR is 'duboko eval' of a CIFAR-10 checkpoint: the accuracy of m
// on test_batch.bin in dir, normalised with the training images'
// statistics that the checkpoint's metadata holds.
func evalCIFAR(m nn.Module, ckpt, dir string, verbose bool, stdout io.Writer) error {
	meta, err := train.ReadMetadata(ckpt)
	if err != nil {
		return err
	}
	mean, errM := parseStats(meta["normalize_mean"])
	std, errS := parseStats(meta["normalize_std"])
	if errS == nil && !(min(std[0], std[1], std[2]) > 0) {
		errS = fmt.Errorf("a standard deviation is not positive")
	}
	if errM != nil || errS != nil {
		return fmt.Errorf("%s lacks valid per-channel statistics (normalize_mean %q, normalize_std %q): was it written by 'duboko train --model cifar'?",
			ckpt, meta["normalize_mean"], meta["normalize_std"])
	}
	if err := checkCIFARDir(dir); err != nil {
		return err
	}
	test, err := cifar.ReadFile(filepath.Join(dir, cifar.TestFile))
	if err != nil {
		return err
	}
	ev := train.Evaluate(m, test.With(cifar.Normalize(mean, std)), 500)
	if !finite(ev.Loss) {
		return fmt.Errorf("the test loss of %s is %v", ckpt, ev.Loss)
	}
	if verbose {
		fmt.Fprintf(stdout, "%sclasses: %s\n", ev.Confusion, classLegend())
	}
	fmt.Fprintf(stdout, "test accuracy: %.2f%% (%d images, loss %.4f)\n", 100*ev.Accuracy, test.N, ev.Loss)
	return nil
}

// parseStats reads three comma-separated numbers, as floats writes them;
// every standard deviation or mean it returns is finite.
func parseStats(s string) (v [cifar.Channels]float64, err error) {
	parts := strings.Split(s, ",")
	if len(parts) != cifar.Channels {
		return v, fmt.Errorf("want %d numbers, got %q", cifar.Channels, s)
	}
	for i, p := range parts {
		if v[i], err = strconv.ParseFloat(p, 64); err != nil || !finite(v[i]) {
			return v, fmt.Errorf("bad number %q", p)
		}
	}
	return v, nil
}

// part returns images lo..hi-1 of s as a set without options.
func part(s *cifar.Set, lo, hi int) *cifar.Set {
	return &cifar.Set{Pixels: s.Pixels[lo*cifar.ImageBytes : hi*cifar.ImageBytes : hi*cifar.ImageBytes],
		Labels: s.Labels[lo:hi:hi], N: hi - lo}
}

// cifarResult is what the CIFAR-10 job reports.
type cifarResult struct {
	train.Result
	Test    *train.Evaluation
	test    *cifar.Set // the raw test images, for the plots
	Written []string
}

// runCIFAR trains according to c, as runMNIST does for MNIST: it splits
// off the validation images, normalises every split with the training
// images' per-channel statistics, augments the training images as asked,
// evaluates on the test set and writes the final metrics and the plots.
func runCIFAR(ctx context.Context, c cifarConfig) (*cifarResult, error) {
	if err := c.validate(); err != nil {
		return nil, usageError{err.Error()}
	}
	full, test, err := loadCIFAR(c.DataDir)
	if err != nil {
		return nil, err
	}
	if err := prepareOutDir(c.OutDir); err != nil {
		return nil, err
	}
	trainRaw, valRaw := full, (*cifar.Set)(nil)
	if c.ValSize > 0 {
		if c.ValSize >= full.N {
			return nil, fmt.Errorf("--val %d leaves no training images (the set has %d)", c.ValSize, full.N)
		}
		trainRaw, valRaw = part(full, 0, full.N-c.ValSize), part(full, full.N-c.ValSize, full.N)
	}
	if c.MaxTrain > 0 && c.MaxTrain < trainRaw.N {
		trainRaw = part(trainRaw, 0, c.MaxTrain)
	}
	mean, std := trainRaw.ChannelStats()
	for ch, sd := range std {
		if !(sd > 0) {
			return nil, fmt.Errorf("--data %s: channel %d of the training images is constant (%v); nothing to normalise", c.DataDir, ch, mean[ch])
		}
	}
	norm := cifar.Normalize(mean, std)
	aug := []cifar.Option{norm, cifar.Seed(c.Seed)}
	if c.Crop > 0 {
		aug = append(aug, cifar.RandomCrop(c.Crop))
	}
	if c.Flip {
		aug = append(aug, cifar.HorizontalFlip())
	}
	trainSet := trainRaw.With(aug...)

	model, _, err := models.New(c.Model, tensor.NewRand(c.Seed))
	if err != nil {
		return nil, err
	}
	initial := conv1Weights(model)
	task := &train.Classifier{Net: model, Opt: c.newOptimizer(model), EvalBatch: c.EvalBatch, L2: c.L2}
	tr := &train.Trainer{
		Task: task, Train: trainSet, Batch: c.Batch, Seed: c.Seed, Epochs: c.Epochs, Schedule: c.schedule(),
		OutDir: c.OutDir, MetricsPath: c.MetricsPath,
		Meta: map[string]string{"model": c.Model, "optimizer": c.Optimizer, "seed": strconv.FormatUint(c.Seed, 10),
			"data": "cifar10", "normalize_mean": floats(mean[:]), "normalize_std": floats(std[:])},
		MatchMeta: []string{"model"},
		Log:       c.Log, Terminal: c.Terminal, Unit: "images", UnitAbbr: "img",
	}
	valN := 0
	if valRaw != nil {
		tr.Val = valRaw.With(norm)
		valN = valRaw.N
	}
	res := &cifarResult{test: test}
	if c.Resume != "" {
		if err := checkNotGenerative(c.Resume); err != nil {
			return nil, err
		}
		if err := resumeTrainer(tr, c.Resume); err != nil {
			return nil, err
		}
		initial = nil // the weights before the first epoch are not known
		if c.Crop > 0 || c.Flip {
			skipDraws(trainSet, len(tr.History()))
		}
	}
	augDesc := "no augmentation"
	if c.Crop > 0 || c.Flip {
		augDesc = fmt.Sprintf("augmentation: crop pad %d, flip %v", c.Crop, c.Flip)
	}
	fmt.Fprintf(c.Log, "model %s (%d parameters), %d training / %d validation / %d test images, batch %d, %s, %s\n",
		c.Model, nn.NumParams(model), trainRaw.N, valN, test.N, c.Batch, c.Optimizer, augDesc)
	fmt.Fprintf(c.Log, "per-channel normalisation (R, G, B): mean %s, std %s\n", floats(mean[:]), floats(std[:]))
	r, err := runTrainer(ctx, tr, c.OutDir)
	res.Result = *r
	if err != nil {
		return res, err
	}
	if res.Test, err = testAndRecord(ctx, model, test.With(norm), testSettings{c.EvalBatch, c.OutDir, c.MetricsPath}, res.History); err != nil {
		return res, err
	}
	if c.OutDir != "" && c.Plots {
		files, err := writeCIFARPlots(c.OutDir, model, initial, res)
		res.Written = files
		if err != nil {
			return res, err
		}
	}
	if ctx.Err() != nil {
		return res, train.ErrInterrupted
	}
	return res, nil
}

// skipDraws makes the augmentation of a resumed run continue where the
// interrupted one stopped: a view draws image i's k-th crop and flip from
// (seed, i, k), and every epoch so far took each image once (the loader
// keeps the last, smaller batch), so drawing each image epochs times
// brings the counts to where they were.
func skipDraws(s *cifar.Set, epochs int) {
	buf := make([]float32, cifar.ImageBytes)
	for range epochs {
		for i := 0; i < s.N; i++ {
			s.Sample(i, buf)
		}
	}
}

// floats writes v as "0.4914,0.4822,0.4465".
func floats(v []float64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = strconv.FormatFloat(x, 'f', 4, 64)
	}
	return strings.Join(parts, ",")
}
