// Package cifar loads CIFAR-10, 60,000 32×32 colour images in ten classes
// (50,000 for training, 10,000 for testing), from the official "CIFAR-10
// binary version".
//
// The data cannot ship with this project. Download the "CIFAR-10 binary
// version (suitable for C programs)", cifar-10-binary.tar.gz, from the
// dataset authors' page at the University of Toronto,
// https://www.cs.toronto.edu/~kriz/cifar.html (Alex Krizhevsky, "Learning
// Multiple Layers of Features from Tiny Images", 2009), unpack it, and pass
// the folder that holds data_batch_1.bin … data_batch_5.bin and
// test_batch.bin (cifar-10-batches-bin) to [LoadDir].
//
// Each file is a sequence of 3,073-byte records: one label byte in 0..9,
// then the 1,024 red, 1,024 green and 1,024 blue bytes of the image, each
// plane 32×32 row-major. An official file holds 10,000 records. LoadDir
// checks every file's size before it reads any data (a file larger than
// the official size is refused, so memory stays bounded), then every label.
// Errors are of type *[Error], name the file (and the record where one is
// at fault), and match the sentinel errors below with [errors.Is].
//
// A *[Set] keeps the original bytes (N×3×32×32) and implements
// data.Dataset: Sample scales a pixel to float32 in [0, 1] and, in a view
// made with [Set.With], normalises each channel ([Normalize], with
// statistics from [Set.ChannelStats] of the training set) and augments the
// image ([RandomCrop], [HorizontalFlip], seeded with [Seed]).
package cifar

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// Image geometry and record layout of the binary version.
const (
	Channels   = 3
	Height     = 32
	Width      = 32
	ImageBytes = Channels * Height * Width // 3,072
	RecordSize = 1 + ImageBytes            // 3,073: label byte, then R, G, B planes
	// FileRecords is the number of records in an official file; a file
	// with more is refused.
	FileRecords = 10000
	// MaxFileBytes is the size of an official file, the largest accepted.
	MaxFileBytes = FileRecords * RecordSize
	// NumClasses is the number of label values, 0..9.
	NumClasses = 10
)

// TrainFiles and TestFile are the official file names inside the folder.
var TrainFiles = []string{"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"}

// TestFile is the official name of the test batch.
const TestFile = "test_batch.bin"

// ClassNames are the names of the ten classes, indexed by label
// (batches.meta.txt of the binary version).
var ClassNames = [NumClasses]string{"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"}

// Sentinel errors matched by errors.Is on the errors this package returns.
var (
	ErrMissing = errors.New("missing file")
	ErrEmpty   = errors.New("empty file")
	ErrSize    = errors.New("size is not a multiple of 3073 bytes")
	ErrTooBig  = errors.New("larger than an official CIFAR-10 file")
	ErrLabel   = errors.New("label outside 0..9")
)

// Error describes a missing, unreadable or malformed CIFAR-10 file.
type Error struct {
	File   string // path of the file
	Record int    // index of the faulty record in the file, or -1
	Err    error  // one of the sentinel errors above, or an I/O error
	Msg    string // details, may be empty
}

// Error formats the error as one line, "cifar: FILE[: record R]: KIND[: DETAILS]".
func (e *Error) Error() string {
	s := "cifar: " + e.File + ": "
	if e.Record >= 0 {
		s += fmt.Sprintf("record %d: ", e.Record)
	}
	s += e.Err.Error()
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	return s
}

// Unwrap returns the underlying sentinel or I/O error.
func (e *Error) Unwrap() error { return e.Err }

func fileErr(file string, err error, format string, args ...any) *Error {
	return &Error{File: file, Record: -1, Err: err, Msg: fmt.Sprintf(format, args...)}
}

// Set is a labelled set of CIFAR-10 images. Pixels and Labels may be shared
// between a set and the views made from it with With; do not modify them.
type Set struct {
	Pixels []byte // N×3×32×32 bytes: per image the R, G, B planes, row-major
	Labels []int  // N labels in 0..NumClasses-1
	N      int    // number of images

	opt options
	lut *[Channels][256]float32 // byte → value per channel when normalising, else nil
	aug *augState               // draw counters for augmentation, nil without it
}

