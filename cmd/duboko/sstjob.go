package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/data/sst"
	"github.com/duboko/duboko/data/text"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/plot"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

// sstConfig is the sentiment job of 'duboko train --task sst': the command
// line's settings, each named after its flag.
type sstConfig struct {
	Model       string  // --model
	Epochs      int     // --epochs
	LR          float64 // --lr
	Seed        uint64  // --seed
	Vectors     string  // --vectors: frozen pretrained word vectors; "": embeddings learnt from scratch
	MaxTrain    int     // --max-train; 0: all
	OutDir      string  // --out; "": nothing written
	MetricsPath string  // --metrics
	Resume      string  // --resume
	Plots       bool    // !--no-plots
	Batch       int     // 10, the lab's
	Clip        float64 // gradient norm clipping, 0.25 as in the lab
	Log         io.Writer
	Terminal    bool
}

// The default learning rates of Adam. The lab's 1e-4 is for its frozen
// pretrained vectors; with embeddings learnt from scratch the same recipe
// in PyTorch learns far slower at 1e-4 than at 1e-3 (bench/sst,
// BENCHMARKS.md "SST sentiment (lab 3)"), so that is the default then.
const (
	sstLRScratch = 1e-3 // embeddings learnt from scratch
	sstLRVectors = 1e-4 // frozen --vectors, the lab's rate
)

// defaultSST is the lab's recipe with the GRU and embeddings learnt from
// scratch: two epochs at sstLRScratch (the validation accuracy of the
// PyTorch twin of the recipe, bench/sst, is near its best by then).
func defaultSST() sstConfig {
	return sstConfig{Model: "gru", Epochs: 2, LR: sstLRScratch, Seed: 1, OutDir: "out-sst", Plots: true,
		Batch: 10, Clip: 0.25, Log: io.Discard}
}

func runSSTCommand(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("train --task sst", "Trains a sentiment classifier on the Stanford Sentiment Treebank (SST-2, embedded), as the\n"+
		"course's lab 3: binary cross-entropy with logits, Adam, batch 10, gradient norm clipped to 0.25,\n"+
		"300-dimensional word embeddings learnt from scratch, or pretrained and frozen with --vectors.\n"+
		"The default learning rate depends on the embeddings: 1e-3 when they are learnt from scratch, and the\n"+
		"lab's 1e-4 with --vectors (frozen). The lab's rate is for frozen vectors; from scratch, the same recipe\n"+
		"in PyTorch learnt much slower at 1e-4 than at 1e-3 (bench/sst, BENCHMARKS.md).\n\nModels:\n"+models.DescribeSST(), stdout)
	c := defaultSST()
	fs.StringVar(&c.Model, "model", c.Model, "model to train ("+strings.Join(models.SSTNames(), ", ")+")")
	fs.IntVar(&c.Epochs, "epochs", c.Epochs, "number of epochs")
	fs.Float64Var(&c.LR, "lr", c.LR, fmt.Sprintf("learning rate of Adam (with --vectors the default is %g)", sstLRVectors))
	fs.Uint64Var(&c.Seed, "seed", c.Seed, "random seed (weights and shuffling)")
	fs.StringVar(&c.Vectors, "vectors", "", "word vectors in text format (GloVe: \"word v1 ... v300\" per line), loaded into the embedding and frozen")
	fs.IntVar(&c.MaxTrain, "max-train", 0, "train on only the first N training sentences (0: all)")
	fs.StringVar(&c.OutDir, "out", c.OutDir, "directory for the checkpoint and plots (\"\": write nothing)")
	fs.StringVar(&c.MetricsPath, "metrics", "", "write one JSON object per epoch and a final one with test_accuracy to this file")
	fs.StringVar(&c.Resume, "resume", "", "continue training from this checkpoint (weights, epoch count, history, and the optimizer state saved beside it)")
	noPlots := fs.Bool("no-plots", false, "do not write the training-curve PNG")
	if err := parse(fs, args); err != nil {
		return err
	}
	c.Plots = !*noPlots
	if c.Vectors != "" && !explicitFlags(fs)["lr"] {
		c.LR = sstLRVectors
	}
	c.Log = stdout
	c.Terminal = isTerminal(stdout)

	var res *sstResult
	if ok, err := runJob(stdout, c.OutDir, func(ctx context.Context) (err error) {
		res, err = runSST(ctx, c)
		return err
	}); !ok {
		return err
	}
	printWritten(stdout, res.Written, c.OutDir)
	fmt.Fprintf(stdout, "test accuracy: %.2f%%, F1 %.2f%% (test loss %.4f, training time %.1fs)\n",
		100*res.Test.Get("accuracy"), 100*res.Test.Get("f1"), res.Test.Get("loss"), res.Elapsed.Seconds())
	return nil
}

