// Package idx reads arrays stored in the IDX file format, the format of the
// MNIST database and of several datasets modelled on it (Fashion-MNIST,
// EMNIST, KMNIST).
//
// An IDX file is a 4-byte magic number, one big-endian uint32 size per
// dimension, then the elements in row-major order, each big-endian:
//
//	byte 0, 1  zero
//	byte 2     element type: 0x08 uint8, 0x09 int8, 0x0B int16,
//	           0x0C int32, 0x0D float32, 0x0E float64
//	byte 3     number of dimensions
//
// MNIST images use magic 0x00000803 (uint8, 3 dimensions: n, rows, cols) and
// labels 0x00000801 (uint8, 1 dimension: n). Files are read either raw or
// gzip-compressed; gzip is detected by its magic bytes 0x1f 0x8b, not by the
// file name.
//
// The reader is strict: a wrong magic number, an unknown element type, a
// zero dimension, a total size above [MaxBytes], data that ends early, bytes
// after the data and a corrupt gzip stream are all errors. Sizes are checked
// before data is read: ReadFile and ReadFS check a raw file's size against
// the size its header declares, and a gzip file's declared size against the
// most that deflate can produce from the file's bytes (MaxGzipRatio), so
// that memory is allocated once and only for data the file can hold. Use
// ReadHeader to check types and dimensions before reading any data. Errors are of type
// *[Error], name the file when it is known, and match the sentinel errors
// below with [errors.Is]. Bad input never panics.
package idx

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
)

// MaxBytes is the largest total data size, in bytes, that Read accepts.
const MaxBytes = 1 << 31

// MaxDims is the largest number of dimensions that Read accepts.
const MaxDims = 32

// MaxGzipRatio bounds how much a gzip file may inflate: deflate cannot
// expand data by more than about 1032:1, so a gzip file of n bytes that
// declares more than MaxGzipRatio×n data bytes is refused before it is read.
const MaxGzipRatio = 1032

// Type is the element type code stored in byte 2 of an IDX magic number.
type Type byte

// The element types defined by the IDX format.
const (
	Uint8   Type = 0x08
	Int8    Type = 0x09
	Int16   Type = 0x0B
	Int32   Type = 0x0C
	Float32 Type = 0x0D
	Float64 Type = 0x0E
)

// Size returns the size of one element in bytes, or 0 for an unknown type.
func (t Type) Size() int {
	switch t {
	case Uint8, Int8:
		return 1
	case Int16:
		return 2
	case Int32, Float32:
		return 4
	case Float64:
		return 8
	}
	return 0
}

// String returns the Go-style name of the type, such as "uint8".
func (t Type) String() string {
	switch t {
	case Uint8:
		return "uint8"
	case Int8:
		return "int8"
	case Int16:
		return "int16"
	case Int32:
		return "int32"
	case Float32:
		return "float32"
	case Float64:
		return "float64"
	}
	return fmt.Sprintf("Type(0x%02x)", byte(t))
}

// Sentinel errors matched by errors.Is on the errors Read returns.
var (
	ErrMagic     = errors.New("bad magic number")
	ErrType      = errors.New("unsupported element type")
	ErrDims      = errors.New("bad dimensions")
	ErrTruncated = errors.New("truncated data")
	ErrTrailing  = errors.New("trailing bytes after data")
	ErrGzip      = errors.New("bad gzip stream")
)

// Error describes a malformed or unreadable IDX file.
type Error struct {
	File string // file name, or "" when reading from an unnamed reader
	Err  error  // one of the sentinel errors above, or an I/O error
	Msg  string // details, may be empty
}

// Error formats the error as "idx: FILE: KIND: DETAILS".
func (e *Error) Error() string {
	s := "idx: "
	if e.File != "" {
		s += e.File + ": "
	}
	s += e.Err.Error()
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	return s
}

// Unwrap returns the underlying sentinel or I/O error.
func (e *Error) Unwrap() error { return e.Err }

// Array is a decoded IDX array.
type Array struct {
	Type Type  // element type
	Dims []int // dimensions, outermost first; all > 0
	// Data holds the elements exactly as stored in the file: row-major,
	// big-endian, Type.Size() bytes each. For Uint8 arrays these are the
	// values themselves.
	Data []byte
}

