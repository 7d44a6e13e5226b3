package idx

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestMaxDimsAccepted: an array of exactly MaxDims dimensions is written and
// read back; one more is refused by both.
func TestMaxDimsAccepted(t *testing.T) {
	dims := make([]int, MaxDims)
	udims := make([]uint32, MaxDims)
	for i := range dims {
		dims[i], udims[i] = 1, 1
	}
	dims[0], udims[0] = 2, 2
	a := &Array{Type: Uint8, Dims: dims, Data: []byte{7, 9}}
	var buf bytes.Buffer
	if err := Write(&buf, a); err != nil {
		t.Fatalf("Write of %d dims: %v", MaxDims, err)
	}
	b, err := Read(&buf)
	if err != nil || !slices.Equal(b.Dims, dims) || !bytes.Equal(b.Data, a.Data) {
		t.Fatalf("Read of %d dims: %v, %v", MaxDims, b, err)
	}
	over := &Array{Type: Uint8, Dims: append(slices.Clone(dims), 1), Data: []byte{7, 9}}
	if err := Write(&buf, over); !errors.Is(err, ErrDims) {
		t.Errorf("Write of %d dims: %v, want ErrDims", MaxDims+1, err)
	}
	raw := enc(Uint8, append(slices.Clone(udims), 1), []byte{7, 9})
	if _, err := Read(bytes.NewReader(raw)); !errors.Is(err, ErrDims) || !strings.Contains(err.Error(), "33 dimensions, want 1..32") {
		t.Errorf("Read of %d dims: %v, want ErrDims", MaxDims+1, err)
	}
}

// TestMaxBytesInclusive: a header declaring exactly MaxBytes passes the size
// limit (and then fails on the file's length, from the header alone); one
// byte more is over it. Write likewise accepts dims of MaxBytes and fails on
// the data length.
func TestMaxBytesInclusive(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	at := write("at", enc(Uint8, []uint32{MaxBytes}, []byte{1, 2, 3}))
	if _, err := ReadHeader(at); !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), "the file has 11 bytes, but its header declares 2147483656") {
		t.Errorf("MaxBytes declared: %v, want the file's length refused", err)
	}
	over := write("over", enc(Uint8, []uint32{MaxBytes + 1}, []byte{1, 2, 3}))
	if _, err := ReadHeader(over); !errors.Is(err, ErrDims) || !strings.Contains(err.Error(), "need more than 2147483648 bytes") {
		t.Errorf("MaxBytes+1 declared: %v, want the size limit", err)
	}
	err := Write(new(bytes.Buffer), &Array{Type: Uint8, Dims: []int{MaxBytes}})
	if err == nil || errors.Is(err, ErrDims) || !strings.Contains(err.Error(), "0 data bytes, want 2147483648") {
		t.Errorf("Write of MaxBytes dims without data: %v, want the data length refused", err)
	}
	err = Write(new(bytes.Buffer), &Array{Type: Uint8, Dims: []int{MaxBytes + 1}})
	if !errors.Is(err, ErrDims) {
		t.Errorf("Write of MaxBytes+1 dims: %v, want ErrDims", err)
	}
}

// TestErrorMessages: the messages name what is wrong precisely.
func TestErrorMessages(t *testing.T) {
	good := enc(Uint8, []uint32{2, 3}, seq(6))
	for _, c := range []struct {
		name string
		file []byte
		kind error
		want string
	}{
		{"zero dim", enc(Uint8, []uint32{3, 0, 5}, nil), ErrDims, "dimension 1 is zero (dims [3 0])"},
		{"trailing", append(bytes.Clone(good), 0), ErrTrailing, "data of uint8 [2 3] ends at 18 bytes"},
		{"gzip of header only", gz(good[:12]), ErrTruncated, "got 0 of 6 data bytes for uint8 [2 3]"},
	} {
		_, err := Read(bytes.NewReader(c.file))
		if !errors.Is(err, c.kind) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %v containing %q", c.name, err, c.kind, c.want)
		}
	}
}