// validate reports the first nonsensical setting, naming its flag.
func (c sstConfig) validate() error {
	known := false
	for _, n := range models.SSTNames() {
		known = known || n == c.Model
	}
	switch {
	case !known:
		return fmt.Errorf("unknown model %q for --task sst (known: %s)", c.Model, strings.Join(models.SSTNames(), ", "))
	case c.Epochs < 1:
		return fmt.Errorf("--epochs must be at least 1, got %d", c.Epochs)
	case c.Epochs > train.MaxEpochs:
		return fmt.Errorf("--epochs must be at most %d, got %d", train.MaxEpochs, c.Epochs)
	case !finite(c.LR) || c.LR <= 0:
		return fmt.Errorf("--lr must be a finite number > 0, got %v", c.LR)
	case c.MaxTrain < 0:
		return fmt.Errorf("--max-train must not be negative, got %d", c.MaxTrain)
	}
	if c.MetricsPath != "" {
		if err := train.CheckWritableFile(c.MetricsPath); err != nil {
			return fmt.Errorf("--metrics %s: %v", c.MetricsPath, err)
		}
	}
	return nil
}

// sstResult is what the sentiment job reports.
type sstResult struct {
	train.Result
	Test    train.Metrics // loss, accuracy and f1 on the test set
	Written []string
}

// sstFinal is the last JSON line of the metrics file. Vocab is the
// vocabulary's fingerprint (text.Vocab.Fingerprint), so that another
// program, such as bench/sst/torch_sst.py, can check that it numbers the
// tokens alike.
type sstFinal struct {
	Final        bool        `json:"final"`
	TestLoss     train.Float `json:"test_loss"`
	TestAccuracy train.Float `json:"test_accuracy"`
	TestF1       train.Float `json:"test_f1"`
	Vocab        string      `json:"vocab"`
}

// sstLoss is the step function of the sentiment task: the binary
// cross-entropy of m's logits, with the batch's accuracy (Sum: correct) and
// the F1 score of the positive class (Sum: 2TP, N: 2TP+FP+FN), so that
// epoch values are exact over the whole set.
func sstLoss(m models.SentimentModel) func(b *data.Batch) (*tensor.Tensor, train.Metrics) {
	return func(b *data.Batch) (*tensor.Tensor, train.Metrics) {
		p, err := text.Unpad(b)
		if err != nil {
			panic(err) // the batches come from a *text.Dataset: a bug, not a user error
		}
		logits := m.ForwardText(tensor.FromInt64(p.IDs, p.N, p.T), tensor.FromInts(p.Lengths))
		y := make([]float32, p.N)
		var correct, tp, fp, fn float64
		for i, l := range logits.Float32s() {
			pos, truth := l > 0, p.Labels[i] == sst.Positive
			if truth {
				y[i] = 1
			}
			switch {
			case pos == truth:
				correct++
				if pos {
					tp++
				}
			case pos:
				fp++
			default:
				fn++
			}
		}
		loss := nn.BCEWithLogits(logits, tensor.FromFloat32(y, p.N))
		return loss, train.Metrics{
			{Name: "accuracy", Label: "acc", Percent: true, Sum: correct, N: float64(p.N)},
			{Name: "f1", Label: "F1", Percent: true, Sum: 2 * tp, N: 2*tp + fp + fn},
		}
	}
}

// sstDatasets encodes the three splits with a vocabulary of the training
// sentences (after --max-train).
func sstDatasets(maxTrain int) (v *text.Vocab, tr, va, te *text.Dataset, err error) {
	trainSet, valSet, testSet, err := sst.Load()
	if err != nil {
		return nil, nil, nil, nil, err
	}
	sents, labels := trainSet.Sentences, trainSet.Labels
	if maxTrain > 0 && maxTrain < len(sents) {
		sents, labels = sents[:maxTrain], labels[:maxTrain]
	}
	if v, err = text.NewVocab(sents); err != nil {
		return nil, nil, nil, nil, err
	}
	ds := func(s [][]string, l []int) *text.Dataset {
		if err != nil {
			return nil
		}
		var d *text.Dataset
		d, err = text.NewDataset(v.EncodeAll(s), l)
		return d
	}
	tr, va, te = ds(sents, labels), ds(valSet.Sentences, valSet.Labels), ds(testSet.Sentences, testSet.Labels)
	return v, tr, va, te, err
}

