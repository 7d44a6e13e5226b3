// Package train is the training loop of duboko, for any data set, model,
// loss and optimizer: it knows no data set and no command line.
//
// A [Task] says what one training step does with a batch (forward pass,
// loss, backward pass, optimizer update) and how a model is evaluated; a
// [Trainer] runs a task over the epochs of a [data.Dataset] and provides
// what every kind of training needs: shuffled batches from a seed, a
// learning-rate schedule, progress output, per-epoch validation, a guard
// against non-finite losses and weights, atomic checkpoints with exact
// resume, a JSON-lines metrics file, cancellation by context (signals), and
// hooks ([Trainer.OnStep], [Trainer.OnEpochEnd]) for plots and extra output,
// in the manner of PyTorch's hooks rather than by subclassing.
//
// [Classifier] is the task of supervised classification with cross-entropy
// (the MNIST CNN and MLP of the course). [LossTask] turns a step function
// (batch → loss tensor and metrics) into a Task, with the non-finite check,
// backward pass, gradient clipping and update done for it: a VAE or a text
// classifier is one. A GAN, with two players and two optimizers stepped in
// turn, implements Task itself; its Model holds both players, so that one
// checkpoint holds both. All of them reuse the rest: schedule, progress,
// validation, checkpoints, metrics, signals and hooks.
//
// # Guarantees
//
//   - A checkpoint is always complete and finite: it is written to a
//     temporary file and renamed into place, and only after the epoch's
//     weights and validation metrics were checked to be finite. A run whose
//     loss or weights turn NaN or ±Inf stops with a [*NonFiniteError] naming
//     the epoch and step, and the previous checkpoint stays as it was.
//   - The optimizer state beside the checkpoint belongs to the same epoch:
//     it is written first under a pending name and moved into place only
//     after the checkpoint, and a run that finds a pending state of the
//     checkpoint's epoch (a kill between the two) completes the move.
//     Temporary files left by a killed run are removed when the next run
//     starts in the same folder; one folder serves one run at a time.
//   - Checkpoint metadata is validated on resume (format, an epoch within
//     1..MaxEpochs, a history that parses); a resume that has nothing left to
//     do returns [ErrNothingToDo]. History is kept across resumes, and
//     missing values (no validation set) are written as JSON null.
//   - Checkpoints are read once, header first: names and shapes are checked
//     against the model before any tensor data is read.
package train
