// Package plot draws PNG charts for training and inspecting models:
// line charts (training and validation loss, accuracy and learning rate per
// epoch), grids of grayscale and RGB images (convolution filters, samples,
// misclassified digits with their top predictions) and decision surfaces of
// two-dimensional classifiers.
//
// Every chart type implements [Plot]: Render draws it into an [image.RGBA],
// and [EncodePNG] and [SavePNG] write that image as PNG to an io.Writer or,
// atomically, to a file. Several plots are placed side by side or stacked in
// one picture with [Grid]. [TrainingCurves] turns a [History] of per-epoch
// numbers into the usual three charts in one file.
//
// The package uses only the standard library's image packages and the Go
// fonts from golang.org/x/image, so pictures come out the same on every
// machine. Drawing is antialiased; text is set in Go Regular and Go Bold.
//
// Bad input (a series with no points, x and y of different lengths, pixel
// slices that do not match their height and width) is reported as an error
// wrapping one of [ErrEmpty], [ErrLength] or [ErrSize]; nothing panics.
// NaN and infinite values in a series are skipped: the line breaks there.
package plot
