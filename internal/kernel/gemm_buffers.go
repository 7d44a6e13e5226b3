package kernel

import (
	"sync"
	"unsafe"
)

// Packing workspaces are recycled through sync.Pools so that repeated GEMMs
// (a training loop) do not allocate. Buffers are aligned to 64 bytes, a
// cache line, so packed panels never straddle lines needlessly.

var gemmPool32, gemmPool64 sync.Pool

const gemmAlign = 64

func gemmPoolFor[T float32 | float64]() *sync.Pool {
	var z T
	if _, ok := any(z).(float32); ok {
		return &gemmPool32
	}
	return &gemmPool64
}

// gemmGetBuf returns a pooled workspace of at least n elements, starting
// on a 64-byte boundary. Return it with gemmPutBuf.
func gemmGetBuf[T float32 | float64](n int) *[]T {
	pool := gemmPoolFor[T]()
	p, _ := pool.Get().(*[]T)
	if p != nil && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	var z T
	pad := gemmAlign / int(unsafe.Sizeof(z))
	raw := make([]T, n+pad)
	off := 0
	if r := int(uintptr(unsafe.Pointer(&raw[0])) % gemmAlign); r != 0 {
		off = (gemmAlign - r) / int(unsafe.Sizeof(z))
	}
	s := raw[off : off+n : len(raw)]
	return &s
}

// gemmPutBuf returns a workspace to its pool.
func gemmPutBuf[T float32 | float64](p *[]T) {
	gemmPoolFor[T]().Put(p)
}
