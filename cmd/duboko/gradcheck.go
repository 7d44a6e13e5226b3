package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/duboko/duboko/gradcheck"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// errCheckFailed is returned when a gradient check fails (exit status 1).
var errCheckFailed = errors.New("gradient check failed")

func runGradcheck(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("gradcheck", "Checks a model's gradients in float64 against central differences, twice: the layers'\n"+
		"hand-written BackwardInputs/BackwardParams, and automatic differentiation. Reports the course's\n"+
		"relative error per tensor with its worst element; exits 1 if any tensor fails.\n\nModels:\n"+models.Describe(), stdout)
	name := fs.String("model", "mlp", "model to check")
	batch := fs.Int("batch", 2, "batch size of the random input")
	samples := fs.Int("samples", 20, "elements checked per tensor, chosen at random (0: all, slow for large layers)")
	seed := fs.Uint64("seed", 1, "seed of the weights, input and sampled elements")
	tol := fs.Float64("tol", gradcheck.DefaultTol, "relative error tolerance")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *batch < 1 || *samples < 0 || *tol <= 0 {
		return usageError{"--batch must be at least 1, --samples not negative and --tol positive"}
	}
	m, in, err := models.New(*name, tensor.NewRand(*seed))
	if err != nil {
		return usageError{err.Error()}
	}
	nn.To(m, tensor.Float64)
	m.SetTraining(false)
	x := tensor.To(tensor.RandU(tensor.NewRand(*seed+1), 0, 1, append([]int{*batch}, in...)...), tensor.Float64)
	opts := gradcheck.Options{Samples: *samples, Seed: *seed, Tol: *tol}
	ok := true
	for _, c := range []struct {
		title string
		rep   gradcheck.Report
	}{
		{"explicit BackwardInputs/BackwardParams", gradcheck.Layer(m, x.Clone(), opts)},
		{"automatic differentiation", gradcheck.Module(m, x.Clone(), opts)},
	} {
		fmt.Fprintf(stdout, "%s, %s, batch %d, float64:\n%s\n", *name, c.title, *batch, c.rep)
		ok = ok && c.rep.OK()
	}
	if !ok {
		return errCheckFailed
	}
	fmt.Fprintln(stdout, "all gradients agree with central differences")
	return nil
}
