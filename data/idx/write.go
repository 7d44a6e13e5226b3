package idx

import (
	"encoding/binary"
	"fmt"
	"io"
)

// Write encodes a as a raw (uncompressed) IDX file. Wrap w in a gzip.Writer
// for a compressed file. It checks that a is well formed first.
func Write(w io.Writer, a *Array) error {
	if a.Type.Size() == 0 {
		return fmt.Errorf("idx: write: %w: %v", ErrType, a.Type)
	}
	if len(a.Dims) == 0 || len(a.Dims) > MaxDims {
		return fmt.Errorf("idx: write: %w: %d dimensions", ErrDims, len(a.Dims))
	}
	size := int64(a.Type.Size())
	for _, d := range a.Dims {
		if d <= 0 || int64(d) > 1<<32-1 {
			return fmt.Errorf("idx: write: %w: %v", ErrDims, a.Dims)
		}
		size *= int64(d)
		if size > MaxBytes {
			return fmt.Errorf("idx: write: %w: %v is over %d bytes", ErrDims, a.Dims, int64(MaxBytes))
		}
	}
	if int64(len(a.Data)) != size {
		return fmt.Errorf("idx: write: %d data bytes, want %d for %s %v", len(a.Data), size, a.Type, a.Dims)
	}
	head := make([]byte, 4+4*len(a.Dims))
	head[2] = byte(a.Type)
	head[3] = byte(len(a.Dims))
	for i, d := range a.Dims {
		binary.BigEndian.PutUint32(head[4+4*i:], uint32(d))
	}
	if _, err := w.Write(head); err != nil {
		return err
	}
	_, err := w.Write(a.Data)
	return err
}