// Len returns the number of elements, the product of Dims.
func (a *Array) Len() int {
	n := 1
	for _, d := range a.Dims {
		n *= d
	}
	return n
}

// At returns element i (in row-major order) converted to float64.
func (a *Array) At(i int) float64 {
	switch a.Type {
	case Uint8:
		return float64(a.Data[i])
	case Int8:
		return float64(int8(a.Data[i]))
	case Int16:
		return float64(int16(binary.BigEndian.Uint16(a.Data[2*i:])))
	case Int32:
		return float64(int32(binary.BigEndian.Uint32(a.Data[4*i:])))
	case Float32:
		return float64(math.Float32frombits(binary.BigEndian.Uint32(a.Data[4*i:])))
	case Float64:
		return math.Float64frombits(binary.BigEndian.Uint64(a.Data[8*i:]))
	}
	panic("idx: At on array of " + a.Type.String())
}

// Float32s returns all elements converted to float32, in row-major order.
func (a *Array) Float32s() []float32 {
	out := make([]float32, a.Len())
	if a.Type == Uint8 {
		for i, b := range a.Data[:len(out)] {
			out[i] = float32(b)
		}
		return out
	}
	for i := range out {
		out[i] = float32(a.At(i))
	}
	return out
}

// Float64s returns all elements converted to float64, in row-major order.
func (a *Array) Float64s() []float64 {
	out := make([]float64, a.Len())
	for i := range out {
		out[i] = a.At(i)
	}
	return out
}

// Read decodes one IDX array from r, which may be raw or gzip-compressed.
// It reads r to its end: any bytes after the array are an error.
func Read(r io.Reader) (*Array, error) {
	return read(r, "", -1, nil)
}

// ReadFile decodes the IDX array in the named file, raw or gzip-compressed.
func ReadFile(path string) (*Array, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return read(f, path, fileSize(f), nil)
}

// Header is the type and dimensions of an IDX array, as its file declares
// them.
type Header struct {
	Type Type
	Dims []int
}

// Size returns the number of data bytes the header declares.
func (h Header) Size() int64 {
	n := int64(h.Type.Size())
	for _, d := range h.Dims {
		n *= int64(d)
	}
	return n
}

// ReadHeader reads and checks only the header of the IDX file at path (raw
// or gzip-compressed), with the same size checks as ReadFile, and reads no
// data.
func ReadHeader(path string) (Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return Header{}, err
	}
	defer f.Close()
	var h Header
	_, err = read(f, path, fileSize(f), &h)
	return h, err
}

// ReadFS decodes the IDX array in the named file of fsys, raw or
// gzip-compressed. It is useful with embed.FS.
func ReadFS(fsys fs.FS, name string) (*Array, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return read(f, name, fileSize(f), nil)
}

// fileSize returns the size of a regular file, or -1.
func fileSize(f fs.File) int64 {
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return -1
	}
	return st.Size()
}

