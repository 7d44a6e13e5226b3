package main

import (
	"context"
	"errors"
	"fmt"
	"io"

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
