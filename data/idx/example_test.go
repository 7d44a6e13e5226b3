package idx_test

import (
	"bytes"
	"fmt"

	"github.com/duboko/duboko/data/idx"
)

func ExampleRead() {
	// A 2×3 uint8 array: magic 00 00 08 02, dims 2 and 3, six bytes.
	file := []byte{0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6}
	a, err := idx.Read(bytes.NewReader(file))
	if err != nil {
		panic(err)
	}
	fmt.Println(a.Type, a.Dims, a.Data)

	// One byte missing.
	_, err = idx.Read(bytes.NewReader(file[:len(file)-1]))
	fmt.Println(err)
	// Output:
	// uint8 [2 3] [1 2 3 4 5 6]
	// idx: truncated data: got 5 of 6 data bytes for uint8 [2 3]
}