// read decodes one array; name labels errors and size is the file's size
// in bytes, or -1 if unknown. With headerOnly set, it stores the checked
// header there and returns without reading data.
func read(r io.Reader, name string, fileLen int64, headerOnly *Header) (*Array, error) {
	fail := func(kind error, format string, args ...any) (*Array, error) {
		return nil, &Error{File: name, Err: kind, Msg: fmt.Sprintf(format, args...)}
	}
	br := bufio.NewReaderSize(r, 1<<16)
	head, err := br.Peek(2)
	if err != nil && len(head) < 2 {
		if err == io.EOF {
			return fail(ErrTruncated, "file has %d bytes, want at least 4", len(head))
		}
		return fail(err, "")
	}
	var src io.Reader = br
	gz := head[0] == 0x1f && head[1] == 0x8b
	if gz {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fail(ErrGzip, "%v", err)
		}
		defer zr.Close()
		src = zr
	}
	// wrap turns an error from the (possibly gzip) stream into an *Error.
	wrap := func(err error, what string) (*Array, error) {
		switch {
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			if gz {
				return fail(ErrTruncated, "%s: gzip stream ends early", what)
			}
			return fail(ErrTruncated, "%s", what)
		case gz && isGzipErr(err):
			return fail(ErrGzip, "%s: %v", what, err)
		}
		return fail(err, "%s", what)
	}

	var magic [4]byte
	if _, err := io.ReadFull(src, magic[:]); err != nil {
		return wrap(err, "reading magic number")
	}
	if magic[0] != 0 || magic[1] != 0 {
		return fail(ErrMagic, "got % x, want 00 00 TYPE NDIM", magic[:])
	}
	typ := Type(magic[2])
	if typ.Size() == 0 {
		return fail(ErrType, "type byte 0x%02x in magic % x", magic[2], magic[:])
	}
	ndim := int(magic[3])
	if ndim == 0 || ndim > MaxDims {
		return fail(ErrDims, "%d dimensions, want 1..%d", ndim, MaxDims)
	}
	dimBuf := make([]byte, 4*ndim)
	if _, err := io.ReadFull(src, dimBuf); err != nil {
		return wrap(err, fmt.Sprintf("reading %d dimension sizes", ndim))
	}
	dims := make([]int, ndim)
	size := int64(typ.Size())
	for i := range dims {
		d := int64(binary.BigEndian.Uint32(dimBuf[4*i:]))
		dims[i] = int(d)
		if d == 0 {
			return fail(ErrDims, "dimension %d is zero (dims %v)", i, dims[:i+1])
		}
		size *= d // d < 2^32 and size <= MaxBytes < 2^32 before: no overflow
		if size > MaxBytes {
			return fail(ErrDims, "dims %v need more than %d bytes", readDims(dimBuf), int64(MaxBytes))
		}
	}

	headLen := int64(4 + 4*ndim)
	known := false // whether the file's size justifies allocating size bytes at once
	switch {
	case fileSizeKnown(fileLen) && !gz && fileLen != headLen+size:
		kind := ErrTruncated
		if fileLen > headLen+size {
			kind = ErrTrailing
		}
		return fail(kind, "the file has %d bytes, but its header declares %d (%s %v)", fileLen, headLen+size, typ, dims)
	case fileSizeKnown(fileLen) && gz && size > MaxGzipRatio*fileLen:
		return fail(ErrDims, "dims %v declare %d bytes, more than a %d-byte gzip file can hold", dims, size, fileLen)
	case fileSizeKnown(fileLen):
		known = true
	}
	if headerOnly != nil {
		*headerOnly = Header{Type: typ, Dims: dims}
		return nil, nil
	}
	data, err := readN(src, int(size), known)
	if err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return wrap(err, fmt.Sprintf("got %d of %d data bytes for %s %v", len(data), size, typ, dims))
		}
		return wrap(err, "reading data")
	}
	// The stream must end here. For gzip this read also checks the CRC.
	var extra [1]byte
	n, err := io.ReadFull(src, extra[:])
	if n > 0 {
		return fail(ErrTrailing, "data of %s %v ends at %d bytes", typ, dims, int64(4+4*ndim)+size)
	}
	if err != io.EOF {
		return wrap(err, "after data")
	}
	return &Array{Type: typ, Dims: dims, Data: data}, nil
}

// readDims decodes big-endian uint32 dimension sizes for messages.
func readDims(b []byte) []int64 {
	d := make([]int64, len(b)/4)
	for i := range d {
		d[i] = int64(binary.BigEndian.Uint32(b[4*i:]))
	}
	return d
}

// isGzipErr reports whether err comes from gzip/flate decoding.
func isGzipErr(err error) bool {
	var ce flate.CorruptInputError
	var ie flate.InternalError
	return errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) ||
		errors.As(err, &ce) || errors.As(err, &ie)
}

func fileSizeKnown(n int64) bool { return n >= 0 }

// readN reads exactly n bytes. When the file's size justifies n (known),
// it allocates n bytes once. Otherwise, above 64 MiB, it grows its buffer
// as data arrives, so a header claiming a huge size with little data behind
// it does not allocate the full size up front. On a short read it returns
// what it got.
func readN(r io.Reader, n int, known bool) ([]byte, error) {
	const chunk = 1 << 26
	if known {
		buf := make([]byte, n)
		m, err := io.ReadFull(r, buf)
		return buf[:m], err
	}
	buf := make([]byte, min(n, chunk))
	got := 0
	for {
		m, err := io.ReadFull(r, buf[got:])
		got += m
		if err != nil {
			return buf[:got], err
		}
		if got == n {
			return buf, nil
		}
		nb := make([]byte, min(n, 2*len(buf)))
		copy(nb, buf)
		buf = nb
	}
}
