//go:build !purego

#include "textflag.h"

// func getg() uintptr
// Returns the address of the calling goroutine's runtime g, which the Go
// runtime keeps in thread-local storage.
TEXT ·getg(SB), NOSPLIT, $0-8
	MOVQ (TLS), AX
	MOVQ AX, ret+0(FP)
	RET
