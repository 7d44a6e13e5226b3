//go:build amd64

package main

// fmaLoop256 runs n iterations of 12 independent 256-bit FMA chains.
func fmaLoop256(n int)

// fmaLoop512 runs n iterations of 24 independent 512-bit FMA chains.
func fmaLoop512(n int)

// peakLoops are the FMA loops by kernel path, with flops per iteration.
var peakLoops = map[string]struct {
	run   func(int)
	flops float64
}{
	"avx2":   {fmaLoop256, 192},
	"avx512": {fmaLoop512, 768},
}
