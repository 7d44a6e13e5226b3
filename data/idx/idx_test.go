package idx

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// enc builds a raw IDX file from a type, dims and data bytes.
func enc(t Type, dims []uint32, data []byte) []byte {
	b := []byte{0, 0, byte(t), byte(len(dims))}
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, data...)
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func seq(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

func TestReadValid(t *testing.T) {
	f32 := binary.BigEndian.AppendUint32(nil, math.Float32bits(-1.5))
	f32 = binary.BigEndian.AppendUint32(f32, math.Float32bits(2.25))
	f64 := binary.BigEndian.AppendUint64(nil, math.Float64bits(math.Pi))
	tests := []struct {
		name string
		file []byte
		typ  Type
		dims []int
		want []float64
	}{
		{"u8 images", enc(Uint8, []uint32{2, 2, 3}, seq(12)), Uint8, []int{2, 2, 3}, []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
		{"u8 labels", enc(Uint8, []uint32{3}, []byte{5, 0, 9}), Uint8, []int{3}, []float64{5, 0, 9}},
		{"u8 gzip", gz(enc(Uint8, []uint32{3}, []byte{5, 0, 255})), Uint8, []int{3}, []float64{5, 0, 255}},
		{"i8", enc(Int8, []uint32{2}, []byte{0xff, 0x7f}), Int8, []int{2}, []float64{-1, 127}},
		{"i16", enc(Int16, []uint32{2}, []byte{0xff, 0xfe, 0x01, 0x00}), Int16, []int{2}, []float64{-2, 256}},
		{"i32", enc(Int32, []uint32{1}, []byte{0xff, 0xff, 0xff, 0xfd}), Int32, []int{1}, []float64{-3}},
		{"f32", enc(Float32, []uint32{2, 1}, f32), Float32, []int{2, 1}, []float64{-1.5, 2.25}},
		{"f64 gzip", gz(enc(Float64, []uint32{1}, f64)), Float64, []int{1}, []float64{math.Pi}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Read(bytes.NewReader(tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if a.Type != tc.typ || !slices.Equal(a.Dims, tc.dims) {
				t.Fatalf("got %v %v, want %v %v", a.Type, a.Dims, tc.typ, tc.dims)
			}
			if a.Len() != len(tc.want) {
				t.Fatalf("Len %d, want %d", a.Len(), len(tc.want))
			}
			got64, got32 := a.Float64s(), a.Float32s()
			for i, w := range tc.want {
				if got64[i] != w || got32[i] != float32(w) {
					t.Errorf("element %d: got %v / %v, want %v", i, got64[i], got32[i], w)
				}
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	good := enc(Uint8, []uint32{2, 3}, seq(6))
	goodGz := gz(good)
	badCRC := bytes.Clone(goodGz)
	badCRC[len(badCRC)-5] ^= 0xff // CRC32 field of the gzip trailer
	tests := []struct {
		name string
		file []byte
		want error
		msg  string
	}{
		{"empty", nil, ErrTruncated, ""},
		{"short magic", []byte{0, 0, 8}, ErrTruncated, ""},
		{"wrong magic", append([]byte{0x12, 0x34}, good[2:]...), ErrMagic, "12 34 08 02"},
		{"unsupported type", enc(0x0A, []uint32{1}, []byte{0}), ErrType, "0x0a"},
		{"zero ndim", []byte{0, 0, 8, 0}, ErrDims, "0 dimensions"},
		{"zero dim", enc(Uint8, []uint32{3, 0}, nil), ErrDims, "zero"},
		{"absurd dims", enc(Float64, []uint32{1 << 16, 1 << 16}, nil), ErrDims, "more than"},
		{"absurd dims overflow", enc(Uint8, []uint32{1<<32 - 1, 1<<32 - 1, 1<<32 - 1}, nil), ErrDims, ""},
		{"truncated dims", good[:6], ErrTruncated, "dimension"},
		{"truncated data", good[:len(good)-1], ErrTruncated, "got 5 of 6"},
		{"trailing garbage", append(bytes.Clone(good), 0), ErrTrailing, ""},
		{"gzip bad header", []byte{0x1f, 0x8b, 0, 0}, ErrGzip, ""},
		{"gzip truncated stream", goodGz[:len(goodGz)/2], ErrTruncated, "gzip"},
		{"gzip truncated trailer", goodGz[:len(goodGz)-3], ErrTruncated, ""},
		{"gzip bad crc", badCRC, ErrGzip, "checksum"},
		{"gzip trailing garbage", append(bytes.Clone(goodGz), 'x', 'y', 'z', 'w', 1, 2, 3, 4, 5, 6, 7, 8), ErrGzip, ""},
		{"gzip of truncated data", gz(good[:len(good)-2]), ErrTruncated, "got 4 of 6"},
		{"gzip of trailing data", gz(append(bytes.Clone(good), 7)), ErrTrailing, ""},
		{"gzip of wrong magic", gz([]byte{1, 2, 3, 4}), ErrMagic, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Read(bytes.NewReader(tc.file))
			if err == nil {
				t.Fatalf("no error, got %v %v", a.Type, a.Dims)
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %q, want kind %q", err, tc.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error", err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not mention %q", err, tc.msg)
			}
		})
	}
}

func TestReadFileNamesFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "bad-labels-idx1-ubyte")
	if err := os.WriteFile(p, []byte{0, 0, 8, 1, 0, 0, 0, 9, 1}, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFile(p)
	if !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), p) {
		t.Fatalf("error %v should be truncated and name %s", err, p)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
	// A good file, gzipped, read by ReadFile and ReadFS.
	good := enc(Uint8, []uint32{4}, []byte{1, 2, 3, 4})
	if err := os.WriteFile(filepath.Join(dir, "ok.gz"), gz(good), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, read := range []func() (*Array, error){
		func() (*Array, error) { return ReadFile(filepath.Join(dir, "ok.gz")) },
		func() (*Array, error) { return ReadFS(os.DirFS(dir), "ok.gz") },
	} {
		a, err := read()
		if err != nil || !bytes.Equal(a.Data, []byte{1, 2, 3, 4}) {
			t.Fatalf("got %v, %v", a, err)
		}
	}
}

// TestReadLargeGrows checks the incremental buffer growth in readN.
func TestReadLargeGrows(t *testing.T) {
	n := 1<<25 + 123
	data := make([]byte, n)
	for i := range data {
		data[i] = byte(i * 7)
	}
	a, err := Read(bytes.NewReader(enc(Uint8, []uint32{uint32(n)}, data)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Data, data) {
		t.Fatal("data differs")
	}
	// A header claiming a lot with little behind it fails without panicking.
	_, err = Read(bytes.NewReader(enc(Uint8, []uint32{1 << 30}, data[:100])))
	if !errors.Is(err, ErrTruncated) {
		t.Fatal(err)
	}
}

func TestWriteRoundTrip(t *testing.T) {
	a := &Array{Type: Int16, Dims: []int{2, 2}, Data: seq(8)}
	var buf bytes.Buffer
	if err := Write(&buf, a); err != nil {
		t.Fatal(err)
	}
	b, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if b.Type != a.Type || !slices.Equal(b.Dims, a.Dims) || !bytes.Equal(b.Data, a.Data) {
		t.Fatalf("round trip: got %+v, want %+v", b, a)
	}
	for _, bad := range []*Array{
		{Type: 0x42, Dims: []int{1}, Data: []byte{0}},
		{Type: Uint8, Dims: nil},
		{Type: Uint8, Dims: []int{0}},
		{Type: Uint8, Dims: []int{2}, Data: []byte{0}},
	} {
		if err := Write(&buf, bad); err == nil {
			t.Errorf("Write(%+v) succeeded", bad)
		}
	}
}

func FuzzRead(f *testing.F) {
	good := enc(Uint8, []uint32{2, 3}, seq(6))
	f.Add(good)
	f.Add(gz(good))
	f.Add(enc(Float32, []uint32{1, 2}, seq(8)))
	f.Add(enc(Float64, []uint32{1}, seq(8)))
	f.Add(good[:7])
	f.Add(append(bytes.Clone(good), 1))
	f.Add([]byte{0x1f, 0x8b})
	f.Add(enc(Uint8, []uint32{1 << 31}, nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := Read(bytes.NewReader(b))
		if err != nil {
			if a != nil {
				t.Fatal("non-nil array with error")
			}
			return
		}
		if len(a.Data) != a.Len()*a.Type.Size() {
			t.Fatalf("data %d bytes for %v %v", len(a.Data), a.Type, a.Dims)
		}
		_ = a.Float64s()
		// A valid array must survive a write/read round trip.
		var buf bytes.Buffer
		if err := Write(&buf, a); err != nil {
			t.Fatal(err)
		}
		if _, err := Read(&buf); err != nil {
			t.Fatal(err)
		}
	})
}