// Len returns the number of images, N.
func (s *Set) Len() int { return s.N }

// SampleShape returns the shape of one image, [3, 32, 32].
func (s *Set) SampleShape() []int { return []int{Channels, Height, Width} }

// ClassName returns the name of a label, such as "airplane" for 0.
func (s *Set) ClassName(label int) string { return ClassNames[label] }

// statFile checks that path exists and has a size the format allows, and
// returns the number of records it holds.
func statFile(path string) (int, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, fileErr(path, ErrMissing, "download the CIFAR-10 binary version from https://www.cs.toronto.edu/~kriz/cifar.html")
	}
	if err != nil {
		return 0, fileErr(path, err, "")
	}
	if !fi.Mode().IsRegular() {
		return 0, fileErr(path, ErrMissing, "not a regular file")
	}
	size := fi.Size()
	switch {
	case size == 0:
		return 0, fileErr(path, ErrEmpty, "")
	case size > MaxFileBytes:
		return 0, fileErr(path, ErrTooBig, "%d bytes, the official size is %d (%d records)", size, MaxFileBytes, FileRecords)
	case size%RecordSize != 0:
		return 0, fileErr(path, ErrSize, "%d bytes is %d records and %d bytes over", size, size/RecordSize, size%RecordSize)
	}
	return int(size / RecordSize), nil
}

// ReadFile reads one file of the binary version, such as
// data_batch_1.bin, checking its size before reading and every label.
func ReadFile(path string) (*Set, error) {
	n, err := statFile(path)
	if err != nil {
		return nil, err
	}
	s := &Set{Pixels: make([]byte, 0, n*ImageBytes), Labels: make([]int, 0, n)}
	if err := s.appendFile(path, n); err != nil {
		return nil, err
	}
	return s, nil
}

// appendFile reads exactly n records from path into s.
func (s *Set) appendFile(path string, n int) error {
	f, err := os.Open(path)
	if err != nil {
		return fileErr(path, err, "")
	}
	defer f.Close()
	buf := make([]byte, n*RecordSize)
	if _, err := io.ReadFull(f, buf); err != nil {
		return fileErr(path, ErrSize, "file shrank while being read: %v", err)
	}
	if m, _ := f.Read(make([]byte, 1)); m != 0 {
		return fileErr(path, ErrSize, "file grew while being read")
	}
	for r := 0; r < n; r++ {
		rec := buf[r*RecordSize : (r+1)*RecordSize]
		if rec[0] >= NumClasses {
			return &Error{File: path, Record: r, Err: ErrLabel, Msg: fmt.Sprintf("label %d", rec[0])}
		}
		s.Labels = append(s.Labels, int(rec[0]))
		s.Pixels = append(s.Pixels, rec[1:]...)
	}
	s.N = len(s.Labels)
	return nil
}

// LoadDir reads the training set (data_batch_1.bin … data_batch_5.bin, in
// that order) and the test set (test_batch.bin) from dir. It checks that
// all six files exist and have valid sizes (a positive multiple of 3,073
// bytes, at most the official 10,000 records) before it reads any data,
// then reads them one after another and checks every label. Files with
// fewer records than the official ones are accepted.
func LoadDir(dir string) (train, test *Set, err error) {
	names := append(slices.Clone(TrainFiles), TestFile)
	counts := make([]int, len(names))
	for i, name := range names {
		if counts[i], err = statFile(filepath.Join(dir, name)); err != nil {
			return nil, nil, err
		}
	}
	nTrain := 0
	for _, c := range counts[:len(TrainFiles)] {
		nTrain += c
	}
	train = &Set{Pixels: make([]byte, 0, nTrain*ImageBytes), Labels: make([]int, 0, nTrain)}
	for i, name := range TrainFiles {
		if err := train.appendFile(filepath.Join(dir, name), counts[i]); err != nil {
			return nil, nil, err
		}
	}
	nTest := counts[len(names)-1]
	test = &Set{Pixels: make([]byte, 0, nTest*ImageBytes), Labels: make([]int, 0, nTest)}
	if err := test.appendFile(filepath.Join(dir, TestFile), nTest); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}