// runSST trains according to c: the trainer does the epochs, this job
// loads the data, builds the model, evaluates on the test set and writes
// the final metrics and the training curves. Errors name flags.
func runSST(ctx context.Context, c sstConfig) (*sstResult, error) {
	if err := c.validate(); err != nil {
		return nil, usageError{err.Error()}
	}
	if err := prepareOutDir(c.OutDir); err != nil {
		return nil, err
	}
	vocab, trainSet, valSet, testSet, err := sstDatasets(c.MaxTrain)
	if err != nil {
		return nil, err
	}
	dim, embeddings := models.SSTEmbedDim, "learnt"
	var vec *text.Vectors
	if c.Vectors != "" {
		if vec, err = text.LoadVectors(c.Vectors, vocab); err != nil {
			return nil, fmt.Errorf("--vectors: %w", err)
		}
		dim, embeddings = vec.Dim, "frozen "+filepath.Base(c.Vectors)
	}
	model, err := models.NewSST(c.Model, tensor.NewRand(c.Seed), vocab.Len(), dim)
	if err != nil {
		return nil, usageError{err.Error()}
	}
	if vec != nil {
		emb := model.Embedding()
		copy(emb.Weight.Float32s(), vec.Data)
		emb.SetFrozen(true)
	}
	opt := optim.NewAdam(model.Params(), optim.AdamConfig{LR: c.LR})
	task := &train.LossTask{Net: model, Opt: opt, ClipNorm: c.Clip, Loss: sstLoss(model)}
	tr := &train.Trainer{
		Task: task, Train: trainSet, Val: valSet, Batch: c.Batch, Seed: c.Seed, Epochs: c.Epochs,
		Schedule: optim.Constant(c.LR), OutDir: c.OutDir, MetricsPath: c.MetricsPath,
		Meta: map[string]string{"task": "sst", "model": c.Model, "vocab": vocab.Fingerprint(), "optimizer": "adam",
			"embeddings": embeddings, "seed": strconv.FormatUint(c.Seed, 10), "max_train": strconv.Itoa(c.MaxTrain)},
		MatchMeta: []string{"task", "model", "vocab"},
		Log:       c.Log, Terminal: c.Terminal, Unit: "sentences", UnitAbbr: "sent",
	}
	if c.Resume != "" {
		// Name a vocabulary mismatch before the trainer finds the embedding's shape wrong.
		if meta, err := train.ReadMetadata(c.Resume); err == nil && meta["task"] == "sst" && meta["model"] == c.Model && meta["vocab"] != vocab.Fingerprint() {
			return nil, fmt.Errorf("--resume: checkpoint %s was trained with another vocabulary (vocab %s, this run's %s): train on the same sentences (--max-train)",
				c.Resume, meta["vocab"], vocab.Fingerprint())
		}
		if err := resumeTrainer(tr, c.Resume); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(c.Log, "model %s (%d parameters), vocabulary of %d tokens, embeddings %s, %d training / %d validation / %d test sentences, batch %d, adam lr %g, clip %g\n",
		c.Model, nn.NumParams(model), vocab.Len(), embeddings, trainSet.Len(), valSet.Len(), testSet.Len(), c.Batch, c.LR, c.Clip)
	r, err := runTrainer(ctx, tr, c.OutDir)
	res := &sstResult{Result: *r}
	if err != nil {
		return res, err
	}
	if res.Test, err = task.Evaluate(ctx, testSet); err != nil {
		return res, train.ErrInterrupted
	}
	if !finite(res.Test.Get("loss")) {
		return res, fmt.Errorf("test loss is %v%s", res.Test.Get("loss"), kept(c.OutDir))
	}
	if c.MetricsPath != "" {
		f := sstFinal{Final: true, TestLoss: train.Float(res.Test.Get("loss")),
			TestAccuracy: train.Float(res.Test.Get("accuracy")), TestF1: train.Float(res.Test.Get("f1")),
			Vocab: vocab.Fingerprint()}
		if err := train.WriteMetrics(c.MetricsPath, res.History, f); err != nil {
			return res, fmt.Errorf("--metrics: %w", err)
		}
	}
	if c.OutDir != "" && c.Plots {
		p := filepath.Join(c.OutDir, "training.png")
		if err := plot.TrainingCurves(p, curves(res.History)); err != nil {
			return res, fmt.Errorf("plot: %w", err)
		}
		res.Written = append(res.Written, p)
	}
	if ctx.Err() != nil {
		return res, train.ErrInterrupted
	}
	return res, nil
}
