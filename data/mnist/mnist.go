// Package mnist loads the MNIST database of handwritten digits, which ships
// embedded in this package so that programs train offline, and any other
// dataset stored in the same four IDX files (Fashion-MNIST, KMNIST, ...).
//
// Images are kept as the original bytes (Pixels, N×H×W, one channel), a
// quarter of the memory of float32, and are scaled to float32 in [0, 1]
// (pixel/255) as samples are taken with Sample or Image. Labels are ints
// in 0..9. A *Set has the methods Len, SampleShape and Sample, so it can be
// fed to a data.Loader directly.
//
// See README.md in this folder for where the embedded files come from and
// under which terms they are distributed.
package mnist

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/duboko/duboko/data/idx"
)

// The standard file names of an MNIST-style dataset, without ".gz".
const (
	TrainImagesFile = "train-images-idx3-ubyte"
	TrainLabelsFile = "train-labels-idx1-ubyte"
	TestImagesFile  = "t10k-images-idx3-ubyte"
	TestLabelsFile  = "t10k-labels-idx1-ubyte"
)

// NumClasses is the number of label values, 0..9.
const NumClasses = 10

// MaxBytes bounds the data LoadDir reads: the four files' declared sizes
// together (1 GiB; EMNIST ByClass, the largest MNIST-style set, needs about
// 0.6 GiB). LoadDir checks every header, and this total, before it reads
// any data, and reads the files one after another, so its memory is about
// the data set's size.
const MaxBytes = 1 << 30

//go:embed files/*.gz
var embedded embed.FS

// names are the four files in the order load reads them.
var names = [4]string{TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile}

// Set is a labelled set of single-channel images.
type Set struct {
	Pixels []byte // N×H×W bytes, row-major, as stored in the IDX file
	Labels []int  // N labels in 0..NumClasses-1
	N      int    // number of images
	H, W   int    // image height and width in pixels
}

// Len returns the number of images, N.
func (s *Set) Len() int { return s.N }

// SampleShape returns the shape of one image, [1, H, W].
func (s *Set) SampleShape() []int { return []int{1, s.H, s.W} }

// Sample writes image i, scaled to [0, 1], into x, which must hold H*W
// values, and returns its label.
func (s *Set) Sample(i int, x []float32) int {
	p := s.H * s.W
	x = x[:p]
	for j, b := range s.Pixels[i*p : (i+1)*p] {
		x[j] = scale[b]
	}
	return s.Labels[i]
}

// Image returns image i scaled to [0, 1] as a new slice.
func (s *Set) Image(i int) []float32 {
	x := make([]float32, s.H*s.W)
	s.Sample(i, x)
	return x
}

// Load returns the embedded MNIST training set (60,000 images) and test set
// (10,000 images), each 28×28.
func Load() (train, test *Set, err error) {
	return load(func(i int) (*idx.Array, error) {
		return idx.ReadFS(embedded, "files/"+names[i]+".gz")
	})
}

// LoadDir reads an MNIST-style dataset from dir, which must hold the four
// files named by the constants above, each either raw or gzipped (with a
// ".gz" suffix; the raw file is used when both exist). It checks that each
// images file holds n×H×W uint8 values, each labels file n uint8 labels in
// 0..9, that training and test images have the same size, and that the
// files together declare at most MaxBytes, all from the headers before any
// data is read.
func LoadDir(dir string) (train, test *Set, err error) {
	paths := make([]string, len(names))
	var total int64
	var heads [4]idx.Header
	for i, name := range names {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err != nil {
			p += ".gz"
			if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
				return nil, nil, fmt.Errorf("mnist: %s: neither %s nor %s.gz exists", dir, name, name)
			}
		}
		paths[i] = p
		if heads[i], err = idx.ReadHeader(p); err != nil {
			return nil, nil, err
		}
		total += heads[i].Size()
	}
	for _, pair := range [][2]int{{0, 1}, {2, 3}} {
		if err := checkPair(heads[pair[0]], heads[pair[1]], names[pair[0]], names[pair[1]]); err != nil {
			return nil, nil, err
		}
	}
	if total > MaxBytes {
		return nil, nil, fmt.Errorf("mnist: %s: the four files declare %d bytes of data, more than the limit of %d", dir, total, int64(MaxBytes))
	}
	if a, b := heads[0].Dims, heads[2].Dims; a[1] != b[1] || a[2] != b[2] {
		return nil, nil, fmt.Errorf("mnist: training images are %d×%d but test images are %d×%d", a[1], a[2], b[1], b[2])
	}
	return load(func(i int) (*idx.Array, error) {
		a, err := idx.ReadFile(paths[i])
		if err == nil && (a.Type != heads[i].Type || !slices.Equal(a.Dims, heads[i].Dims)) {
			return nil, fmt.Errorf("mnist: %s changed while being read", paths[i])
		}
		return a, err
	})
}

