package safetensors

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
)

// MaxHeaderSize is the largest JSON header, in bytes, that Decode and
// ReadFile accept; it matches the reference implementation's limit and
// keeps a corrupt length field from causing a huge allocation.
const MaxHeaderSize = 100_000_000

// metadataKey is the reserved header key for the string-to-string metadata.
const metadataKey = "__metadata__"

// File is the content of a safetensors file.
type File struct {
	// Tensors in the order their data lies in the file. Decoded tensors
	// share one backing buffer; each Data slice is capped at its own end,
	// so appending to one never overwrites another.
	Tensors []Tensor
	// Metadata is the free-form "__metadata__" map, nil if the file has none.
	Metadata map[string]string
}

// Get returns the tensor with the given name.
func (f *File) Get(name string) (Tensor, bool) {
	for _, t := range f.Tensors {
		if t.Name == name {
			return t, true
		}
	}
	return Tensor{}, false
}

// Names returns the tensor names in file order.
func (f *File) Names() []string {
	names := make([]string, len(f.Tensors))
	for i, t := range f.Tensors {
		names[i] = t.Name
	}
	return names
}

// FormatError reports a file that is not valid safetensors.
type FormatError struct {
	Path   string // the file, "" when decoding a stream
	Tensor string // the tensor concerned, "" when it is about the whole file
	Reason string // what is wrong
}

// Error returns "safetensors: PATH: tensor "NAME": REASON", leaving out the
// parts that are empty.
func (e *FormatError) Error() string {
	s := "safetensors: "
	if e.Path != "" {
		s += e.Path + ": "
	}
	if e.Tensor != "" {
		s += fmt.Sprintf("tensor %q: ", e.Tensor)
	}
	return s + e.Reason
}

// Decode reads a safetensors file from r, to its end, and checks it
// strictly: the header length must be within MaxHeaderSize and the file, the
// header must be one UTF-8 JSON object without duplicate keys, every dtype
// known, every byte size equal to what dtype and shape call for, and the
// tensors' data_offsets must cover the data buffer exactly, without holes or
// overlaps, with nothing after it. Any violation is a *FormatError.
// The order of the header's keys does not matter.
func Decode(r io.Reader) (*File, error) {
	return decode(r, "", -1)
}

// ReadFile reads and checks the safetensors file at path, as Decode does.
// Errors name the file.
func ReadFile(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	if !st.Mode().IsRegular() {
		size = -1
	}
	return decode(bufio.NewReaderSize(f, 1<<16), path, size)
}

// entry is one tensor's header record.
type entry struct {
	name       string
	dtype      DType
	shape      []int
	begin, end uint64
}

// decode does the work of Decode and ReadFile; size is the file's size, or
// -1 if unknown.
func decode(r io.Reader, path string, size int64) (*File, error) {
	h, err := readHeader(r, path, size)
	if err != nil {
		return nil, err
	}
	fail := func(format string, args ...any) error {
		return &FormatError{Path: path, Reason: fmt.Sprintf(format, args...)}
	}
	buf, err := readN(r, h.bufLen, size >= 0)
	if err != nil {
		return nil, err
	}
	if uint64(len(buf)) < h.bufLen {
		return nil, fail("truncated: the header describes %d bytes of tensor data, but only %d follow", h.bufLen, len(buf))
	}
	if size < 0 {
		var one [1]byte
		if k, _ := io.ReadFull(r, one[:]); k > 0 {
			return nil, fail("unexpected bytes after the %d bytes of tensor data", h.bufLen)
		}
	}

	file := &File{Tensors: make([]Tensor, len(h.entries)), Metadata: h.meta}
	for i, e := range h.entries {
		file.Tensors[i] = Tensor{Name: e.name, DType: e.dtype, Shape: e.shape, Data: buf[e.begin:e.end:e.end]}
	}
	return file, nil
}

// header is a parsed and checked header: its entries sorted by offset, the
// metadata, the header length n and the data buffer's length.
type header struct {
	entries []entry
	meta    map[string]string
	n       uint64
	bufLen  uint64
}

