// Command duboko trains, evaluates, summarises and draws neural networks.
//
//	duboko train                 # the course's MNIST CNN, 8 epochs, embedded data
//	duboko train --task sst      # lab 3's sentiment GRU on the embedded SST (--model baseline|rnn|gru|lstm)
//	duboko train --task vae      # lab 4's VAE (--task rbm: the RBM by contrastive divergence)
//	duboko train --model cifar --data DIR # lab 2's CIFAR-10 network on the downloaded binary files
//	duboko eval --checkpoint F   # test accuracy of a checkpoint
//	duboko summary --model cnn   # layers, shapes, parameters, operations
//	duboko graph --model cnn     # forward/backward computational graphs
//	duboko graph --model sst-rnn --steps 3 # lab 3's RNN unrolled over 3 words (summary, eval: sst-* too)
//	duboko gradcheck --model cnn # gradients against central differences
//	duboko export --checkpoint F --format onnx --out model.onnx
//	duboko score --samples F     # Inception Score and Fréchet distance of generated digits
//	duboko sample --checkpoint F --n 100 --out grid.png  # samples of a VAE, RBM, DCGAN, ... checkpoint
//	duboko --version             # build, CPU and the kernel path in use
//
// Every subcommand has --help. User mistakes (bad flags, missing files,
// mismatched checkpoints) print one line and exit with status 2 or 1; a
// training run interrupted by Ctrl-C (SIGINT) exits with status 130, by
// SIGTERM with 143, and keeps its last complete checkpoint.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
)

// command is one subcommand.
type command struct {
	name, summary string
	run           func(args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"train", "train a model on MNIST (or any MNIST-format IDX data)", runTrain},
		{"eval", "evaluate a checkpoint on the test set", runEval},
		{"summary", "print a model's layers, shapes, parameters, operations and memory", runSummary},
		{"graph", "draw a model's forward or backward computational graph", runGraph},
		{"gradcheck", "check a model's gradients against central differences in float64", runGradcheck},
		{"export", "export a checkpoint to ONNX for ONNX Runtime and other engines", runExport},
		{"score", "score generated MNIST digits (classifier Inception Score, Fréchet distance)", runScore},
		{"sample", "draw samples of a generative checkpoint (vae, rbm, dcgan) as a PNG grid", runSample},
	}
}

// usageError marks errors in the command line (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// interruptedError marks a run stopped by a signal: exit status 128 plus
// the signal's number (130 for SIGINT, 143 for SIGTERM), as shells report.
type interruptedError struct {
	sig    os.Signal // nil: a cancellation without a signal (status 130)
	detail string    // appended to "interrupted"
}

func (e interruptedError) Error() string { return "interrupted" + e.detail }

// status returns the exit status for the signal.
func (e interruptedError) status() int {
	if s, ok := e.sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 130
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	if args[0] == "--version" || args[0] == "-version" || args[0] == "version" {
		printVersion(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := safeRun(c, args[1:], stdout, stderr)
			return report(err, c.name, stderr)
		}
	}
	fmt.Fprintf(stderr, "duboko: unknown command %q; run 'duboko --help' for the list\n", args[0])
	return 2
}

// safeRun turns a panic from a programmer-facing library error (a typed
// shape error, say) into an ordinary error, so the user sees one line.
func safeRun(c command, args []string, stdout, stderr io.Writer) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				err = fmt.Errorf("internal error: %w", e)
			} else {
				err = fmt.Errorf("internal error: %v", r)
			}
		}
	}()
	return c.run(args, stdout, stderr)
}

func report(err error, name string, stderr io.Writer) int {
	var ue usageError
	var ie interruptedError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "duboko %s: %s (see 'duboko %s --help')\n", name, oneLine(ue.msg), name)
		return 2
	case errors.As(err, &ie):
		fmt.Fprintf(stderr, "duboko %s: %s\n", name, oneLine(err.Error()))
		return ie.status()
	}
	fmt.Fprintf(stderr, "duboko %s: %s\n", name, oneLine(err.Error()))
	return 1
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "duboko — deep learning in pure Go")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: duboko <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'duboko <command> --help' for a command's flags.")
	fmt.Fprintln(w, "With no flags, 'duboko train' trains the course's MNIST CNN for 8 epochs on the embedded data.")
}

// flagSet is a subcommand's flags with its help printer.
type flagSet struct {
	*flag.FlagSet
	help func()
}

// newFlagSet returns a flag set that reports errors as usageError (one
// line and a hint, printed by report) and prints its help, once, to stdout
// when asked with -h or --help.
func newFlagSet(name, synopsis string, stdout io.Writer) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {} // the flag package calls it on every error; parse prints help itself
	return &flagSet{fs, func() {
		fs.SetOutput(stdout)
		fmt.Fprintf(stdout, "Usage: duboko %s [flags]\n\n%s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}}
}

// parse parses args, turning flag errors into usageError.
func parse(fs *flagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.help()
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}
