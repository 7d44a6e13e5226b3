package mnist

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duboko/duboko/data/idx"
)

// The embedded files are decoded once for all tests in this package.
var (
	loadOnce    sync.Once
	train, test *Set
	loadErr     error
	loadTime    time.Duration
)

func loadEmbedded(t testing.TB) (*Set, *Set) {
	t.Helper()
	loadOnce.Do(func() {
		start := time.Now()
		train, test, loadErr = Load()
		loadTime = time.Since(start)
	})
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return train, test
}

func TestLoadEmbedded(t *testing.T) {
	train, test := loadEmbedded(t)
	t.Logf("Load took %v", loadTime)
	wantHist := map[string][NumClasses]int{
		"train": {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
		"test":  {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009},
	}
	for _, tc := range []struct {
		name  string
		s     *Set
		n     int
		first int
	}{{"train", train, 60000, 5}, {"test", test, 10000, 7}} {
		s := tc.s
		if s.N != tc.n || len(s.Labels) != tc.n || s.H != 28 || s.W != 28 || len(s.Pixels) != tc.n*28*28 {
			t.Fatalf("%s: N=%d labels=%d H=%d W=%d images=%d", tc.name, s.N, len(s.Labels), s.H, s.W, len(s.Pixels))
		}
		if s.Labels[0] != tc.first {
			t.Errorf("%s: first label %d, want %d", tc.name, s.Labels[0], tc.first)
		}
		var hist [NumClasses]int
		for _, l := range s.Labels {
			hist[l]++
		}
		if hist != wantHist[tc.name] {
			t.Errorf("%s: label histogram %v, want %v", tc.name, hist, wantHist[tc.name])
		}
		lo, hi := float32(1), float32(0)
		x := make([]float32, 28*28)
		for i := 0; i < s.N; i++ {
			s.Sample(i, x)
			for _, v := range x {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
		if lo != 0 || hi != 1 {
			t.Errorf("%s: pixel range [%v, %v], want [0, 1]", tc.name, lo, hi)
		}
	}
	// Pixel (row 14, column 14) of the first training image (a 5) is ink.
	if v := train.Image(0)[14*28+14]; v <= 0 {
		t.Errorf("train image 0 centre pixel %v", v)
	}
	if got := train.SampleShape(); len(got) != 3 || got[0] != 1 || got[1] != 28 || got[2] != 28 {
		t.Errorf("SampleShape %v", got)
	}
	x := make([]float32, 28*28)
	if l := test.Sample(1, x); l != test.Labels[1] || x[300] != float32(test.Pixels[28*28+300])/255 {
		t.Errorf("Sample(1) label %d", l)
	}
}

func TestSplit(t *testing.T) {
	train, _ := loadEmbedded(t)
	tr, val := Split(train, 5000)
	if tr.N != 55000 || val.N != 5000 || tr.Len()+val.Len() != train.N {
		t.Fatalf("split sizes %d %d", tr.N, val.N)
	}
	if val.Labels[0] != train.Labels[55000] || &val.Pixels[0] != &train.Pixels[55000*784] {
		t.Error("validation set is not the last 5000 images")
	}
	if len(tr.Pixels) != 55000*784 || cap(tr.Pixels) != 55000*784 || cap(tr.Labels) != 55000 {
		t.Error("training part can grow into the validation part")
	}
	for _, n := range []int{-1, train.N + 1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Split(%d) did not panic", n)
				}
			}()
			Split(train, n)
		}()
	}
	a, b := Split(train, 0)
	if a.N != train.N || b.N != 0 {
		t.Error("Split(0)")
	}
}

// writeSet writes a tiny MNIST-style dataset into dir.
func writeSet(t *testing.T, dir string, files map[string]*idx.Array, gzipped bool) {
	t.Helper()
	for name, a := range files {
		var buf bytes.Buffer
		if err := idx.Write(&buf, a); err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()
		if gzipped {
			var z bytes.Buffer
			w := gzip.NewWriter(&z)
			w.Write(data)
			w.Close()
			data, name = z.Bytes(), name+".gz"
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func images(n, h, w int) *idx.Array {
	d := make([]byte, n*h*w)
	for i := range d {
		d[i] = byte(i)
	}
	return &idx.Array{Type: idx.Uint8, Dims: []int{n, h, w}, Data: d}
}

func labels(l ...byte) *idx.Array {
	return &idx.Array{Type: idx.Uint8, Dims: []int{len(l)}, Data: l}
}

func validFiles() map[string]*idx.Array {
	return map[string]*idx.Array{
		TrainImagesFile: images(3, 2, 4),
		TrainLabelsFile: labels(1, 9, 0),
		TestImagesFile:  images(2, 2, 4),
		TestLabelsFile:  labels(4, 4),
	}
}

func TestLoadDir(t *testing.T) {
	for _, gz := range []bool{false, true} {
		dir := t.TempDir()
		writeSet(t, dir, validFiles(), gz)
		train, test, err := LoadDir(dir)
		if err != nil {
			t.Fatalf("gzip=%v: %v", gz, err)
		}
		if train.N != 3 || test.N != 2 || train.H != 2 || train.W != 4 {
			t.Fatalf("gzip=%v: sizes %d %d %d %d", gz, train.N, test.N, train.H, train.W)
		}
		if train.Labels[1] != 9 || train.Image(0)[1] != float32(1)/255 || train.Image(2)[7] != float32(23)/255 {
			t.Errorf("gzip=%v: wrong values", gz)
		}
	}
}

func TestLoadDirErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(m map[string]*idx.Array)
		want   string
	}{
		{"count mismatch", func(m map[string]*idx.Array) { m[TrainLabelsFile] = labels(1, 2) },
			"train-images-idx3-ubyte has 3 images but train-labels-idx1-ubyte has 2 labels"},
		{"label out of range", func(m map[string]*idx.Array) { m[TestLabelsFile] = labels(4, 10) },
			"t10k-labels-idx1-ubyte: label 10 of sample 1 is outside 0..9"},
		{"images not 3-d", func(m map[string]*idx.Array) {
			m[TrainImagesFile] = &idx.Array{Type: idx.Uint8, Dims: []int{3, 8}, Data: make([]byte, 24)}
		}, "train-images-idx3-ubyte: want uint8 images"},
		{"labels wrong type", func(m map[string]*idx.Array) {
			m[TrainLabelsFile] = &idx.Array{Type: idx.Int32, Dims: []int{3}, Data: make([]byte, 12)}
		}, "train-labels-idx1-ubyte: want uint8 labels"},
		{"train/test size differ", func(m map[string]*idx.Array) { m[TestImagesFile] = images(2, 4, 2) },
			"training images are 2×4 but test images are 4×2"},
		{"missing file", func(m map[string]*idx.Array) { delete(m, TestImagesFile) },
			"neither t10k-images-idx3-ubyte nor t10k-images-idx3-ubyte.gz exists"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			m := validFiles()
			tc.change(m)
			writeSet(t, dir, m, true)
			_, _, err := LoadDir(dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
	// A corrupt file: the error names the file.
	dir := t.TempDir()
	writeSet(t, dir, validFiles(), false)
	p := filepath.Join(dir, TrainLabelsFile)
	os.WriteFile(p, []byte{0, 0, 8, 1, 0, 0, 0, 3, 1}, 0o644)
	if _, _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("corrupt file error: %v", err)
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}
