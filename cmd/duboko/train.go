package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/duboko/duboko/models"
)

func runTrain(args []string, stdout, stderr io.Writer) error {
	switch task, rest := taskFlag(args); task {
	case "", "mnist":
		if task == "" && modelFlag(rest) == "cifar" {
			return runCIFARCommand(rest, stdout, stderr)
		}
		args = rest
	case "cifar":
		return runCIFARCommand(rest, stdout, stderr)
	case "sst":
		return runSSTCommand(rest, stdout, stderr)
	case "vae", "rbm", "dcgan":
		// the generative tasks share the MNIST flag set, which reads --task
	default:
		return usageError{fmt.Sprintf("unknown --task %q (known: mnist, cifar, sst, vae, rbm, dcgan)", task)}
	}
	fs := newFlagSet("train", "Trains a classifier on MNIST (embedded) or on any IDX data set of the same format.\n"+
		"With no flags: the course's CNN, batch 50, 8 epochs, SGD with learning rate 0.1 → 0.01 → 0.001 → 0.0001\n"+
		"at epochs 1, 3, 5, 7, the last 5,000 training images held out for validation.\n"+
		"--task vae trains the course's MLP VAE (Adam 3.24e-4, batch 100); --task rbm a Bernoulli RBM by CD-k (SGD 0.1, batch 100);\n"+
		"--task dcgan a DCGAN (Adam 2e-4, β (0.5, 0.999), batch 64, 5 epochs, all 60,000 images).\n\nModels:\n"+models.Describe(), stdout)
	task := fs.String("task", "mnist", "what to train: mnist (a classifier), cifar (lab 2's CIFAR-10 network: see --task cifar --help), sst (lab 3's sentiment models: see --task sst --help), vae, rbm or dcgan")
	gen := addGenFlags(fs)
	dc := addDCGANFlags(fs)
	c := defaultMNIST()
	fs.StringVar(&c.Model, "model", c.Model, "model to train (cnn, mlp; cifar, with --data, trains lab 2's CIFAR-10 network: see --task cifar --help)")
	addOptimFlags(fs, &c)
	fs.Uint64Var(&c.Seed, "seed", c.Seed, "random seed (weights and shuffling)")
	fs.StringVar(&c.DataDir, "data", "", "directory with MNIST-format IDX files (default: the embedded MNIST)")
	fs.IntVar(&c.ValSize, "val", c.ValSize, "images held out from the end of the training set for validation (0 or -1: none)")
	fs.IntVar(&c.MaxTrain, "max-train", 0, "train on only the first N training images (0: all)")
	fs.StringVar(&c.OutDir, "out", c.OutDir, "directory for the checkpoint and plots (\"\": write nothing)")
	fs.StringVar(&c.MetricsPath, "metrics", "", "write one JSON object per epoch and a final one with test_accuracy to this file")
	fs.StringVar(&c.Resume, "resume", "", "continue training from this checkpoint (weights, epoch count, history, and the optimizer state saved beside it)")
	noPlots := fs.Bool("no-plots", false, "do not write PNG plots")
	if err := parse(fs, args); err != nil {
		return err
	}
	c.Plots = !*noPlots
	set := explicitFlags(fs)
	if err := checkTaskFlags(*task, set); err != nil {
		return err
	}
	c.Log = stdout
	c.Terminal = isTerminal(stdout)
	if c.ValSize == 0 { // an explicit --val 0 means no validation, as -1 does
		c.ValSize = -1
	}
	if *task == "dcgan" {
		return trainDCGAN(c, *dc, set, stdout)
	}
	if *task != "mnist" {
		return trainGenerative(*task, c, *gen, set, stdout)
	}

	var res *mnistResult
	if ok, err := runJob(stdout, c.OutDir, func(ctx context.Context) (err error) {
		res, err = runMNIST(ctx, c)
		return err
	}); !ok {
		return err
	}
	fmt.Fprintf(stdout, "\nper-class precision and recall on the test set:\n%s\n", res.Test.Confusion)
	printWritten(stdout, res.Written, c.OutDir)
	fmt.Fprintf(stdout, "test accuracy: %.2f%% (test loss %.4f, training time %.1fs)\n", 100*res.Test.Accuracy, res.Test.Loss, res.Elapsed.Seconds())
	return nil
}

// taskFlag returns the value of the --task flag in args ("" when absent)
// and args without it, so that each task parses its own flags.
func taskFlag(args []string) (task string, rest []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		for _, f := range []string{"--task", "-task"} {
			if a == f && i+1 < len(args) {
				return args[i+1], append(append([]string(nil), args[:i]...), args[i+2:]...)
			}
			if v, ok := strings.CutPrefix(a, f+"="); ok {
				return v, append(append([]string(nil), args[:i]...), args[i+1:]...)
			}
		}
	}
	return "", args
}

// signalContext returns a context cancelled by the first SIGINT or SIGTERM,
// a function telling which signal came (nil if none), and a stop function.
// After the first signal the default handling returns, so a second Ctrl-C
// ends the process at once.
func signalContext() (context.Context, func() os.Signal, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	got := make(chan os.Signal, 1)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			signal.Stop(ch)
			got <- s
			cancel()
		case <-done:
		}
	}()
	which := func() os.Signal {
		select {
		case s := <-got:
			got <- s
			return s
		default:
			return nil
		}
	}
	stop := func() {
		signal.Stop(ch)
		close(done)
		cancel()
	}
	return ctx, which, stop
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
