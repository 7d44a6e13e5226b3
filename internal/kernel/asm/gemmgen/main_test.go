package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestGeneratedUpToDate checks that internal/kernel's generated kernels are
// what this generator writes today (run go generate ./internal/kernel/
// after changing it).
func TestGeneratedUpToDate(t *testing.T) {
	asm, decl, err := generate(families)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string][]byte{"../../gemm_kernel_amd64.s": asm, "../../gemm_kernel_amd64.go": decl} {
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from gemmgen's output: run go generate ./internal/kernel/", path)
		}
	}
}

// TestCheckRejects checks that families which do not fit the register file
// or the opmasks are refused rather than generated wrong.
func TestCheckRejects(t *testing.T) {
	base := families[2] // the AVX-512 float32 family
	if err := check(base); err != nil {
		t.Fatalf("%s refused: %v", base.name, err)
	}
	bad := map[string]func(k *kernel){
		"registers": func(k *kernel) { k.mr = 15 },
		"ymm":       func(k *kernel) { k.reg, k.lanes, k.mr = "Y", 8, 7 },
		"opmask":    func(k *kernel) { k.vecs, k.mr = 5, 4 },
		"rows":      func(k *kernel) { k.vecs, k.mr = 1, 16 },
	}
	for name, f := range bad {
		k := base
		f(&k)
		if err := check(k); err == nil {
			t.Errorf("%s: %d×%d %s tile accepted", name, k.mr, k.vecs, k.reg)
		} else if !strings.Contains(err.Error(), k.name) {
			t.Errorf("%s: error %q does not name the family", name, err)
		}
	}
}