// readHeader reads the length field and the header from r and checks them,
// and, when size (the file's size, or -1 if unknown) is known, checks that
// the file holds exactly the data the header describes. It reads no data.
func readHeader(r io.Reader, path string, size int64) (*header, error) {
	fail := func(tensor, format string, args ...any) error {
		return &FormatError{Path: path, Tensor: tensor, Reason: fmt.Sprintf(format, args...)}
	}
	var lenBuf [8]byte
	if k, err := io.ReadFull(r, lenBuf[:]); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fail("", "truncated: %d bytes, too short for the 8-byte header length", k)
		}
		return nil, err
	}
	n := binary.LittleEndian.Uint64(lenBuf[:])
	if n > MaxHeaderSize {
		return nil, fail("", "header length %d exceeds the limit of %d bytes", n, MaxHeaderSize)
	}
	if size >= 0 && 8+n > uint64(size) {
		return nil, fail("", "truncated: header length %d runs past the end of the %d-byte file", n, size)
	}
	raw, err := readN(r, n, size >= 0)
	if err != nil {
		return nil, err
	}
	if uint64(len(raw)) < n {
		return nil, fail("", "truncated: header length is %d but only %d header bytes follow", n, len(raw))
	}

	entries, meta, err := parseHeader(raw)
	if err != nil {
		var fe *FormatError
		if errors.As(err, &fe) {
			fe.Path = path
		}
		return nil, err
	}
	bufLen, err := checkLayout(entries)
	if err != nil {
		err.(*FormatError).Path = path
		return nil, err
	}
	if size >= 0 {
		switch have := uint64(size) - 8 - n; {
		case have < bufLen:
			return nil, fail("", "truncated: the header describes %d bytes of tensor data, but the file has %d after the header", bufLen, have)
		case have > bufLen:
			return nil, fail("", "%d unexpected bytes after the %d bytes of tensor data", have-bufLen, bufLen)
		}
	}
	return &header{entries: entries, meta: meta, n: n, bufLen: bufLen}, nil
}

// readN reads up to n bytes from r; it returns fewer only at end of input.
// Otherwise memory grows with the bytes actually read, never with a claimed
// n alone.
// With exact set (n already checked against the file size) it allocates n
// bytes at once.
func readN(r io.Reader, n uint64, exact bool) ([]byte, error) {
	const chunk = 1 << 20
	if n <= chunk || exact {
		b := make([]byte, n)
		k, err := io.ReadFull(r, b)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, err
		}
		return b[:k], nil
	}
	buf := make([]byte, 0, chunk)
	for uint64(len(buf)) < n {
		if len(buf) == cap(buf) {
			// Double, but never past n.
			buf = slices.Grow(buf, int(min(uint64(cap(buf)), n-uint64(len(buf)))))
		}
		k, err := r.Read(buf[len(buf):min(uint64(cap(buf)), n)])
		buf = buf[:len(buf)+k]
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return buf, nil
}

// checkLayout sorts entries by offset and checks that they tile the data
// buffer from 0 without holes or overlaps; it returns the buffer length.
func checkLayout(entries []entry) (uint64, error) {
	slices.SortFunc(entries, func(a, b entry) int {
		return cmp.Or(cmp.Compare(a.begin, b.begin), cmp.Compare(a.end, b.end), cmp.Compare(a.name, b.name))
	})
	var pos uint64
	prev := ""
	for _, e := range entries {
		switch {
		case e.begin > pos:
			return 0, &FormatError{Tensor: e.name, Reason: fmt.Sprintf("data_offsets [%d, %d] leave bytes %d to %d of the data buffer unused (a hole)", e.begin, e.end, pos, e.begin)}
		case e.begin < pos:
			return 0, &FormatError{Tensor: e.name, Reason: fmt.Sprintf("data_offsets [%d, %d] overlap tensor %q, which ends at %d", e.begin, e.end, prev, pos)}
		}
		pos, prev = e.end, e.name
	}
	if pos > math.MaxInt {
		return 0, &FormatError{Reason: fmt.Sprintf("tensor data of %d bytes is too large", pos)}
	}
	return pos, nil
}
