package cifar

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// record returns a record with the given label whose pixel (c, y, x) is
// pix(c, y, x).
func record(label byte, pix func(c, y, x int) byte) []byte {
	r := make([]byte, RecordSize)
	r[0] = label
	for c := 0; c < Channels; c++ {
		for y := 0; y < Height; y++ {
			for x := 0; x < Width; x++ {
				r[1+c*Height*Width+y*Width+x] = pix(c, y, x)
			}
		}
	}
	return r
}

// testPixel is the pixel pattern of record r of file f.
func testPixel(f, r int) func(c, y, x int) byte {
	return func(c, y, x int) byte { return byte(f*53 + r*29 + c*17 + y*5 + x*3) }
}

// writeDir writes the six files, n records each, into a new folder; record
// r of file f (0..4 training, 5 test) has label (3f+r)%10.
func writeDir(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	for f, name := range append(slices.Clone(TrainFiles), TestFile) {
		var b []byte
		for r := 0; r < n; r++ {
			b = append(b, record(byte((3*f+r)%10), testPixel(f, r))...)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadDir(t *testing.T) {
	dir := writeDir(t, 3)
	train, test, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 15 || test.Len() != 3 {
		t.Fatalf("got %d training and %d test images, want 15 and 3", train.Len(), test.Len())
	}
	if got := train.SampleShape(); !slices.Equal(got, []int{3, 32, 32}) {
		t.Fatalf("SampleShape = %v", got)
	}
	x := make([]float32, ImageBytes)
	for _, tc := range []struct {
		s    *Set
		i, f int
	}{{train, 0, 0}, {train, 7, 2}, {train, 14, 4}, {test, 2, 5}} {
		r := tc.i % 3
		label := tc.s.Sample(tc.i, x)
		if want := (3*tc.f + r) % 10; label != want || tc.s.Labels[tc.i] != want {
			t.Errorf("image %d of file %d: label %d (Labels %d), want %d", tc.i, tc.f, label, tc.s.Labels[tc.i], want)
		}
		pix := testPixel(tc.f, r)
		for _, p := range [][3]int{{0, 0, 0}, {0, 5, 31}, {1, 17, 2}, {2, 31, 31}} {
			want := float32(pix(p[0], p[1], p[2])) / 255
			if got := x[p[0]*1024+p[1]*32+p[2]]; got != want {
				t.Errorf("image %d of file %d, pixel %v: %v, want %v", tc.i, tc.f, p, got, want)
			}
		}
	}
	if train.ClassName(0) != "airplane" || train.ClassName(9) != "truck" || ClassNames[3] != "cat" {
		t.Errorf("class names: %v", ClassNames)
	}
}

func TestReadFile(t *testing.T) {
	dir := writeDir(t, 2)
	s, err := ReadFile(filepath.Join(dir, "data_batch_2.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 2 || !slices.Equal(s.Labels, []int{3, 4}) {
		t.Fatalf("N %d labels %v, want 2 [3 4]", s.N, s.Labels)
	}
}

func TestLoadDirErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		break_ func(dir string) error
		kind   error
		file   string
		record int
		msg    string
	}{
		{"missing", func(dir string) error { return os.Remove(filepath.Join(dir, "data_batch_3.bin")) },
			ErrMissing, "data_batch_3.bin", -1, "cs.toronto.edu"},
		{"missing test", func(dir string) error { return os.Remove(filepath.Join(dir, TestFile)) },
			ErrMissing, TestFile, -1, "missing file"},
		{"empty", func(dir string) error { return os.WriteFile(filepath.Join(dir, "data_batch_2.bin"), nil, 0o644) },
			ErrEmpty, "data_batch_2.bin", -1, "empty file"},
		{"not a multiple", func(dir string) error {
			return os.Truncate(filepath.Join(dir, "data_batch_5.bin"), 3*RecordSize+1)
		}, ErrSize, "data_batch_5.bin", -1, "3 records and 1 bytes over"},
		{"short", func(dir string) error {
			return os.Truncate(filepath.Join(dir, TestFile), 100)
		}, ErrSize, TestFile, -1, "100 bytes"},
		{"label", func(dir string) error {
			p := filepath.Join(dir, "data_batch_4.bin")
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			b[2*RecordSize] = 10
			return os.WriteFile(p, b, 0o644)
		}, ErrLabel, "data_batch_4.bin", 2, "record 2: label outside 0..9: label 10"},
		{"label 255 in test", func(dir string) error {
			p := filepath.Join(dir, TestFile)
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			b[0] = 255
			return os.WriteFile(p, b, 0o644)
		}, ErrLabel, TestFile, 0, "record 0: label outside 0..9: label 255"},
		// A sparse file one record over the official size: refused from
		// its size, before any file is read (data_batch_1 has a bad label
		// that would be reported first otherwise).
		{"too big", func(dir string) error {
			p := filepath.Join(dir, "data_batch_1.bin")
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			b[0] = 10
			if err := os.WriteFile(p, b, 0o644); err != nil {
				return err
			}
			return os.Truncate(filepath.Join(dir, TestFile), MaxFileBytes+RecordSize)
		}, ErrTooBig, TestFile, -1, "30733073 bytes, the official size is 30730000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeDir(t, 3)
			if err := tc.break_(dir); err != nil {
				t.Fatal(err)
			}
			train, test, err := LoadDir(dir)
			if err == nil || train != nil || test != nil {
				t.Fatalf("LoadDir: got sets %v %v and error %v, want an error", train, test, err)
			}
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, tc.kind) {
				t.Fatalf("error %q (%T) is not an *Error matching %v", err, err, tc.kind)
			}
			if e.File != filepath.Join(dir, tc.file) || e.Record != tc.record {
				t.Errorf("error names file %s record %d, want %s record %d", e.File, e.Record, tc.file, tc.record)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "cifar: ") || strings.Contains(msg, "\n") ||
				!strings.Contains(msg, tc.file) || !strings.Contains(msg, tc.msg) {
				t.Errorf("message %q: want one line naming %s and containing %q", msg, tc.file, tc.msg)
			}
		})
	}
}
