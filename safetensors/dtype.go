package safetensors

// DType names the element type of a tensor as it is spelled in the header,
// for example "F32". Data is always little-endian.
type DType string

// The element types of the safetensors format that this package reads and
// writes. Sub-byte types (F4, F6_*) are not supported.
const (
	BOOL   DType = "BOOL"    // 1 byte, 0 or 1
	U8     DType = "U8"      // unsigned 8-bit integer
	I8     DType = "I8"      // signed 8-bit integer
	F8E5M2 DType = "F8_E5M2" // 8-bit float, 5 exponent bits, 2 mantissa bits
	F8E4M3 DType = "F8_E4M3" // 8-bit float, 4 exponent bits, 3 mantissa bits
	F8E8M0 DType = "F8_E8M0" // 8-bit float, exponent only
	I16    DType = "I16"     // signed 16-bit integer
	U16    DType = "U16"     // unsigned 16-bit integer
	F16    DType = "F16"     // IEEE 754 half precision
	BF16   DType = "BF16"    // bfloat16: the top half of a float32
	I32    DType = "I32"     // signed 32-bit integer
	U32    DType = "U32"     // unsigned 32-bit integer
	F32    DType = "F32"     // IEEE 754 single precision (float32)
	C64    DType = "C64"     // complex64: two float32, real then imaginary
	F64    DType = "F64"     // IEEE 754 double precision (float64)
	I64    DType = "I64"     // signed 64-bit integer
	U64    DType = "U64"     // unsigned 64-bit integer
)

// dtypeInfo gives each known dtype its element size in bytes and its rank in
// the reference implementation's ordering, which is by increasing alignment.
// The reference writer stores tensors by decreasing rank, then by name.
var dtypeInfo = map[DType]struct{ size, rank int }{
	BOOL:   {1, 0},
	U8:     {1, 4},
	I8:     {1, 5},
	F8E5M2: {1, 6},
	F8E4M3: {1, 7},
	F8E8M0: {1, 8},
	I16:    {2, 9},
	U16:    {2, 10},
	F16:    {2, 11},
	BF16:   {2, 12},
	I32:    {4, 13},
	U32:    {4, 14},
	F32:    {4, 15},
	C64:    {8, 16},
	F64:    {8, 17},
	I64:    {8, 18},
	U64:    {8, 19},
}

// Size returns the size in bytes of one element, or 0 if d is not a dtype
// this package knows.
func (d DType) Size() int { return dtypeInfo[d].size }

// Valid reports whether d is a dtype this package knows.
func (d DType) Valid() bool { _, ok := dtypeInfo[d]; return ok }
