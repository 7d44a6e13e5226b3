package train

import (
	"context"
	"fmt"
	"math"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
)

// Task is one kind of training: what a step does with a batch and how the
// model is measured. The Trainer supplies everything around it (batches,
// schedule, progress, validation, checkpoints, metrics, cancellation).
//
// A classifier is one model and one optimizer ([Classifier]); a GAN's Step
// runs the discriminator's and the generator's updates and returns both
// losses, its Model holds both players (so that one checkpoint holds both)
// and Optimizers returns both optimizers.
type Task interface {
	// Model returns the module whose state dict the checkpoint holds.
	// The trainer puts it in training mode before each epoch.
	Model() nn.Module
	// Optimizers returns the optimizers whose learning rate the schedule
	// sets and whose state is saved beside the checkpoint.
	Optimizers() []optim.Optimizer
	// Step trains on one batch and returns the batch's metrics as sums
	// (see Metric). When a loss is NaN or ±Inf, Step must return the error
	// of CheckFinite before it changes any weight.
	Step(b *data.Batch) (Metrics, error)
	// Evaluate measures the model on ds without changing it, in
	// evaluation mode. ds is the validation set.
	Evaluate(ctx context.Context, ds data.Dataset) (Metrics, error)
}

// NonFiniteError reports a loss, metric or weight that became NaN or ±Inf.
// The Trainer fills in Epoch, Step and LR.
type NonFiniteError struct {
	What  string  // "loss", "validation loss", "parameter fc1.weight"
	Value float64 // the offending value
	Epoch int     // the epoch, counting from 1
	Step  int     // the step within the epoch, counting from 1
	LR    float64 // the learning rate of the epoch
}

// Error names what became non-finite, where, and the learning rate.
func (e *NonFiniteError) Error() string {
	return fmt.Sprintf("%s became %v at epoch %d, step %d (lr %g)", e.What, e.Value, e.Epoch, e.Step, e.LR)
}

// CheckFinite returns a *NonFiniteError naming what when v is NaN or ±Inf,
// and nil otherwise.
func CheckFinite(what string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return &NonFiniteError{What: what, Value: v}
	}
	return nil
}

// checkWeights returns a *NonFiniteError for the first tensor of m's state
// dict holding NaN or ±Inf.
func checkWeights(m nn.Module) error {
	for _, p := range nn.StateDict(m) {
		if v, ok := firstNonFinite(p); ok {
			return &NonFiniteError{What: "parameter " + p.Name, Value: v}
		}
	}
	return nil
}

// firstNonFinite returns the first NaN or ±Inf value of p's tensor.
func firstNonFinite(p nn.Param) (float64, bool) {
	t := p.Tensor
	switch t.DType() {
	case tensor.Float32:
		for _, v := range t.Float32s() {
			if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
				return f, true
			}
		}
	case tensor.Float64:
		for _, v := range t.Float64s() {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return v, true
			}
		}
	}
	return 0, false
}
