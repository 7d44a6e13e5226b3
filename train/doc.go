// Package train runs supervised classification training end to end: a
// model from package models, MNIST-style data, an optimizer with a
// learning-rate schedule, per-epoch validation, test evaluation with
// per-class metrics, progress output, atomic checkpoints with resume, a
// JSON-lines metrics file and PNG plots. The duboko command's train and
// eval subcommands are thin wrappers around Run and Evaluate.
package train