// load reads the four files, one after another, and assembles the two sets.
func load(read func(i int) (*idx.Array, error)) (train, test *Set, err error) {
	arrays := make([]*idx.Array, len(names))
	for i := range names {
		if arrays[i], err = read(i); err != nil {
			return nil, nil, err
		}
	}
	train, err = assemble(arrays[0], arrays[1], names[0], names[1])
	if err != nil {
		return nil, nil, err
	}
	test, err = assemble(arrays[2], arrays[3], names[2], names[3])
	if err != nil {
		return nil, nil, err
	}
	if train.H != test.H || train.W != test.W {
		return nil, nil, fmt.Errorf("mnist: training images are %d×%d but test images are %d×%d",
			train.H, train.W, test.H, test.W)
	}
	return train, test, nil
}

// scale maps a pixel byte to [0, 1].
var scale = func() (t [256]float32) {
	for i := range t {
		t[i] = float32(i) / 255
	}
	return t
}()

// checkPair validates the types and dimensions of an images/labels pair.
func checkPair(im, lb idx.Header, imagesName, labelsName string) error {
	if im.Type != idx.Uint8 || len(im.Dims) != 3 {
		return fmt.Errorf("mnist: %s: want uint8 images [n rows cols], got %s %v", imagesName, im.Type, im.Dims)
	}
	if lb.Type != idx.Uint8 || len(lb.Dims) != 1 {
		return fmt.Errorf("mnist: %s: want uint8 labels [n], got %s %v", labelsName, lb.Type, lb.Dims)
	}
	if lb.Dims[0] != im.Dims[0] {
		return fmt.Errorf("mnist: %s has %d images but %s has %d labels", imagesName, im.Dims[0], labelsName, lb.Dims[0])
	}
	return nil
}

// assemble validates an images/labels pair and converts it to a Set.
func assemble(images, labels *idx.Array, imagesName, labelsName string) (*Set, error) {
	if err := checkPair(idx.Header{Type: images.Type, Dims: images.Dims}, idx.Header{Type: labels.Type, Dims: labels.Dims}, imagesName, labelsName); err != nil {
		return nil, err
	}
	n, h, w := images.Dims[0], images.Dims[1], images.Dims[2]
	s := &Set{Pixels: images.Data, Labels: make([]int, n), N: n, H: h, W: w}
	for i, b := range labels.Data {
		if b >= NumClasses {
			return nil, fmt.Errorf("mnist: %s: label %d of sample %d is outside 0..%d",
				labelsName, b, i, NumClasses-1)
		}
		s.Labels[i] = int(b)
	}
	return s, nil
}

// Split divides s into its first s.N-nVal images, for training, and its last
// nVal images, for validation (the usual MNIST hold-out is the last 5,000
// training images). Both share memory with s. It panics unless
// 0 <= nVal <= s.N.
func Split(s *Set, nVal int) (train, val *Set) {
	if nVal < 0 || nVal > s.N {
		panic(fmt.Sprintf("mnist.Split: nVal %d outside 0..%d", nVal, s.N))
	}
	k, p := s.N-nVal, s.H*s.W
	train = &Set{Pixels: s.Pixels[: k*p : k*p], Labels: s.Labels[:k:k], N: k, H: s.H, W: s.W}
	val = &Set{Pixels: s.Pixels[k*p : s.N*p : s.N*p], Labels: s.Labels[k:s.N:s.N], N: nVal, H: s.H, W: s.W}
	return train, val
}
