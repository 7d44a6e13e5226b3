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
	"sync"

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

//go:embed files/*.gz
var embedded embed.FS

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
	return load(func(name string) (*idx.Array, error) {
		return idx.ReadFS(embedded, "files/"+name+".gz")
	})
}

// LoadDir reads an MNIST-style dataset from dir, which must hold the four
// files named by the constants above, each either raw or gzipped (with a
// ".gz" suffix; the raw file is used when both exist). It checks that each
// images file holds n×H×W uint8 values, each labels file n uint8 labels in
// 0..9, and that training and test images have the same size.
func LoadDir(dir string) (train, test *Set, err error) {
	return load(func(name string) (*idx.Array, error) {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return idx.ReadFile(p)
		}
		a, err := idx.ReadFile(p + ".gz")
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("mnist: %s: neither %s nor %s.gz exists", dir, name, name)
		}
		return a, err
	})
}

// load reads the four files concurrently and assembles the two sets.
func load(read func(name string) (*idx.Array, error)) (train, test *Set, err error) {
	names := []string{TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile}
	arrays := make([]*idx.Array, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() { arrays[i], errs[i] = read(name) })
	}
	wg.Wait()
	for _, err := range errs { // the first file's error is enough to act on
		if err != nil {
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

// assemble validates an images/labels pair and converts it to a Set.
func assemble(images, labels *idx.Array, imagesName, labelsName string) (*Set, error) {
	if images.Type != idx.Uint8 || len(images.Dims) != 3 {
		return nil, fmt.Errorf("mnist: %s: want uint8 images [n rows cols], got %s %v",
			imagesName, images.Type, images.Dims)
	}
	if labels.Type != idx.Uint8 || len(labels.Dims) != 1 {
		return nil, fmt.Errorf("mnist: %s: want uint8 labels [n], got %s %v",
			labelsName, labels.Type, labels.Dims)
	}
	n, h, w := images.Dims[0], images.Dims[1], images.Dims[2]
	if labels.Dims[0] != n {
		return nil, fmt.Errorf("mnist: %s has %d images but %s has %d labels",
			imagesName, n, labelsName, labels.Dims[0])
	}
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
