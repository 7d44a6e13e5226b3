//go:build !amd64

package main

// No FMA loops off amd64: the command reports nothing but an error.
var peakLoops = map[string]struct {
	run   func(int)
	flops float64
}{}
