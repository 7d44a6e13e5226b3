package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/duboko/duboko/train"
)

// runJob runs a training job under signalContext and reports the outcomes
// all the training commands share: train.ErrNothingToDo is said on stdout
// and is no error; train.ErrInterrupted becomes an interruptedError naming
// the signal and the checkpoint kept in outDir. ok is true when the job
// finished and its results are to be reported.
func runJob(stdout io.Writer, outDir string, job func(context.Context) error) (ok bool, err error) {
	ctx, sig, stop := signalContext()
	defer stop()
	err = job(ctx)
	if errors.Is(err, train.ErrNothingToDo) {
		fmt.Fprintf(stdout, "%v; raise --epochs to train more\n", err)
		return false, nil
	}
	if errors.Is(err, train.ErrInterrupted) {
		return false, interruptedError{sig: sig(), detail: kept(outDir)}
	}
	return err == nil, err
}

// printWritten lists on stdout the files a job wrote and, where it wrote
// one, its checkpoint.
func printWritten(stdout io.Writer, written []string, outDir string) {
	for _, f := range written {
		fmt.Fprintln(stdout, "wrote", f)
	}
	if outDir != "" {
		fmt.Fprintln(stdout, "checkpoint:", outDir+"/"+train.CheckpointName)
	}
}

// prepareOutDir creates the --out directory dir, if one is given, and
// checks that a checkpoint can be written there before any training.
func prepareOutDir(dir string) error {
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	if err := train.CheckWritableDir(dir); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	return nil
}

// resumeTrainer resumes tr from the checkpoint at path (--resume):
// train.ErrNothingToDo passes as it is, other errors name the flag.
func resumeTrainer(tr *train.Trainer, path string) error {
	err := tr.Resume(path)
	if err == nil || errors.Is(err, train.ErrNothingToDo) {
		return err
	}
	return fmt.Errorf("--resume: %w", err)
}

// runTrainer runs tr; a non-finite loss is reported with advice and the
// checkpoint kept in outDir.
func runTrainer(ctx context.Context, tr *train.Trainer, outDir string) (*train.Result, error) {
	r, err := tr.Run(ctx)
	var nf *train.NonFiniteError
	if errors.As(err, &nf) {
		err = fmt.Errorf("%w; try a smaller --lr%s", err, kept(outDir))
	}
	return r, err
}
